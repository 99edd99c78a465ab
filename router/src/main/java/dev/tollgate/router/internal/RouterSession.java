package dev.tollgate.router.internal;

import dev.tollgate.auth.Action;
import dev.tollgate.protocol.Abort;
import dev.tollgate.protocol.Authenticate;
import dev.tollgate.protocol.Challenge;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
    /** CHALLENGE sent, waiting for AUTHENTICATE (or checking it). */
    CHALLENGING,
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
  private volatile Identity identity;
  /** Who the upgrade request's ticket proved the peer to be; used at every HELLO on this transport. */
  private final Identity urlIdentity;
  private Hello pendingHello;
  /** The identity of the last AUTHENTICATE's ticket, released when the transport closes or the next one joins. */
  private volatile Identity ticketHolder;
  private final java.util.concurrent.atomic.AtomicBoolean releasedUrlTicket = new java.util.concurrent.atomic.AtomicBoolean();
  /** Authorization decisions of this session, valid for {@link #decisionsOf}; only the inbound thread uses it. */
  private final Map<String, Boolean> decisions = new java.util.HashMap<>();
  private dev.tollgate.auth.Authorizer decisionsOf;

  /** Subscriptions and registrations this session holds, by id; for limits and for cleanup when it leaves. */
  final Set<Long> subscriptions = ConcurrentHashMap.newKeySet();
  final Set<Long> registrations = ConcurrentHashMap.newKeySet();
  /** Calls this session made that await a result, by the caller's request id. */
  final Map<Long, Dealer.PendingCall> callsInFlight = new ConcurrentHashMap<>();
  /** Invocations this session (as callee) has to answer, by invocation request id. */
  final Map<Long, Dealer.PendingCall> invocationsInFlight = new ConcurrentHashMap<>();
  final Ids.Sequence invocationIds = new Ids.Sequence();

  RouterSession(RouterCore router, Connection connection, Identity urlIdentity) {
    this.router = router;
    this.connection = connection;
    this.urlIdentity = urlIdentity;
  }

  long id() {
    return id;
  }

  String authid() {
    return identity.authid();
  }

  String authrole() {
    return identity.authrole();
  }

  /** Null until the session joins. */
  Identity identity() {
    return identity;
  }

  Connection connection() {
    return connection;
  }

  /**
   * Whether the peer has something to receive: a subscription, a registration or a call awaiting its result. Only
   * such a connection is pinged and closed when silent (see WebSocketConnection.checkLiveness).
   */
  boolean expectsDeliveries() {
    return !subscriptions.isEmpty() || !registrations.isEmpty() || !callsInFlight.isEmpty();
  }

  /**
   * True once the session left its realm, lost its transport, or was sent the router's GOODBYE: no more deliveries.
   * A peer that received GOODBYE is closing, and the spec's session statechart has it ignore everything but the
   * GOODBYE exchange ("Received other / ignore"); a result or an error sent then would only be dropped or, worse,
   * taken for the outcome of a call that the closing connection in fact lost.
   */
  boolean isGone() {
    State s = state;
    return s == State.CLOSED || s == State.CLOSING || realm == null;
  }

  /**
   * Handles one message. Returns null when done, or a future when the session waits for a slow check (a ticket);
   * the connection reads the next message only once it completes.
   */
  CompletableFuture<Void> onMessage(WampMessage message) {
    State s = state;
    if (s == State.CLOSED) {
      return null;
    }
    if (message instanceof Hello hello) {
      if (s != State.ESTABLISHING) {
        protocolViolation("HELLO received in an established session");
        return null;
      }
      hello(hello);
      return null;
    }
    if (s == State.ESTABLISHING) {
      protocolViolation("expected HELLO but was " + MessageCodes.name(message.code()));
      return null;
    }
    if (s == State.CHALLENGING) {
      if (message instanceof Authenticate authenticate) {
        return authenticate(authenticate);
      }
      if (message instanceof Abort) {
        state = State.CLOSED;
        connection.close(1000, null);
        return null;
      }
      protocolViolation("expected AUTHENTICATE but was " + MessageCodes.name(message.code()));
      return null;
    }
    if (message instanceof Abort) {
      leave();
      connection.close(1000, null);
      return null;
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
      return null;
    }
    if (s == State.CLOSING) {
      return null; // after our GOODBYE, the spec says to ignore everything but the peer's GOODBYE
    }
    try {
      handleEstablished(message);
    } catch (RequestErrorException e) {
      replyError(message, e);
    }
    return null;
  }

  private void handleEstablished(WampMessage message) {
    Realm r = realm;
    if (message instanceof Publish p) {
      checkUri(p.topic(), "topic");
      authorize(Action.PUBLISH, p.topic());
      long publication = r.broker().publish(this, p);
      if (Boolean.TRUE.equals(p.options().get("acknowledge"))) {
        connection.send(new Published(p.requestId(), publication));
      }
    } else if (message instanceof Subscribe sub) {
      checkUri(sub.topic(), "topic");
      checkMatchPolicy(sub.options());
      authorize(Action.SUBSCRIBE, sub.topic());
      long subscription = r.broker().subscribe(this, sub.topic());
      connection.send(new Subscribed(sub.requestId(), subscription));
    } else if (message instanceof Unsubscribe u) {
      r.broker().unsubscribe(this, u.subscriptionId());
      connection.send(new Unsubscribed(u.requestId()));
    } else if (message instanceof Call c) {
      checkUri(c.procedure(), "procedure");
      authorize(Action.CALL, c.procedure());
      r.dealer().call(this, c);
    } else if (message instanceof Register reg) {
      checkUri(reg.procedure(), "procedure");
      checkMatchPolicy(reg.options());
      authorize(Action.REGISTER, reg.procedure());
      Dealer.InvocationPolicy policy = Dealer.InvocationPolicy.of(reg.options().get("invoke"));
      long registration = r.dealer().register(this, reg.procedure(), policy);
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

  /** HELLO: an identity from the URL's ticket, a CHALLENGE for the ticket method, or anonymous if allowed. */
  private void hello(Hello hello) {
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
    if (urlIdentity != null) {
      join(r, urlIdentity);
      return;
    }
    List<?> methods = hello.details().get("authmethods") instanceof List<?> l ? l : List.of();
    Security security = router.security();
    if (methods.contains("ticket") && security.ticketsEnabled()) {
      pendingHello = hello;
      state = State.CHALLENGING;
      connection.send(new Challenge("ticket", Map.of()));
    } else if ((methods.isEmpty() || methods.contains("anonymous")) && router.config().allowAnonymous()) {
      join(r, Identity.anonymous(router.config()));
    } else {
      String offered = security.ticketsEnabled() ? (router.config().allowAnonymous() ? "ticket, anonymous" : "ticket")
          : (router.config().allowAnonymous() ? "anonymous" : "none");
      state = State.CLOSED;
      connection.sendAndClose(new Abort(Map.of("message", "no acceptable authentication method in " + methods
          + "; this router offers: " + offered), WampErrors.NO_AUTH_METHOD));
    }
  }

  /** AUTHENTICATE for the ticket method: the signature is an Oro ticket, checked off the I/O threads. */
  private CompletableFuture<Void> authenticate(Authenticate authenticate) {
    Hello hello = pendingHello;
    pendingHello = null;
    return router.security().verifyTicket(authenticate.signature(), connection.remoteAddress()).thenAccept(outcome -> {
      if (state != State.CHALLENGING) {
        if (outcome.accepted()) {
          router.security().release(outcome.identity()); // the transport went away meanwhile
        }
        return;
      }
      if (!outcome.accepted()) {
        state = State.CLOSED;
        connection.sendAndClose(new Abort(Map.of("message", outcome.publicMessage()), WampErrors.AUTHENTICATION_FAILED));
        return;
      }
      Object authid = hello.details().get("authid");
      Identity id = outcome.identity();
      if (authid != null && id.authid() != null && !authid.equals(id.authid())) {
        router.security().release(id);
        state = State.CLOSED;
        connection.sendAndClose(new Abort(Map.of("message", "the ticket is not for authid '" + authid + "'"),
            WampErrors.AUTHENTICATION_FAILED));
        return;
      }
      Realm r = router.realm(hello.realm());
      Identity previous = ticketHolder;
      ticketHolder = id;
      if (previous != null) {
        router.security().release(previous);
      }
      join(r, id);
    });
  }

  /** Joins without HELLO, for WAMP v1, which has none; WELCOME is sent as for v2 and translated by the connection. */
  void joinDirectly(Realm r, Identity who) {
    if (state == State.ESTABLISHING) {
      join(r, who);
    }
  }

  private void join(Realm r, Identity who) {
    long sessionId = router.newSessionId();
    this.id = sessionId;
    Identity joined = who.authid() != null ? who
        : who.withAuthid("ticket".equals(who.authmethod()) ? "anonymous-" + sessionId : String.valueOf(sessionId));
    this.identity = joined;
    this.realm = r;
    r.join(this);
    state = State.ESTABLISHED;
    router.counters().sessionsOpened.increment();
    if (connection instanceof WebSocketConnection ws) {
      ws.joined(joined);
    }
    Map<String, Object> details = new java.util.HashMap<>();
    details.put("roles", RouterRoles.ROLES);
    details.put("authid", joined.authid());
    details.put("authrole", joined.authrole());
    details.put("authmethod", joined.authmethod());
    details.put("authprovider", joined.authprovider());
    details.put("authextra", joined.authextra());
    connection.send(new Welcome(sessionId, details));
  }

  /** Throws {@code wamp.error.not_authorized} unless the rules allow {@code action} on {@code uri}. */
  private void authorize(Action action, String uri) {
    dev.tollgate.auth.Authorizer current = router.security().authorizer();
    if (current != decisionsOf || decisions.size() > 4096) {
      decisions.clear();
      decisionsOf = current;
    }
    Identity who = identity;
    String key = action.ordinal() + uri;
    Boolean allowed = decisions.get(key);
    if (allowed == null) {
      allowed = current.decide(new dev.tollgate.auth.Authorizer.Subject(realm.name(), who.roles(), who.authid(), who.userId()),
          action, uri).allowed();
      decisions.put(key, allowed);
    }
    if (!allowed) {
      throw new RequestErrorException(WampErrors.NOT_AUTHORIZED,
          "role '" + who.authrole() + "' may not " + action.wireName() + " '" + uri + "'");
    }
  }

  /** The user's roles changed: the next action is judged with the new ones. */
  void changeRoles(List<String> roles) {
    Identity current = identity;
    if (current != null) {
      identity = current.withRoles(roles);
      decisionsOf = null;
    }
  }

  /** The router ends the session (its user was removed or disabled): GOODBYE, then close. */
  void kill(String reason) {
    if (state == State.ESTABLISHED) {
      state = State.CLOSED;
      leave();
      connection.sendAndClose(new Goodbye(Map.of("message", reason), WampErrors.CLOSE_KILLED));
    }
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

  /** The transport is gone, whatever the reason: the tickets it held are released (see Security.release). */
  void transportClosed() {
    state = State.CLOSED;
    leave();
    Identity authenticated = ticketHolder;
    ticketHolder = null;
    if (authenticated != null) {
      router.security().release(authenticated);
    }
    if (urlIdentity != null && releasedUrlTicket.compareAndSet(false, true)) {
      router.security().release(urlIdentity);
    }
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
    if ((state == State.ESTABLISHING || state == State.CHALLENGING) && realm == null) {
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
    } else if (state == State.ESTABLISHING || state == State.CHALLENGING) {
      state = State.CLOSED;
      connection.close(1001, "router shutting down");
    }
  }

  private void checkUri(String uri, String what) {
    // WAMP v1 URIs are HTTP URIs (http://example.com/event#news): taken as they are, as Ratchet takes them.
    boolean valid = connection.format() == WireFormat.V1 ? !uri.isEmpty() : WampUris.isValid(uri, router.config().uriRules(), false);
    if (!valid) {
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
