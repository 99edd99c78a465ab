package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.WampUris;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The session meta API of one realm: the events {@code wamp.session.on_join} and {@code on_leave}, and the procedures
 * {@code wamp.session.count}, {@code list}, {@code get}, {@code kill}, {@code kill_by_authid},
 * {@code kill_by_authrole} and {@code kill_all}. "Session meta procedures MUST be registered by the Router on the same
 * realm as the WAMP session about which information is retrieved" and "Session Meta Events MUST be dispatched by the
 * Router to the same realm as the WAMP session which triggered the event": one instance per realm, reading that
 * realm's {@link SessionDirectory}.
 *
 * <p>Threading: calls and events run on the router's meta executor, never on the caller's thread or under the
 * realm's lock: a kill takes the target session's lock, which the caller's thread must not while holding its own.
 * The procedures are authorized like any other URI before they get here.
 */
final class SessionMetaApi implements SessionDirectory.Listener {
  static final String PREFIX = "wamp.session.";

  private final Realm realm;
  private final Executor executor;

  SessionMetaApi(Realm realm, Executor executor) {
    this.realm = realm;
    this.executor = executor;
    realm.directory().addListener(this);
  }

  /** Whether {@code procedure} is one of these. */
  static boolean offers(String procedure) {
    return switch (procedure) {
      case "wamp.session.count", "wamp.session.list", "wamp.session.get", "wamp.session.kill",
          "wamp.session.kill_by_authid", "wamp.session.kill_by_authrole", "wamp.session.kill_all",
          "wamp.session.add_testament", "wamp.session.flush_testaments" -> true;
      default -> false;
    };
  }

  @Override
  public void joined(RouterSession session) {
    Map<String, Object> details = details(session);
    executor.execute(() -> publish("wamp.session.on_join", List.of(details)));
  }

  @Override
  public void left(RouterSession session) {
    List<Object> args = List.of(session.id(), session.authid(), session.authrole());
    executor.execute(() -> publish("wamp.session.on_leave", args));
  }

  private void publish(String topic, List<Object> args) {
    realm.broker().publish(null, new Publish(0, Map.of(), topic, Payload.of(args)));
  }

  /** The answer to {@code call}, on the meta executor; throws for an ERROR. */
  Payload answer(RouterSession caller, Call call) {
    List<Object> args = call.payload().argsOrEmpty();
    Map<String, Object> kwargs = call.payload().kwargsOrEmpty();
    SessionDirectory directory = realm.directory();
    return switch (call.procedure()) {
      case "wamp.session.count" -> Payload.of(List.of(filtered(args).size()));
      case "wamp.session.list" -> Payload.of(List.of(filtered(args).stream().map(RouterSession::id).toList()));
      case "wamp.session.get" -> Payload.of(List.of(details(session(directory, args, caller, false))));
      case "wamp.session.kill" -> {
        // "Specifying the caller's own session will result in a wamp.error.no_such_session since no other session
        // with that ID exists."
        kill(List.of(session(directory, args, caller, true)), kwargs);
        yield Payload.EMPTY;
      }
      case "wamp.session.kill_by_authid" -> Payload.of(List.of(kill(others(directory.byAuthid(string(args)), caller),
          kwargs)));
      case "wamp.session.kill_by_authrole" -> Payload.of(List.of(
          kill(others(directory.byAuthrole(string(args)), caller), kwargs)));
      case "wamp.session.kill_all" -> Payload.of(List.of(kill(others(List.copyOf(directory.all()), caller), kwargs)));
      case "wamp.session.add_testament" -> {
        addTestament(caller, args, kwargs);
        yield Payload.EMPTY;
      }
      case "wamp.session.flush_testaments" -> {
        caller.testaments().flush(scope(kwargs));
        yield Payload.EMPTY;
      }
      default -> throw new RequestErrorException(WampErrors.NO_SUCH_PROCEDURE, "no procedure " + call.procedure());
    };
  }

  /** The sessions, or only those with an authrole from the optional first argument. */
  private List<RouterSession> filtered(List<Object> args) {
    List<RouterSession> all = List.copyOf(realm.directory().all());
    if (args.isEmpty() || args.get(0) == null) {
      return all;
    }
    if (!(args.get(0) instanceof List<?> roles)) {
      throw new RequestErrorException(WampErrors.INVALID_ARGUMENT, "filter_authroles: expected a list of strings");
    }
    return all.stream().filter(s -> roles.contains(s.authrole())).toList();
  }

