package dev.tollgate.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What outlives one session: the wanted subscriptions, registrations and testaments, the state, and the reconnection
 * state machine. A {@link RealSession} is one connection; when it is lost, a new one is made and everything wanted is
 * restored.
 *
 * <p><b>The state machine</b> (every change under {@link #lock}; the listener hears of each, in order):
 * <pre>
 *   CLOSED --connect()--> CONNECTING --attempt joined--> CONNECTED --transport lost--> RECONNECTING
 *   CONNECTING --attempt failed--> CLOSED (connect() fails with the cause; a first connect does not retry)
 *   RECONNECTING --attempt joined--> CONNECTED;  RECONNECTING --attempt failed--> RECONNECTING (next attempt, backoff)
 *   CONNECTED --transport lost, reconnect(false)--> CLOSED
 *   any --close()--> CLOSED (GOODBYE answered, or the transport gone, or nothing was open)
 * </pre>
 * An attempt is: ask the ticket supplier, open the WebSocket, HELLO to WELCOME, restore everything wanted. A failure in
 * any step fails the attempt (never escapes it); a subscription or registration the router refuses to restore is
 * dropped and reported, and does not fail the attempt. {@link #close()} wins over everything: a pending attempt is
 * canceled, one under way is abandoned.
 */
final class ClientCore {
  private static final Logger LOG = LoggerFactory.getLogger(ClientCore.class);
  private static final AtomicInteger CLIENTS = new AtomicInteger();
  /** How long close() waits for the router to answer GOODBYE before it drops the transport. */
  static final Duration GOODBYE_WAIT = Duration.ofSeconds(2);

  /** One local subscription; its router id changes at every reconnection. */
  final class LocalSubscription implements Subscription {
    final String topic;
    final Options.Subscribe options;
    final Handlers.EventHandler handler;
    final SerialExecutor order;
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    volatile long routerId;

    LocalSubscription(String topic, Options.Subscribe options, Handlers.EventHandler handler) {
      this.topic = topic;
      this.options = options;
      this.handler = handler;
      this.order = new SerialExecutor(executor);
    }

    @Override
    public String topic() {
      return topic;
    }

    @Override
    public CompletableFuture<Void> unsubscribe() {
      subscriptions.remove(this);
      RealSession s = currentSession();
      CompletableFuture<Void> done = s == null ? CompletableFuture.completedFuture(null) : s.unsubscribe(this);
      return onExecutor(done.whenComplete((x, e) -> ended.complete(null)));
    }

    @Override
    public CompletableFuture<Void> ended() {
      return ended;
    }
  }

  /** One local registration; its router id changes at every reconnection. */
  final class LocalRegistration implements Registration {
    final String procedure;
    final Options.Register options;
    final Handlers.ProgressiveInvocationHandler handler;
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    volatile long routerId;

    LocalRegistration(String procedure, Options.Register options, Handlers.ProgressiveInvocationHandler handler) {
      this.procedure = procedure;
      this.options = options;
      this.handler = handler;
    }

    @Override
    public String procedure() {
      return procedure;
    }

    @Override
    public CompletableFuture<Void> unregister() {
      registrations.remove(this);
      RealSession s = currentSession();
      CompletableFuture<Void> done = s == null ? CompletableFuture.completedFuture(null) : s.unregister(this);
      return onExecutor(done.whenComplete((x, e) -> ended.complete(null)));
    }

    @Override
    public CompletableFuture<Void> ended() {
      return ended;
    }
  }

  /** A testament the application added and has not flushed: added again to every new session. */
  record LocalTestament(String topic, List<Object> args, Map<String, Object> kwargs, Options.Publish options,
      Options.TestamentScope scope) {
    CompletableFuture<Void> addTo(RealSession s) {
      Map<String, Object> publishOptions = options.toMap();
      publishOptions.remove("acknowledge"); // the testament's publication is the router's; nobody waits for it
      return s.call("wamp.session.add_testament", List.of(topic, args, kwargs),
          Map.of("publish_options", publishOptions, "scope", scope.wireName()), Options.Call.DEFAULT).thenApply(x -> null);
    }
  }

  final WampClient.Builder config;
  final ValueMapper values;
  /** Where futures complete and handlers run: the builder's, or {@link #ownExecutor}. */
  final Executor executor;
  /** The client's own executor when the builder named none; shut down once the client is closed. */
  private final ExecutorService ownExecutor;
  /** Listener calls and the completion of connect() and close(), one at a time and in order. */
  private final SerialExecutor events;
  /** Added by the session as the router's answer is read (see RealSession.subscribe), so no EVENT finds it missing. */
  final CopyOnWriteArrayList<LocalSubscription> subscriptions = new CopyOnWriteArrayList<>();
  final CopyOnWriteArrayList<LocalRegistration> registrations = new CopyOnWriteArrayList<>();
  final CopyOnWriteArrayList<LocalTestament> testaments = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;
  private final CompletableFuture<SessionDetails> firstConnect = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private final Object lock = new Object();
  private volatile WampClient.State state = WampClient.State.CLOSED;
  /** The session of the attempt under way, or the joined one; null between attempts. Guarded by lock. */
  private RealSession session;
  /** The joined session's details; null when not CONNECTED. */
  private volatile SessionDetails current;
  private boolean started;
  private boolean closing;
  private boolean closeFinished;
  /** Reconnection is for sessions that were once up: a first connect that fails is the caller's to handle. */
  private boolean everConnected;
  private int attempts;
  private ScheduledFuture<?> nextAttempt;

  ClientCore(WampClient.Builder config) {
    this.config = config;
    this.values = new ValueMapper(config.objectMapper != null ? config.objectMapper : ValueMapper.defaultObjectMapper());
    int client = CLIENTS.incrementAndGet();
    if (config.executor != null) {
      this.ownExecutor = null;
      this.executor = config.executor;
    } else {
      AtomicInteger threads = new AtomicInteger();
      // A thread for each callback that blocks, grown as needed and gone after a minute idle: a handler may wait on
      // the client's futures without starving the thread that would complete them.
      this.ownExecutor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "wamp-client-" + client + "-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      this.executor = ownExecutor;
    }
    this.events = new SerialExecutor(executor);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "wamp-client-" + client + "-timer");
      t.setDaemon(true);
      return t;
    });
  }

  WampClient.State state() {
    return state;
  }

  SessionDetails current() {
    return current;
  }

  long sessionId() {
    SessionDetails d = current;
    return d == null ? 0 : d.sessionId();
  }

  /** The joined session requests go to, or null when not CONNECTED. */
  RealSession currentSession() {
    synchronized (lock) {
      return state == WampClient.State.CONNECTED ? session : null;
    }
  }

  /** Runs {@code task} after {@code delay} on the client's timer; nothing once the client is closed. */
  void schedule(Runnable task, long delay, TimeUnit unit) {
    try {
      timer.schedule(task, delay, unit);
    } catch (RejectedExecutionException closedAlready) {
      LOG.debug("the client is closed; a timer task is dropped");
    }
  }

  // --- the state machine ------------------------------------------------------------------------------------------

  CompletableFuture<SessionDetails> connect() {
    synchronized (lock) {
      if (started || closing) {
        return CompletableFuture.failedFuture(new IllegalStateException(
            "connect() was already called (state " + state + (closing ? ", closed" : "") + ")"));
      }
      started = true;
      setState(WampClient.State.CONNECTING, null);
    }
    startAttempt();
    return firstConnect;
  }

  /**
   * Starts an attempt on the executor: a ticket supplier may block (fetching a ticket over HTTP), and neither the
   * caller of connect() nor the timer, which also times calls out, should wait for it.
   */
  private void startAttempt() {
    try {
      executor.execute(this::attempt);
    } catch (RejectedExecutionException closedAlready) {
      attempt();
    }
  }

  /** One attempt to join and restore; never throws. */
  private void attempt() {
    RealSession s;
    synchronized (lock) {
      if (closing) {
        return;
      }
      s = new RealSession(this);
      session = s;
    }
    CompletableFuture<SessionDetails> joined;
    try {
      joined = s.open().thenCompose(welcome -> restore(s).thenApply(x -> welcome));
    } catch (RuntimeException unexpected) {
      joined = CompletableFuture.failedFuture(unexpected);
    }
    joined.whenComplete((details, failure) -> {
      if (failure == null) {
        joined(s, details);
      } else {
        attemptFailed(s, unwrap(failure));
      }
    });
  }

  /**
   * Subscribes and registers again everything the application holds, on a new session, and adds its testaments again:
   * the router published them when the old session ended, and the application wants them armed while it is away.
   * What the router refuses is dropped and reported; only a lost connection fails the restore (and the attempt).
   */
  private CompletableFuture<Void> restore(RealSession s) {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (LocalSubscription sub : subscriptions) {
      all.add(s.subscribe(sub).exceptionally(failure -> refusedOrThrow(failure, cause -> {
        subscriptions.remove(sub);
        LOG.warn("the subscription to {} could not be made again: {}", sub.topic, cause.getMessage());
        sub.ended.completeExceptionally(cause);
        tell(l -> l.onSubscriptionLost(sub, cause));
      })));
    }
    for (LocalRegistration reg : registrations) {
      all.add(s.register(reg).exceptionally(failure -> refusedOrThrow(failure, cause -> {
        registrations.remove(reg);
        LOG.warn("the registration of {} could not be made again: {}", reg.procedure, cause.getMessage());
        reg.ended.completeExceptionally(cause);
        tell(l -> l.onRegistrationLost(reg, cause));
      })));
    }
    for (LocalTestament testament : testaments) {
      all.add(testament.addTo(s).exceptionally(failure -> refusedOrThrow(failure, cause -> {
        testaments.remove(testament);
        LOG.warn("the testament for {} could not be added again: {}", testament.topic(), cause.getMessage());
      })));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new));
  }

  /** A refusal is the item's ({@code onRefused}); a lost connection is the attempt's, and is thrown on. */
  private static Void refusedOrThrow(Throwable failure, Consumer<Throwable> onRefused) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ConnectionLostException) {
      throw new CompletionException(cause);
    }
    onRefused.accept(cause);
    return null;
  }

  private void joined(RealSession s, SessionDetails details) {
    synchronized (lock) {
      if (session != s || closing) {
        return; // close() has this session and ends it
      }
      if (s.ended()) {
        // lost between its restore and now: the session's own report came while it was not yet CONNECTED
        attemptFailedLocked(s, new ConnectionLostException("the session ended as it joined"));
        return;
      }
      everConnected = true;
      attempts = 0;
      current = details;
      tell(l -> l.onJoined(details));
      setState(WampClient.State.CONNECTED, null);
      events.execute(() -> firstConnect.complete(details));
    }
  }

  private void attemptFailed(RealSession s, Throwable cause) {
    s.abandon(cause);
    synchronized (lock) {
      attemptFailedLocked(s, cause);
    }
  }

  private void attemptFailedLocked(RealSession s, Throwable cause) {
    if (session != s) {
      return;
    }
    session = null;
    if (closing) {
      finishCloseLocked();
    } else if (!everConnected) {
      LOG.debug("could not connect to {}: {}", config.uri, cause.toString());
      setState(WampClient.State.CLOSED, cause);
      events.execute(() -> firstConnect.completeExceptionally(cause));
      closing = true;
      finishCloseLocked();
    } else {
      scheduleReconnectLocked(cause);
    }
  }

  /** Called by a session whose transport ended (once per session). */
  void sessionLost(RealSession lost, Throwable cause) {
    synchronized (lock) {
      if (session != lost) {
        return;
      }
      if (closing) {
        session = null;
        finishCloseLocked();
        return;
      }
      if (state != WampClient.State.CONNECTED) {
        return; // an attempt under way: its own future fails, and attemptFailed decides
      }
      session = null;
      current = null;
      if (!config.reconnect) {
        setState(WampClient.State.CLOSED, cause);
        closing = true;
        finishCloseLocked();
        return;
      }
      setState(WampClient.State.RECONNECTING, cause);
      scheduleReconnectLocked(cause);
    }
  }

  private void scheduleReconnectLocked(Throwable cause) {
    long base = Math.min(config.maxReconnectDelay.toMillis(),
        config.initialReconnectDelay.toMillis() << Math.min(attempts, 20));
    attempts++;
    long delay = (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
    int attempt = attempts;
    LOG.debug("reconnecting to {} in {} ms (attempt {}): {}", config.uri, delay, attempt, cause.toString());
    tell(l -> l.onReconnectScheduled(attempt, Duration.ofMillis(delay), cause));
    try {
      nextAttempt = timer.schedule(this::startAttempt, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closedAlready) {
      LOG.debug("the client is closed; no reconnection");
    }
  }

  CompletableFuture<Void> closeAsync() {
    RealSession s;
    synchronized (lock) {
      if (closing) {
        return closed;
      }
      closing = true;
      if (nextAttempt != null) {
        nextAttempt.cancel(false);
      }
      s = session;
      if (s == null) {
        finishCloseLocked();
        return closed;
      }
    }
    s.goodbye(); // its end() reports back through sessionLost, which finishes the close
    return closed;
  }

  /** Blocks until closed, at most a little longer than the GOODBYE wait. */
  void close() {
    try {
      closeAsync().get(GOODBYE_WAIT.toMillis() + 3_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.debug("close did not finish in time: {}", e.toString());
    }
  }

  private void finishCloseLocked() {
    if (closeFinished) {
      return;
    }
    closeFinished = true;
    current = null;
    if (state != WampClient.State.CLOSED) {
      setState(WampClient.State.CLOSED, null);
    }
    events.execute(() -> {
      firstConnect.completeExceptionally(new ConnectionLostException("the client was closed before it connected"));
      for (LocalSubscription sub : subscriptions) {
        sub.ended.complete(null);
      }
      for (LocalRegistration reg : registrations) {
        reg.ended.complete(null);
      }
      closed.complete(null);
      timer.shutdown();
      if (ownExecutor != null) {
        ownExecutor.shutdown(); // what is queued still runs
      }
    });
  }

  /** Under lock. */
  private void setState(WampClient.State next, Throwable cause) {
    state = next;
    tell(l -> l.onStateChanged(next, cause));
  }

  /** Calls the listener on the events executor, in order; a listener that throws is logged, never fatal. */
  private void tell(Consumer<WampClient.Listener> call) {
    events.execute(() -> {
      try {
        call.accept(config.listener);
      } catch (RuntimeException e) {
        LOG.warn("the client's listener failed", e);
      }
    });
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  // --- requests ---------------------------------------------------------------------------------------------------

  CompletableFuture<Void> publish(String topic, List<?> args, Map<String, ?> kwargs, Options.Publish options) {
    return withSession(s -> s.publish(topic, values.args(args), values.kwargs(kwargs), options));
  }

  CompletableFuture<Subscription> subscribe(String topic, Handlers.EventHandler handler, Options.Subscribe options) {
    LocalSubscription sub = new LocalSubscription(topic, options, handler);
    return withSession(s -> s.subscribe(sub)).thenApply(x -> sub);
  }

  CallFuture call(String procedure, List<?> args, Map<String, ?> kwargs, Options.Call options) {
    RealSession s = currentSession();
    if (s == null) {
      return CallFuture.failed(new ConnectionLostException("not connected (state " + state + ")"));
    }
    try {
      return s.call(procedure, values.args(args), values.kwargs(kwargs), options);
    } catch (RuntimeException e) {
      return CallFuture.failed(e);
    }
  }

  ProgressiveCall callInPieces(String procedure, Options.Call options) {
    return new ProgressiveCall(procedure, options, this);
  }

  CompletableFuture<Registration> register(String procedure, Handlers.ProgressiveInvocationHandler handler,
      Options.Register options) {
    LocalRegistration reg = new LocalRegistration(procedure, options, handler);
    return withSession(s -> s.register(reg)).thenApply(x -> reg);
  }

  CompletableFuture<Void> addTestament(String topic, List<?> args, Map<String, ?> kwargs, Options.Publish options,
      Options.TestamentScope scope) {
    return withSession(s -> {
      LocalTestament testament = new LocalTestament(topic, values.args(args), values.kwargs(kwargs), options, scope);
      return testament.addTo(s).thenApply(x -> {
        testaments.add(testament);
        return null;
      });
    });
  }

  CompletableFuture<Void> flushTestaments(Options.TestamentScope scope) {
    testaments.removeIf(t -> t.scope() == scope);
    return withSession(s -> s.call("wamp.session.flush_testaments", List.of(), Map.of("scope", scope.wireName()),
        Options.Call.DEFAULT)).thenApply(x -> null);
  }

  /**
   * Runs a request on the joined session; its future completes on the executor. Whatever goes wrong (not connected,
   * a value Jackson cannot write, a message that cannot be encoded) fails the future, never throws.
   */
  private <T> CompletableFuture<T> withSession(Function<RealSession, CompletableFuture<T>> request) {
    RealSession s = currentSession();
    if (s == null) {
      return CompletableFuture.failedFuture(new ConnectionLostException("not connected (state " + state + ")"));
    }
    CompletableFuture<T> sent;
    try {
      sent = request.apply(s);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return onExecutor(sent);
  }

  /**
   * {@code f}'s outcome, delivered on the executor whether it succeeds or fails ({@code thenApplyAsync} would pass a
   * failure on in the failing thread, the I/O thread); inline once the client's own executor is shut down.
   */
  <T> CompletableFuture<T> onExecutor(CompletableFuture<T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    f.whenComplete((value, failure) -> {
      Runnable complete = () -> {
        if (failure != null) {
          out.completeExceptionally(unwrap(failure));
        } else {
          out.complete(value);
        }
      };
      try {
        executor.execute(complete);
      } catch (RejectedExecutionException closedAlready) {
        complete.run();
      }
    });
    return out;
  }
}
