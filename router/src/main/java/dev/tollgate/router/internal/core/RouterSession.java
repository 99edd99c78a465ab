package dev.tollgate.router.internal.core;

import dev.tollgate.auth.Action;
import dev.tollgate.protocol.Abort;
import dev.tollgate.protocol.Authenticate;
import dev.tollgate.protocol.Challenge;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.WampUris;
import dev.tollgate.protocol.Welcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WAMP session's state machine, from HELLO to GOODBYE, over one {@link Peer}. After GOODBYE the same peer may
 * join again with a new HELLO, and gets a new session id.
 *
 * <p>Threading: every change to a session's state runs while holding the session's own lock: its inbound messages
 * (one at a time, in order), the end of a ticket check, the HELLO timer, a kill, the router's shutdown and the end of
 * the transport. Other sessions never take it: they deliver to it through {@link #deliver}, which reads one volatile
 * field. While holding it, the session may take its realm's lock (see {@link Realm}), never another session's.
 */
public final class RouterSession {
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
  private final Peer peer;
  /** Who the upgrade request's ticket proved the peer to be; used at every HELLO on this transport. */
  private final Identity urlIdentity;
  /** The peer names topics by HTTP URIs (WAMP v1), which are taken as they are, as Ratchet takes them. */
  private final boolean httpUris;
  private volatile State state = State.ESTABLISHING;
  private volatile long id;
  private volatile Realm realm;
  private volatile Identity identity;
  /** When the session last joined (System.nanoTime); 0 before. */
  private volatile long joinedNanos;
  private Hello pendingHello;
  private Timers.Task helloTimer;
  /** The identity of the last AUTHENTICATE's ticket, released when the transport closes or the next one joins. */
  private Identity ticketHolder;
  private boolean urlTicketReleased;
  private final Permissions permissions;
  private final SessionRequests requests = new SessionRequests(this);

  /**
   * Subscriptions and registrations this session holds, by id; changed on the realm's owner. Each set is made at its
   * first use: most sessions hold only one kind, and Oro's backend publishers neither (88 bytes a set).
   */
  private volatile Set<Long> subscriptions;
  private volatile Set<Long> registrations;
  /** The registrations made with {@code forward_timeout}: their callees enforce a call's timeout themselves. */
  private volatile Set<Long> timeoutForwarded;
  /** What the peer announced in its HELLO; set before it joins, read by other sessions' calls. */
  private volatile Features features = Features.NONE;
  private volatile CallBook calls = new CallBook();
  private volatile Testaments testaments = new Testaments();
  /** A stand-in for a session of another node (see {@link StandIns}): never in the directory, never on a transport. */
  private boolean standIn;

  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<RouterSession, Set> SUBSCRIPTIONS =
      AtomicReferenceFieldUpdater.newUpdater(RouterSession.class, Set.class, "subscriptions");
  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<RouterSession, Set> REGISTRATIONS =
      AtomicReferenceFieldUpdater.newUpdater(RouterSession.class, Set.class, "registrations");
  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<RouterSession, Set> TIMEOUT_FORWARDED =
      AtomicReferenceFieldUpdater.newUpdater(RouterSession.class, Set.class, "timeoutForwarded");

  RouterSession(RouterCore router, Peer peer, Identity urlIdentity, boolean httpUris) {
    this.router = router;
    this.peer = peer;
    this.urlIdentity = urlIdentity;
    this.httpUris = httpUris;
    this.permissions = new Permissions(router.gatekeeper());
  }

  /**
   * A stand-in for session {@code id} of another node, in {@code realm} here, as it joined there: the dealer routes
   * calls to and from it as to any session, and its peer carries them to that node.
   */
  static RouterSession standIn(RouterCore router, Peer peer, Realm realm, long id, Identity identity,
      Features features) {
    RouterSession s = new RouterSession(router, peer, null, false);
    s.standIn = true;
    s.id = id;
    s.identity = identity;
    s.features = features;
    s.realm = realm;
    s.state = State.ESTABLISHED;
    return s;
  }

  /** Whether this is a stand-in for a session of another node. */
  boolean isStandIn() {
    return standIn;
  }

  /** A stand-in's session ended (or its node did): its registrations end and its calls are settled. */
  synchronized void leaveAsStandIn() {
    Realm r = realm;
    if (!standIn || r == null) {
      return;
    }
    realm = null;
    state = State.CLOSED;
    r.leave(this);
  }

  /** Whether this is session {@code sessionId}, established in {@code r} now. Under the session's lock. */
  boolean isEstablished(long sessionId, Realm r) {
    return state == State.ESTABLISHED && realm == r && id == sessionId;
  }

  /** The session id; 0 before the first join. */
  public long id() {
    return id;
  }

  public String authid() {
    return identity.authid();
  }

  public String authrole() {
    return identity.authrole();
  }

  /** Null until the session joins. */
  public Identity identity() {
    return identity;
  }

  /** When the session last joined, as System.nanoTime; 0 if it never joined. */
  public long joinedNanos() {
    return joinedNanos;
  }

  /** Where the peer connects from: its address, as the transport read it through trusted proxies. */
  public String clientAddress() {
    return peer.clientAddress();
  }

  /** How the peer speaks: json, msgpack, cbor or v1. */
  public String dialect() {
    return peer.format().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Null unless the session is in a realm. */
  public Realm realm() {
    return realm;
  }

  Peer peer() {
    return peer;
  }

  /** Whether the peer names topics by HTTP URIs (WAMP v1), taken as they are. */
  boolean httpUris() {
    return httpUris;
  }

  WampUris.Rules uriRules() {
    return router.config().uriRules();
  }

  Set<Long> subscriptions() {
    Set<Long> s = subscriptions;
    return s != null ? s : made(SUBSCRIPTIONS);
  }

  Set<Long> registrations() {
    Set<Long> s = registrations;
    return s != null ? s : made(REGISTRATIONS);
  }

  Set<Long> timeoutForwarded() {
    Set<Long> s = timeoutForwarded;
    return s != null ? s : made(TIMEOUT_FORWARDED);
  }

  /** Whether this callee enforces the timeouts of calls to registration {@code id} itself. */
  boolean forwardsTimeout(long registrationId) {
    Set<Long> s = timeoutForwarded;
    return s != null && s.contains(registrationId);
  }

  /** How many subscriptions and registrations this session holds, without making their sets. */
  int subscriptionCount() {
    Set<Long> s = subscriptions;
    return s == null ? 0 : s.size();
  }

  int registrationCount() {
    Set<Long> s = registrations;
    return s == null ? 0 : s.size();
  }

  /**
   * Makes one of the sets at its first use, once, without a lock: other sessions' threads read these sets while
   * holding their own session's lock, so taking this one's here could deadlock.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private Set<Long> made(AtomicReferenceFieldUpdater<RouterSession, Set> field) {
    field.compareAndSet(this, null, ConcurrentHashMap.newKeySet());
    return field.get(this);
  }

  Features features() {
    return features;
  }

  CallBook calls() {
    return calls;
  }

  Testaments testaments() {
    return testaments;
  }

  /**
   * Whether the peer has something to receive: a subscription, a registration or a call awaiting its result. Only
   * such a peer is expected to answer pings (the transport's liveness check). Any thread.
   */
  public boolean expectsDeliveries() {
    return subscriptionCount() > 0 || registrationCount() > 0 || calls.awaitsResults();
  }

  /**
   * The one gate for what other sessions send this one (events, invocations, results): open only while the session
   * is established. A peer that received the router's GOODBYE is closing, and the spec's session statechart has it
   * ignore everything but the GOODBYE exchange ("Received other / ignore"); a result sent then would only be dropped
   * or, worse, taken for the outcome of a call that the closing connection in fact lost. Any thread; no lock.
   */
  boolean deliver(Publication publication) {
    if (state != State.ESTABLISHED) {
      return false;
    }
    peer.deliver(publication);
    return true;
  }

  void deliver(WampMessage message) {
    if (state == State.ESTABLISHED) {
      peer.send(message);
    }
  }

  /** Starts the HELLO timer: a peer that has not joined within {@code session.hello-timeout} is told and closed. */
  synchronized void startHelloTimer(Duration timeout) {
    if (!timeout.isZero() && state == State.ESTABLISHING) {
      helloTimer = router.timers().schedule(this::helloTimedOut, timeout);
    }
  }

  /** The router's counters, for what this session's calls and messages add to them. */
  Counters counters() {
    return router.counters();
  }

  /**
   * Handles one message from the peer. Returns null when done, or a future when the session waits for a slow check
   * (a ticket): the transport should read the next message only once it completes.
   */
  public synchronized CompletableFuture<Void> onMessage(WampMessage message) {
    router.counters().messageIn(message.code());
    State s = state;
    if (s == State.CLOSED) {
      return null;
    }
    if (message instanceof Hello hello) {
      if (s != State.ESTABLISHING) {
        protocolViolation("HELLO received in an established session");
      } else {
        hello(hello);
      }
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
        peer.close(Peer.Close.NORMAL, null);
        return null;
      }
      protocolViolation("expected AUTHENTICATE but was " + MessageCodes.name(message.code()));
      return null;
    }
    if (message instanceof Abort) {
      leave();
      state = State.CLOSED;
      peer.close(Peer.Close.NORMAL, null);
      return null;
    }
    if (message instanceof Goodbye) {
      leave();
      if (s == State.CLOSING) {
        state = State.CLOSED;
        peer.close(Peer.Close.NORMAL, null);
      } else {
        state = State.ESTABLISHING;
        peer.send(new Goodbye(Map.of(), WampErrors.CLOSE_GOODBYE_AND_OUT));
      }
      return null;
    }
    if (s == State.CLOSING) {
      return null; // after our GOODBYE, the spec says to ignore everything but the peer's GOODBYE
    }
    requests.handle(message);
    return null;
  }

  /** HELLO: an identity from the URL's ticket, a CHALLENGE for the ticket method, or anonymous if allowed. */
  private void hello(Hello hello) {
    Realm r = router.realm(hello.realm());
    if (r == null) {
      state = State.CLOSED;
      peer.sendAndClose(
          new Abort(Map.of("message", "realm '" + hello.realm() + "' does not exist"), WampErrors.NO_SUCH_REALM));
      return;
    }
    if (!(hello.details().get("roles") instanceof Map<?, ?> roles) || roles.isEmpty()) {
      protocolViolation("HELLO.Details.roles: expected a dict naming at least one role");
      return;
    }
    features = Features.of(roles);
    if (urlIdentity != null) {
      join(r, urlIdentity);
      return;
    }
    List<?> methods = hello.details().get("authmethods") instanceof List<?> l ? l : List.of();
    Gatekeeper gatekeeper = router.gatekeeper();
    boolean anonymous = router.config().allowAnonymous();
    if (methods.contains("ticket") && gatekeeper.ticketsEnabled()) {
      pendingHello = hello;
      state = State.CHALLENGING;
      peer.send(new Challenge("ticket", Map.of()));
    } else if ((methods.isEmpty() || methods.contains("anonymous")) && anonymous) {
      join(r, Identity.anonymous(router.config()));
    } else {
      String offered = gatekeeper.ticketsEnabled() ? (anonymous ? "ticket, anonymous" : "ticket")
          : (anonymous ? "anonymous" : "none");
      state = State.CLOSED;
      peer.sendAndClose(new Abort(Map.of("message", "no acceptable authentication method in " + methods
          + "; this router offers: " + offered), WampErrors.NO_AUTH_METHOD));
    }
  }

  /** AUTHENTICATE for the ticket method: the signature is an Oro ticket, checked off the I/O threads. */
  private CompletableFuture<Void> authenticate(Authenticate authenticate) {
    Hello hello = pendingHello;
    pendingHello = null;
    return router.gatekeeper().verifyTicket(authenticate.signature(), peer.clientAddress())
        .thenAccept(outcome -> authenticated(hello, outcome));
  }

  private synchronized void authenticated(Hello hello, TicketOutcome outcome) {
    if (state != State.CHALLENGING) {
      if (outcome.isAccepted()) {
        router.gatekeeper().release(outcome.identity()); // the transport went away meanwhile
      }
      return;
    }
    if (!outcome.isAccepted()) {
      state = State.CLOSED;
      peer.sendAndClose(new Abort(Map.of("message", outcome.publicMessage()), WampErrors.AUTHENTICATION_FAILED));
      return;
    }
    Object authid = hello.details().get("authid");
    Identity who = outcome.identity();
    if (authid != null && who.authid() != null && !authid.equals(who.authid())) {
      router.gatekeeper().release(who);
      state = State.CLOSED;
      peer.sendAndClose(new Abort(Map.of("message", "the ticket is not for authid '" + authid + "'"),
          WampErrors.AUTHENTICATION_FAILED));
      return;
    }
    Identity previous = ticketHolder;
    ticketHolder = who;
    if (previous != null) {
      router.gatekeeper().release(previous);
    }
    join(router.realm(hello.realm()), who);
  }

  /** Joins without HELLO, for WAMP v1, which has none; WELCOME is sent as for v2 and translated by the peer. */
  public synchronized void joinWithoutHello(String realmName, Identity who) {
    if (state == State.ESTABLISHING) {
      features = Features.NONE;
      join(router.realm(realmName), who);
    }
  }

  private void join(Realm r, Identity who) {
    long sessionId = r.directory().allocateId();
    Identity joined = who.authid() != null ? who
        : who.withAuthid("ticket".equals(who.authmethod()) ? "anonymous-" + sessionId : String.valueOf(sessionId));
    this.id = sessionId;
    this.identity = joined;
    this.calls = new CallBook();
    this.testaments = new Testaments();
    permissions.forget();
    this.realm = r;
    this.joinedNanos = System.nanoTime();
    r.join(this);
    state = State.ESTABLISHED;
    cancelHelloTimer();
    router.counters().sessionsOpened.increment();
    peer.joined(joined);
    Map<String, Object> details = new HashMap<>();
    details.put("roles", RouterRoles.ROLES);
    details.put("authid", joined.authid());
    details.put("authrole", joined.authrole());
    details.put("authmethod", joined.authmethod());
    details.put("authprovider", joined.authprovider());
    details.put("authextra", joined.authextra());
    peer.send(new Welcome(sessionId, details));
  }

  void authorize(Action action, String uri) {
    permissions.check(realm.name(), identity, action, uri);
  }

  /**
   * Whether this session, subscribed by a pattern, may receive an event on {@code topic}: the rules allow it to
   * subscribe to that topic itself. A pattern allowed as a URI can still match topics a more specific rule denies.
   * Any thread; no lock.
   */
  boolean mayReceive(String topic) {
    return mayDo(Action.SUBSCRIBE, topic);
  }

  /** Whether this session may publish to {@code topic} (its testaments). Any thread. */
  boolean mayPublish(String topic) {
    return mayDo(Action.PUBLISH, topic);
  }

  /** Whether this session, registered by a pattern, may serve a call to {@code procedure}: as for an event. */
  boolean mayServe(String procedure) {
    return mayDo(Action.REGISTER, procedure);
  }

  private boolean mayDo(Action action, String uri) {
    Realm r = realm;
    Identity who = identity;
    return r != null && who != null && permissions.allows(r.name(), who, action, uri);
  }

  /** The user's roles changed: the next action is judged with the new ones. */
  synchronized void changeRoles(List<String> roles) {
    Identity current = identity;
    Realm r = realm;
    if (current == null || r == null) {
      return;
    }
    identity = current.withRoles(roles);
    permissions.forget();
    r.roleChanged(this, current.authrole());
  }

  /** The router ends the session (its user was removed or disabled): GOODBYE, then close. */
  void kill(String reason) {
    kill(WampErrors.CLOSE_KILLED, reason);
  }

  /** Ends the session with GOODBYE {@code reasonUri} (and a message, if not null), then closes; false if not joined. */
  synchronized boolean kill(String reasonUri, String message) {
    if (state != State.ESTABLISHED) {
      return false;
    }
    leave();
    state = State.CLOSED;
    peer.sendAndClose(new Goodbye(message == null ? Map.of() : Map.of("message", message), reasonUri));
    return true;
  }

  /** Leaves the realm: subscriptions and registrations end, calls in flight are settled. Idempotent. */
  private void leave() {
    Realm r = realm;
    if (r == null) {
      return;
    }
    publishTestaments(r);
    realm = null;
    r.leave(this);
    router.counters().sessionsClosed.increment();
  }

  /**
   * The session ends: its testaments are published as it would publish them itself, each authorized as its own
   * PUBLISH would be now (a rule changed since it was added may deny it).
   */
  private void publishTestaments(Realm r) {
    for (Publish testament : testaments.take()) {
      if (permissions.allows(r.name(), identity, Action.PUBLISH, testament.topic())) {
        r.broker().publish(this, testament);
      } else {
        LOG.debug("testament of session {} on {} not published: not authorized", id, testament.topic());
      }
    }
  }

  /** The transport is gone, whatever the reason: the tickets it held are released (see Gatekeeper.release). */
  public synchronized void transportClosed() {
    state = State.CLOSED;
    cancelHelloTimer();
    leave();
    Identity authenticated = ticketHolder;
    ticketHolder = null;
    if (authenticated != null) {
      router.gatekeeper().release(authenticated);
    }
    if (urlIdentity != null && !urlTicketReleased) {
      urlTicketReleased = true;
      router.gatekeeper().release(urlIdentity);
    }
  }

  /** Ends the session with ABORT {@code wamp.error.protocol_violation}: the peer broke the protocol. */
  public synchronized void protocolViolation(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    router.counters().protocolViolations.increment();
    LOG.debug("protocol violation by {} (session {}): {}", peer.describe(), id, reason);
    leave();
    state = State.CLOSED;
    peer.sendAndClose(new Abort(Map.of("message", reason), WampErrors.PROTOCOL_VIOLATION));
  }

  private synchronized void helloTimedOut() {
    if (state == State.ESTABLISHING || state == State.CHALLENGING) {
      long seconds = router.config().helloTimeout().toSeconds();
      state = State.CLOSED;
      peer.sendAndClose(new Abort(
          Map.of("message", "no HELLO within " + seconds + " s (session.hello-timeout)"), WampErrors.PROTOCOL_VIOLATION));
    }
  }

  private void cancelHelloTimer() {
    Timers.Task timer = helloTimer;
    helloTimer = null;
    if (timer != null) {
      timer.cancel();
    }
  }

  /**
   * Router shutdown, first step, for every session before any is sent GOODBYE: nothing more is delivered to this one
   * (see {@link #deliver}). Otherwise a callee answering its GOODBYE first would leave, and its callers, not yet told,
   * would get {@code wamp.error.canceled} for calls that in truth end with the router.
   */
  public synchronized void stopDeliveries() {
    if (state == State.ESTABLISHED) {
      state = State.CLOSING;
    }
  }

  /** Router shutdown: say GOODBYE and wait for the peer's; a session not yet joined is closed at once. */
  public synchronized void shutdown() {
    if (state == State.ESTABLISHED || state == State.CLOSING) {
      state = State.CLOSING;
      peer.sayGoodbye(new Goodbye(Map.of("message", "the router is shutting down"), WampErrors.CLOSE_SYSTEM_SHUTDOWN));
    } else if (state == State.ESTABLISHING || state == State.CHALLENGING) {
      state = State.CLOSED;
      peer.close(Peer.Close.GOING_AWAY, "router shutting down");
    }
  }

}
