package dev.tollgate.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.protocol.Serializer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A WAMP v2 client for backends: publish, subscribe, call and register against Tollgate or any standard router.
 *
 * <p><b>Lifecycle.</b> Built by {@link #builder()}; {@link #connect()} opens the first session and completes with who
 * the client is ({@link SessionDetails}); {@link #close()} says GOODBYE and ends it for good. States: CONNECTING (the
 * first attempt), CONNECTED, RECONNECTING (the transport was lost; attempts follow with exponential backoff and
 * jitter, each asking the ticket suppliers for a fresh ticket, since tickets are one-time), CLOSED. Any failure within
 * an attempt (a ticket supplier that throws, an unreachable or refusing router, a lost transport) leads to the next
 * attempt; a first connect that fails ends in CLOSED with the cause, and {@code connect()} fails with it
 * ({@link SessionRefusedException} carries the router's reason). After a reconnection every subscription,
 * registration and testament is made again; one the router now refuses is dropped, and its {@code ended()} future
 * and the {@link Listener} say so. Requests in flight when the transport is lost fail with
 * {@link ConnectionLostException}. {@code close()} wins in any state.
 *
 * <p><b>Threading.</b> All methods are thread-safe and never block, except {@link #close()}. Every future the client
 * returns completes on its executor, and every handler and listener call runs there, never on the WebSocket's I/O
 * thread; a future that fails at once (not connected, a value that cannot be sent) is already complete when returned.
 * The executor is the builder's, or by default the client's own pool, which grows a thread for each callback that
 * blocks, so a handler may wait on the client's futures (a call inside an event handler, say) without deadlock. A
 * builder's executor must allow that too if handlers block: a single thread cannot complete the future it waits on.
 * The events of one subscription are handled one at a time, in order; the listener is called one call at a time, in
 * order ({@link Listener#onJoined} before {@code connect()} completes); invocations may run concurrently.
 *
 * <p><b>Values.</b> One Jackson {@code ObjectMapper} maps both directions (the builder's, or one that ignores unknown
 * properties): arguments, keyword arguments and handler results may be records, POJOs, maps, lists and scalars, and
 * {@link Values} converts what arrives to any type. A value Jackson cannot write fails the request's future.
 */
public final class WampClient implements AutoCloseable {
  /** Where the client is in its life. */
  public enum State {
    CONNECTING,
    CONNECTED,
    RECONNECTING,
    CLOSED
  }

  /** What happens to the client, with no-op defaults. Called on the client's executor, one call at a time, in order. */
  public interface Listener {
    /** Every state change; {@code cause} says why a session was lost or a first connect failed, else null. */
    default void onStateChanged(State state, Throwable cause) {}

    /** A session joined (at the first connect and at every reconnection), before the state becomes CONNECTED. */
    default void onJoined(SessionDetails session) {}

    /** An attempt failed or the session was lost; the next attempt comes after {@code delay}. */
    default void onReconnectScheduled(int attempt, Duration delay, Throwable cause) {}

    /** After a reconnection, the router refused to make this subscription again; it is dropped. */
    default void onSubscriptionLost(Subscription subscription, Throwable cause) {}

    /** After a reconnection, the router refused to make this registration again; it is dropped. */
    default void onRegistrationLost(Registration registration, Throwable cause) {}
  }

  private final ClientCore core;
  private final MetaApi meta;

  private WampClient(Builder b) {
    this.core = new ClientCore(b);
    this.meta = new MetaApi(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the first session; completes with its details at WELCOME, fails when the router refuses
   * ({@link SessionRefusedException}) or cannot be reached ({@link ConnectionLostException}), and then the client is
   * CLOSED: reconnection starts only once a session has been up.
   */
  public CompletableFuture<SessionDetails> connect() {
    return core.connect();
  }

  public State state() {
    return core.state();
  }

  /** The current session's id, 0 when there is none. */
  public long sessionId() {
    return core.sessionId();
  }

  /** The current session's details, null when not CONNECTED. */
  public SessionDetails session() {
    return core.current();
  }

  /** Publishes; with {@code acknowledge} the future completes at PUBLISHED (and fails on ERROR), else when sent. */
  public CompletableFuture<Void> publish(String topic, List<?> args, Map<String, ?> kwargs, Options.Publish options) {
    return core.publish(topic, args, kwargs, options);
  }

  public CompletableFuture<Void> publish(String topic, Object... args) {
    return core.publish(topic, List.of(args), Map.of(), Options.Publish.DEFAULT);
  }

  public CompletableFuture<Subscription> subscribe(String topic, Handlers.EventHandler handler, Options.Subscribe options) {
    return core.subscribe(topic, handler, options);
  }

  public CompletableFuture<Subscription> subscribe(String topic, Handlers.EventHandler handler) {
    return core.subscribe(topic, handler, Options.Subscribe.DEFAULT);
  }

  /**
   * Calls; the result's {@link Values#as} maps it to a type. An ERROR fails it with {@link ApplicationException}. The
   * options add a timeout, progressive results and the cancel mode; see {@link CallFuture} for canceling.
   */
  public CallFuture call(String procedure, List<?> args, Map<String, ?> kwargs, Options.Call options) {
    return core.call(procedure, args, kwargs, options);
  }

  public CallFuture call(String procedure, Object... args) {
    return core.call(procedure, List.of(args), Map.of(), Options.Call.DEFAULT);
  }

  /**
   * Starts a call to be sent in pieces (progressive call invocations), where the router offers them: nothing is sent
   * until the first {@link ProgressiveCall#send}.
   */
  public ProgressiveCall callInPieces(String procedure, Options.Call options) {
    return core.callInPieces(procedure, options);
  }

  /**
   * Registers a procedure. A caller that sends this procedure a call in pieces gets
   * {@code wamp.error.feature_not_supported}: use {@link #registerProgressive} for that.
   */
  public CompletableFuture<Registration> register(String procedure, Handlers.InvocationHandler handler, Options.Register options) {
    Objects.requireNonNull(handler, "handler");
    return core.register(procedure, invocation -> {
      if (invocation.hasMoreInput()) {
        throw new ApplicationException("wamp.error.feature_not_supported",
            List.of("'" + procedure + "' does not take calls sent in pieces"), Map.of());
      }
      return handler.onInvocation(invocation.call());
    }, options);
  }

  public CompletableFuture<Registration> register(String procedure, Handlers.InvocationHandler handler) {
    return register(procedure, handler, Options.Register.DEFAULT);
  }

  /** Registers a procedure whose handler may send progressive results and take calls sent in pieces. */
  public CompletableFuture<Registration> registerProgressive(String procedure,
      Handlers.ProgressiveInvocationHandler handler, Options.Register options) {
    return core.register(procedure, Objects.requireNonNull(handler, "handler"), options);
  }

  /**
   * Leaves a testament: an event the router publishes on this client's behalf when its session ends without saying
   * so (transport lost, killed, GOODBYE), under the same authorization as a publish by it. The client adds it again to
   * every session after a reconnection, until {@link #flushTestaments} withdraws it.
   */
  public CompletableFuture<Void> addTestament(String topic, List<?> args, Map<String, ?> kwargs,
      Options.Publish options, Options.TestamentScope scope) {
    return core.addTestament(Objects.requireNonNull(topic, "topic"), args, kwargs,
        Objects.requireNonNull(options, "options"), Objects.requireNonNull(scope, "scope"));
  }

  /** Withdraws this session's testaments of {@code scope}, here and at the router. */
  public CompletableFuture<Void> flushTestaments(Options.TestamentScope scope) {
    return core.flushTestaments(Objects.requireNonNull(scope, "scope"));
  }

  /** The realm's meta API, typed. */
  public MetaApi meta() {
    return meta;
  }

  /**
   * Says GOODBYE and closes for good; completes when the router has answered GOODBYE or the transport is gone (at
   * most {@code 2 s} after GOODBYE), and the state is then CLOSED. Idempotent: every call returns the same future.
   */
  public CompletableFuture<Void> closeAsync() {
    return core.closeAsync();
  }

  /** {@link #closeAsync()}, waiting for it (a few seconds at most). */
  @Override
  public void close() {
    core.close();
  }

  /** Builds an immutable client; each setter checks its argument at once. */
  public static final class Builder {
    URI uri;
    String realm = "realm1";
    Serializer serializer = Serializer.JSON;
    Supplier<String> urlTicket;
    Supplier<String> ticket;
    String authid;
    Executor executor;
    ObjectMapper objectMapper;
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration initialReconnectDelay = Duration.ofMillis(500);
    Duration maxReconnectDelay = Duration.ofSeconds(30);
    boolean reconnect = true;
    Listener listener = new Listener() {};

    private Builder() {}

    /** The router's WebSocket URL, {@code ws://} or {@code wss://}. */
    public Builder uri(URI uri) {
      Objects.requireNonNull(uri, "uri");
      if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
        throw new IllegalArgumentException("uri: expected a ws:// or wss:// URL but was " + uri);
      }
      this.uri = uri;
      return this;
    }

    public Builder uri(String uri) {
      return uri(URI.create(uri));
    }

    public Builder realm(String realm) {
      this.realm = Objects.requireNonNull(realm, "realm");
      return this;
    }

    /** {@code JSON} (default), {@code MSGPACK} or {@code CBOR}. */
    public Builder serializer(Serializer serializer) {
      this.serializer = Objects.requireNonNull(serializer, "serializer");
      return this;
    }

    /** Oro style: a ticket in the URL ({@code ?ticket=…}), asked for again at every (re)connect. */
    public Builder urlTicket(Supplier<String> tickets) {
      this.urlTicket = Objects.requireNonNull(tickets, "tickets");
      return this;
    }

    /** The WAMP {@code ticket} authmethod: the supplier answers each CHALLENGE, at every (re)connect. */
    public Builder ticket(String authid, Supplier<String> tickets) {
      this.authid = authid;
      this.ticket = Objects.requireNonNull(tickets, "tickets");
      return this;
    }

    /**
     * Where futures complete and handlers run; by default the client's own pool (see the threading contract above).
     * The client does not shut a given executor down.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The Jackson mapper for values in both directions, e.g. with modules registered; the client does not change it. */
    public Builder objectMapper(ObjectMapper mapper) {
      this.objectMapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout: expected a positive duration but was " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /** Backoff between reconnection attempts: from {@code initial}, doubling up to {@code max}, with ±50 % jitter. */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("reconnectBackoff: expected 0 < initial <= max but was " + initial + ", " + max);
      }
      this.initialReconnectDelay = initial;
      this.maxReconnectDelay = max;
      return this;
    }

    /** Whether to reconnect after the transport is lost (default true). */
    public Builder reconnect(boolean enabled) {
      this.reconnect = enabled;
      return this;
    }

    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public WampClient build() {
      if (uri == null) {
        throw new IllegalStateException("uri is required");
      }
      return new WampClient(this);
    }
  }
}