  private static RouterSession session(SessionDirectory directory, List<Object> args, RouterSession caller,
      boolean otherOnly) {
    if (args.isEmpty() || !(args.get(0) instanceof Number id)) {
      throw new RequestErrorException(WampErrors.INVALID_ARGUMENT, "expected a session id as the first argument");
    }
    RouterSession s = directory.byId(id.longValue());
    if (s == null || (otherOnly && s == caller)) {
      throw new RequestErrorException(WampErrors.NO_SUCH_SESSION, "no session " + id + " in this realm");
    }
    return s;
  }

  private static String string(List<Object> args) {
    if (args.isEmpty() || !(args.get(0) instanceof String s)) {
      throw new RequestErrorException(WampErrors.INVALID_ARGUMENT, "expected a string as the first argument");
    }
    return s;
  }

  /** "If the caller's own session has the specified authid, the caller's session is excluded." */
  private static List<RouterSession> others(List<RouterSession> sessions, RouterSession caller) {
    List<RouterSession> out = new ArrayList<>(sessions);
    out.remove(caller);
    return out;
  }

  /**
   * Ends the sessions with GOODBYE: "if not provided the reason defaults to wamp.close.normal and the message is
   * omitted". Returns how many were ended.
   */
  private static int kill(List<RouterSession> sessions, Map<String, Object> kwargs) {
    Object reason = kwargs.getOrDefault("reason", WampErrors.CLOSE_NORMAL);
    if (!(reason instanceof String uri) || !WampUris.isValid(uri, WampUris.Rules.LOOSE, false)) {
      throw new RequestErrorException(WampErrors.INVALID_URI, "reason: expected a valid URI but was " + reason);
    }
    Object message = kwargs.get("message");
    int killed = 0;
    for (RouterSession s : sessions) {
      if (s.kill(uri, message instanceof String m ? m : null)) {
        killed++;
      }
    }
    return killed;
  }

  /**
   * {@code wamp.session.add_testament(topic, args, kwargs, publish_options=, scope=)}: checked now as the caller's
   * own PUBLISH would be (URI and authorization), so that a testament that could never be published is refused at
   * once; published when the session ends (see RouterSession.publishTestaments).
   */
  private void addTestament(RouterSession caller, List<Object> args, Map<String, Object> kwargs) {
    if (args.isEmpty() || !(args.get(0) instanceof String topic) || !WampUris.isValid(topic, WampUris.Rules.LOOSE,
        false)) {
      throw new RequestErrorException(WampErrors.INVALID_URI, "expected a topic URI as the first argument");
    }
    List<Object> eventArgs = args.size() > 1 && args.get(1) instanceof List<?> l ? List.copyOf(l) : List.of();
    Map<String, Object> eventKwargs = args.size() > 2 && args.get(2) instanceof Map<?, ?> m ? copy(m) : Map.of();
    Map<String, Object> options = kwargs.get("publish_options") instanceof Map<?, ?> o ? copy(o) : Map.of();
    Identity who = caller.identity();
    if (!caller.mayPublish(topic)) {
      throw new RequestErrorException(WampErrors.NOT_AUTHORIZED,
          "role '" + who.authrole() + "' may not publish '" + topic + "'");
    }
    Publish testament = new Publish(0, options, topic, Payload.of(eventArgs, eventKwargs));
    if (!caller.testaments().add(scope(kwargs), testament)) {
      throw new RequestErrorException(WampErrors.INVALID_ARGUMENT,
          "a session may hold at most " + Testaments.MAX_PER_SESSION + " testaments");
    }
  }

  /** A testament scope: "Default MUST be destroyed". */
  private static String scope(Map<String, Object> kwargs) {
    Object scope = kwargs.getOrDefault("scope", "destroyed");
    if (!"destroyed".equals(scope) && !"detached".equals(scope)) {
      throw new RequestErrorException(WampErrors.INVALID_ARGUMENT,
          "scope: expected 'destroyed' or 'detached' but was " + scope);
    }
    return (String) scope;
  }

  private static Map<String, Object> copy(Map<?, ?> m) {
    Map<String, Object> out = new HashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /** What {@code wamp.session.get} and {@code on_join} tell of a session. */
  static Map<String, Object> details(RouterSession s) {
    Identity who = s.identity();
    Map<String, Object> d = new HashMap<>();
    d.put("session", s.id());
    d.put("authid", who.authid());
    d.put("authrole", who.authrole());
    d.put("authmethod", who.authmethod());
    d.put("authprovider", who.authprovider());
    d.put("transport", Map.of("type", "websocket", "protocol", s.dialect()));
    return d;
  }
}
