package dev.tollgate.router.internal.core;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Authorizer;
import dev.tollgate.protocol.WampErrors;
import java.util.HashMap;
import java.util.Map;

/**
 * What one session may do, as the rules in force decide it, cached: every PUBLISH and CALL is authorized, and most
 * sessions repeat a few URIs. The cache is valid for one rule set and one identity; a new rule set (the gatekeeper
 * hands out a new {@link Authorizer}) or new roles ({@link #forget}) empty it.
 *
 * <p>Not thread-safe: used under its session's lock only.
 */
final class Permissions {
  /** Bounds the cache of a session that touches ever new URIs (per-entity topics). */
  private static final int MAX_DECISIONS = 4096;

  private final Gatekeeper gatekeeper;
  private final Map<String, Boolean> decisions = new HashMap<>();
  private Authorizer decisionsOf;

  Permissions(Gatekeeper gatekeeper) {
    this.gatekeeper = gatekeeper;
  }

  /** Throws {@code wamp.error.not_authorized} unless the rules allow {@code who} in {@code realm} this action. */
  void check(String realm, Identity who, Action action, String uri) {
    Authorizer current = gatekeeper.authorizer();
    if (current != decisionsOf || decisions.size() > MAX_DECISIONS) {
      decisions.clear();
      decisionsOf = current;
    }
    String key = action.ordinal() + uri;
    Boolean allowed = decisions.get(key);
    if (allowed == null) {
      allowed = current.decide(new Authorizer.Subject(realm, who.roles(), who.authid(), who.userId()), action, uri)
          .allowed();
      decisions.put(key, allowed);
    }
    if (!allowed) {
      throw new RequestErrorException(WampErrors.NOT_AUTHORIZED,
          "role '" + who.authrole() + "' may not " + action.wireName() + " '" + uri + "'");
    }
  }

  /** The session's identity changed (a new join, new roles): what was decided no longer holds. */
  void forget() {
    decisions.clear();
    decisionsOf = null;
  }
}
