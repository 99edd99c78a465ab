package dev.tollgate.router.internal.core;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Authorizer;
import dev.tollgate.protocol.WampErrors;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one session may do, as the rules in force decide it, cached: every PUBLISH and CALL is authorized, and most
 * sessions repeat a few URIs. A cache holds the decisions of one rule set for one identity; a new rule set (the
 * gatekeeper hands out a new {@link Authorizer}) or a new identity ({@link #forget}) starts a new one.
 *
 * <p>Threading: any thread. The session checks its own requests under its lock; publishers and callers ask whether a
 * session subscribed or registered by pattern may receive one concrete topic or procedure, from their threads. A
 * cache and the rule set it was filled from are one immutable pair, so no decision outlives its rules.
 */
final class Permissions {
  /** Bounds the cache of a session that touches ever new URIs (per-entity topics). */
  private static final int MAX_DECISIONS = 4096;

  private record Cache(Authorizer rules, Identity who, ConcurrentHashMap<String, Boolean> decisions) {}

  private final Gatekeeper gatekeeper;
  private volatile Cache cache;

  Permissions(Gatekeeper gatekeeper) {
    this.gatekeeper = gatekeeper;
  }

  /** Throws {@code wamp.error.not_authorized} unless the rules allow {@code who} in {@code realm} this action. */
  void check(String realm, Identity who, Action action, String uri) {
    if (!allows(realm, who, action, uri)) {
      throw new RequestErrorException(WampErrors.NOT_AUTHORIZED,
          "role '" + who.authrole() + "' may not " + action.wireName() + " '" + uri + "'");
    }
  }

  /** Whether the rules allow {@code who} in {@code realm} {@code action} on {@code uri}. */
  boolean allows(String realm, Identity who, Action action, String uri) {
    Authorizer rules = gatekeeper.authorizer();
    Cache c = cache;
    if (c == null || c.rules() != rules || c.who() != who || c.decisions().size() > MAX_DECISIONS) {
      c = new Cache(rules, who, new ConcurrentHashMap<>());
      cache = c;
    }
    String key = action.ordinal() + uri;
    Boolean allowed = c.decisions().get(key);
    if (allowed == null) {
      allowed = rules.decide(new Authorizer.Subject(realm, who.roles(), who.authid(), who.userId()), action, uri)
          .allowed();
      c.decisions().put(key, allowed);
    }
    return allowed;
  }

  /** The session's identity changed (a new join, new roles): what was decided no longer holds. */
  void forget() {
    cache = null;
  }
}
