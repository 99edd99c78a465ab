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
    // the shared session directory (several nodes) takes the same details as the meta event
    realm.cluster().joined(realm.name(), details);
    executor.execute(() -> publish("wamp.session.on_join", List.of(details)));
  }

  @Override
  public void left(RouterSession session) {
    realm.cluster().left(realm.name(), session.id());
    List<Object> args = List.of(session.id(), session.authid(), session.authrole());
    executor.execute(() -> publish("wamp.session.on_leave", args));
  }

  /** On every node: a meta event of any node's session is for the subscribers of every node. */
  private void publish(String topic, List<Object> args) {
    realm.broker().publishEverywhere(new Publish(0, Map.of(), topic, Payload.of(args)));
  }

  /** The answer to {@code call}, on the meta executor; throws for an ERROR. */
  Payload answer(RouterSession caller, Call call) {
    List<Object> args = call.payload().argsOrEmpty();
    Map<String, Object> kwargs = call.payload().kwargsOrEmpty();
    SessionDirectory directory = realm.directory();
    return switch (call.procedure()) {
      case "wamp.session.count" -> Payload.of(List.of(filtered(args).size() + otherNodes(args).size()));
      case "wamp.session.list" -> {
        List<Object> ids = new ArrayList<>();
        filtered(args).forEach(s -> ids.add(s.id()));
        otherNodes(args).forEach(d -> ids.add(d.get("session")));
        yield Payload.of(List.of(ids));
      }
      case "wamp.session.get" -> Payload.of(List.of(get(directory, args)));
      case "wamp.session.kill" -> {
        // "Specifying the caller's own session will result in a wamp.error.no_such_session since no other session
        // with that ID exists."
        Kill how = Kill.of(kwargs);
        long id = sessionId(args);
        RouterSession here = directory.byId(id);
        if (here == caller || (here == null && !realm.cluster().kill(realm.name(), id, how.reason(), how.message()))) {
          throw new RequestErrorException(WampErrors.NO_SUCH_SESSION, "no session " + id + " in this realm");
        }
        if (here != null) {
          how.end(List.of(here));
        }
        yield Payload.EMPTY;
      }
      case "wamp.session.kill_by_authid" -> {
        String authid = string(args);
        yield Payload.of(List.of(killEverywhere(others(directory.byAuthid(authid), caller), "authid", authid,
            Kill.of(kwargs))));
      }
      case "wamp.session.kill_by_authrole" -> {
        String authrole = string(args);
        yield Payload.of(List.of(killEverywhere(others(directory.byAuthrole(authrole), caller), "authrole",
            authrole, Kill.of(kwargs))));
      }
      case "wamp.session.kill_all" -> Payload.of(List.of(killEverywhere(others(List.copyOf(directory.all()), caller),
          null, null, Kill.of(kwargs))));
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

  /** The other nodes' sessions, or only those with an authrole from the optional first argument. */
  private List<Map<String, Object>> otherNodes(List<Object> args) {
    List<Map<String, Object>> all = realm.cluster().otherSessions(realm.name());
    if (all.isEmpty() || args.isEmpty() || args.get(0) == null) {
      return all;
    }
    List<?> roles = (List<?>) args.get(0); // checked by filtered()
    return all.stream().filter(d -> roles.contains(d.get("authrole"))).toList();
  }

  /** A session's details, of this node or another. */
  private Map<String, Object> get(SessionDirectory directory, List<Object> args) {
    long id = sessionId(args);
    RouterSession here = directory.byId(id);
    if (here != null) {
      return details(here);
    }
    for (Map<String, Object> d : realm.cluster().otherSessions(realm.name())) {
      if (d.get("session") instanceof Number n && n.longValue() == id) {
        return d;
      }
    }
    throw new RequestErrorException(WampErrors.NO_SUCH_SESSION, "no session " + id + " in this realm");
  }

  private static long sessionId(List<Object> args) {
    if (args.isEmpty() || !(args.get(0) instanceof Number id)) {
      throw new RequestErrorException(WampErrors.INVALID_ARGUMENT, "expected a session id as the first argument");
    }
    return id.longValue();
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
   * Ends this node's {@code sessions}, and the other nodes' sessions whose {@code field} is {@code value} (all of them
   * for a null field), with GOODBYE; returns how many.
   */
  private int killEverywhere(List<RouterSession> sessions, String field, String value, Kill how) {
    int killed = how.end(sessions);
    for (Map<String, Object> d : realm.cluster().otherSessions(realm.name())) {
      if ((field == null || value.equals(d.get(field))) && d.get("session") instanceof Number id
          && realm.cluster().kill(realm.name(), id.longValue(), how.reason(), how.message())) {
        killed++;
      }
    }
    return killed;
  }

  /**
   * How sessions are ended: "if not provided the reason defaults to wamp.close.normal and the message is omitted".
   */
  private record Kill(String reason, String message) {
    static Kill of(Map<String, Object> kwargs) {
      Object reason = kwargs.getOrDefault("reason", WampErrors.CLOSE_NORMAL);
      if (!(reason instanceof String uri) || !WampUris.isValid(uri, WampUris.Rules.LOOSE, false)) {
        throw new RequestErrorException(WampErrors.INVALID_URI, "reason: expected a valid URI but was " + reason);
      }
      return new Kill(uri, kwargs.get("message") instanceof String m ? m : null);
    }

    /** Ends these sessions of this node with GOODBYE; returns how many were ended. */
    int end(List<RouterSession> sessions) {
      int killed = 0;
      for (RouterSession s : sessions) {
        if (s.kill(reason, message)) {
          killed++;
        }
      }
      return killed;
    }
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
  private static Map<String, Object> details(RouterSession s) {
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
