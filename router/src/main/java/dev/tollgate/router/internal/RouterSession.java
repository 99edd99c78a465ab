package dev.tollgate.router.internal;

import dev.tollgate.protocol.Abort;
import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.EventReceived;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.Unregister;
import dev.tollgate.protocol.Unregistered;
import dev.tollgate.protocol.Unsubscribe;
import dev.tollgate.protocol.Unsubscribed;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.WampUris;
import dev.tollgate.protocol.Welcome;
import dev.tollgate.protocol.Yield;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WAMP session's state machine, from HELLO to GOODBYE, over one {@link Connection}.
 *
 * <p>Threading: {@link #onMessage} runs on the connection's inbound thread, one message at a time and in order; the
 * broker and dealer may call {@link #connection()} from other sessions' threads to deliver. State read by other
 * threads is volatile or concurrent. After GOODBYE the same transport may join again with a new HELLO.
 */
final class RouterSession {
  private static final Logger LOG = LoggerFactory.getLogger(RouterSession.class);

  enum State {
    /** Waiting for HELLO. */
    ESTABLISHING,
    ESTABLISHED,
    /** The router sent GOODBYE and waits for the peer's. */
    CLOSING,
    CLOSED
  }

  private final RouterCore router;
  private final Connection connection;
  private volatile State state = State.ESTABLISHING;
  private volatile long id;
  private volatile Realm realm;
  private volatile String authid;
  private volatile String authrole;

  /** Subscriptions and registrations this session holds, by id; for limits and for cleanup when it leaves. */
  final Set<Long> subscriptions = ConcurrentHashMap.newKeySet();
  final Set<Long> registrations = ConcurrentHashMap.newKeySet();
  /** Calls this session made that await a result, by the caller's request id. */
  final Map<Long, Dealer.PendingCall> callsInFlight = new ConcurrentHashMap<>();
  /** Invocations this session (as callee) has to answer, by invocation request id. */
  final Map<Long, Dealer.PendingCall> invocationsInFlight = new ConcurrentHashMap<>();
  final Ids.Sequence invocationIds = new Ids.Sequence();

  RouterSession(RouterCore router, Connection connection) {
    this.router = router;
    this.connection = connection;
  }

  long id() {
    return id;
  }

  String authid() {
    return authid;
  }

  String authrole() {
    return authrole;
  }

  Connection connection() {
    return connection;
  }

  /** True once the session left its realm or lost its transport: no more deliveries. */
  boolean isGone() {
    return state == State.CLOSED || realm == null;
  }

  void onMessage(WampMessage message) {
    State s = state;
    if (s == State.CLOSED) {
      return;
    }
    if (message instanceof Hello hello) {
      if (s != State.ESTABLISHING) {
        protocolViolation("HELLO received in an established session");
        return;
      }
      join(hello);
      return;
    }
    if (s == State.ESTABLISHING) {
      protocolViolation("expected HELLO but was " + MessageCodes.name(message.code()));
      return;
    }
    if (message instanceof Abort) {
      leave();
      connection.close(1000, null);
      return;
    }
    if (message instanceof Goodbye) {
      if (s == State.CLOSING) {
        leave();
        connection.close(1000, null);
      } else {
        leave();
        state = State.ESTABLISHING;
        connection.send(new Goodbye(Map.of(), WampErrors.CLOSE_GOODBYE_AND_OUT));
      }
      return;
    }
    if (s == State.CLOSING) {
      return; // after our GOODBYE, the spec says to ignore everything but the peer's GOODBYE
    }
    try {
      handleEstablished(message);
    } catch (RequestErrorException e) {
      replyError(message, e);
    }
  }

  private void handleEstablished(WampMessage message) {
    Realm r = realm;
    if (message instanceof Publish p) {
      checkUri(p.topic(), "topic");
      long publication = r.broker().publish(this, p);
      if (Boolean.TRUE.equals(p.options().get("acknowledge"))) {
        connection.send(new Published(p.requestId(), publication));
      }
    } else if (message instanceof Subscribe sub) {
      checkUri(sub.topic(), "topic");
      checkMatchPolicy(sub.options());
      long subscription = r.broker().subscribe(this, sub.topic());
      connection.send(new Subscribed(sub.requestId(), subscription));
    } else if (message instanceof Unsubscribe u) {
      r.broker().unsubscribe(this, u.subscriptionId());
      connection.send(new Unsubscribed(u.requestId()));
    } else if (message instanceof Call c) {
      checkUri(c.procedure(), "procedure");
      r.dealer().call(this, c);
    } else if (message instanceof Register reg) {
      checkUri(reg.procedure(), "procedure");
      checkMatchPolicy(reg.options());
      Object invoke = reg.options().get("invoke");
      if (invoke != null && !"single".equals(invoke)) {
        throw new RequestErrorException(
            WampErrors.INVALID_ARGUMENT, "invocation policy '" + invoke + "' is not supported; only 'single' is");
      }
      long registration = r.dealer().register(this, reg.procedure());
      connection.send(new Registered(reg.requestId(), registration));
    } else if (message instanceof Unregister u) {
      r.dealer().unregister(this, u.registrationId());
      connection.send(new Unregistered(u.requestId()));
    } else if (message instanceof Yield y) {
      r.dealer().yield(this, y);
    } else if (message instanceof ErrorMessage e && e.requestType() == MessageCodes.INVOCATION) {
      r.dealer().invocationFailed(this, e);
    } else if (message instanceof Cancel c) {
      r.dealer().cancel(this, c);
    } else if (message instanceof EventReceived) {
      // Acknowledged delivery is not offered; an acknowledgment needs no answer.
    } else {
      protocolViolation(MessageCodes.name(message.code()) + " is not a message a client sends to a router");
    }
  }

  private void join(Hello hello) {
    Realm r = router.realm(hello.realm());
    if (r == null) {
      connection.sendAndClose(
          new Abort(Map.of("message", "realm '" + hello.realm() + "' does not exist"), WampErrors.NO_SUCH_REALM));
      return;
    }
    if (!(hello.details().get("roles") instanceof Map<?, ?> roles) || roles.isEmpty()) {
      protocolViolation("HELLO.Details.roles: expected a dict naming at least one role");
      return;
    }
    long sessionId = router.newSessionId();
    this.id = sessionId;
    this.authid = String.valueOf(sessionId);
    this.authrole = "anonymous";
    this.realm = r;
    r.join(this);
    state = State.ESTABLISHED;
    router.counters().sessionsOpened.increment();
    if (connection instanceof WebSocketConnection ws) {
      ws.joined();
    }
    connection.send(new Welcome(sessionId, Map.of(
        "roles", RouterRoles.ROLES,
        "authid", authid,
        "authrole", authrole,
        "authmethod", "anonymous",
        "authprovider", "static")));
  }

  /** Leaves the realm: subscriptions and registrations end, pending calls are answered. Idempotent. */
  private void leave() {
    Realm r = realm;
    if (r == null) {
      return;
    }
    realm = null;
    r.leave(this);
    router.counters().sessionsClosed.increment();
  }

  /** The transport is gone, whatever the reason. */
  void transportClosed() {
    state = State.CLOSED;
    leave();
  }

  void protocolViolation(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    router.counters().protocolViolations.increment();
    LOG.debug("protocol violation by {} (session {}): {}", connection.remote(), id, reason);
    leave();
    state = State.CLOSED;
    connection.sendAndClose(new Abort(Map.of("message", reason), WampErrors.PROTOCOL_VIOLATION));
  }

  void helloTimedOut() {
    if (state == State.ESTABLISHING && realm == null) {
      long seconds = router.config().helloTimeout().toSeconds();
      state = State.CLOSED;
      connection.sendAndClose(new Abort(
          Map.of("message", "no HELLO within " + seconds + " s (session.hello-timeout)"), WampErrors.PROTOCOL_VIOLATION));
    }
  }

  /** Router shutdown: say GOODBYE and wait for the peer's; a session not yet joined is closed at once. */
  void shutdown() {
    if (state == State.ESTABLISHED) {
      state = State.CLOSING;
      connection.send(new Goodbye(Map.of("message", "the router is shutting down"), WampErrors.CLOSE_SYSTEM_SHUTDOWN));
    } else if (state == State.ESTABLISHING) {
      state = State.CLOSED;
      connection.close(1001, "router shutting down");
    }
  }

  private void checkUri(String uri, String what) {
    if (!WampUris.isValid(uri, router.config().uriRules(), false)) {
      throw new RequestErrorException(WampErrors.INVALID_URI, "invalid " + what + " URI '" + uri + "'");
    }
  }

  private static void checkMatchPolicy(Map<String, Object> options) {
    Object match = options.get("match");
    if (match != null && !"exact".equals(match)) {
      throw new RequestErrorException(
          WampErrors.INVALID_ARGUMENT, "match policy '" + match + "' is not supported; only 'exact' is");
    }
  }

  private void replyError(WampMessage request, RequestErrorException e) {
    long requestId = requestIdOf(request);
    if (requestId < 0) {
      LOG.debug("no ERROR possible for {}: {}", MessageCodes.name(request.code()), e.getMessage());
      return;
    }
    connection.send(new ErrorMessage(request.code(), requestId, Map.of(), e.errorUri(), Payload.of(e.args())));
  }

  private static long requestIdOf(WampMessage m) {
    if (m instanceof Publish p) {
      // The spec answers a failed publication only when it asked for acknowledgment.
      return Boolean.TRUE.equals(p.options().get("acknowledge")) ? p.requestId() : -1;
    } else if (m instanceof Subscribe s) {
      return s.requestId();
    } else if (m instanceof Unsubscribe u) {
      return u.requestId();
    } else if (m instanceof Call c) {
      return c.requestId();
    } else if (m instanceof Register r) {
      return r.requestId();
    } else if (m instanceof Unregister u) {
      return u.requestId();
    }
    return -1;
  }
}
