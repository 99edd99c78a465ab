package dev.tollgate.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What outlives one session: the wanted subscriptions and registrations, the state and the reconnection loop. A
 * {@link RealSession} is one connection; when it is lost, a new one is made and everything wanted is restored.
 */
final class ClientCore {
  private static final Logger LOG = LoggerFactory.getLogger(ClientCore.class);

  /** One local subscription; its router id changes at every reconnection. */
  final class LocalSubscription implements Subscription {
    final String topic;
    final Options.Subscribe options;
    final Handlers.EventHandler handler;
    final SerialExecutor order;
    volatile long routerId;

    LocalSubscription(String topic, Options.Subscribe options, Handlers.EventHandler handler) {
      this.topic = topic;
      this.options = options;
      this.handler = handler;
      this.order = new SerialExecutor(config.executor);
    }

    @Override
    public String topic() {
      return topic;
    }

    @Override
    public CompletableFuture<Void> unsubscribe() {
      subscriptions.remove(this);
      RealSession s = session;
      return s == null ? CompletableFuture.completedFuture(null) : s.unsubscribe(this);
    }
  }

  /** One local registration; its router id changes at every reconnection. */
  final class LocalRegistration implements Registration {
    final String procedure;
    final Options.Register options;
    final Handlers.ProgressiveInvocationHandler handler;
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
      RealSession s = session;
      return s == null ? CompletableFuture.completedFuture(null) : s.unregister(this);
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
  /** Added by the session as the router's answer is read (see RealSession.subscribe), so no EVENT finds it missing. */
  final CopyOnWriteArrayList<LocalSubscription> subscriptions = new CopyOnWriteArrayList<>();
  final CopyOnWriteArrayList<LocalRegistration> registrations = new CopyOnWriteArrayList<>();
  final CopyOnWriteArrayList<LocalTestament> testaments = new CopyOnWriteArrayList<>();
  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "wamp-client-timer");
    t.setDaemon(true);
    return t;
  });
  private volatile RealSession session;
  private volatile WampClient.State state = WampClient.State.CLOSED;
  private volatile boolean closedByUser;
  private int attempts;
  /** Reconnection is for sessions that were once up: a first connect that fails is the caller's to handle. */
  private volatile boolean everConnected;

  ClientCore(WampClient.Builder config) {
    this.config = config;
  }

  WampClient.State state() {
    return state;
  }

  long sessionId() {
    RealSession s = session;
    return s == null ? 0 : s.sessionId();
  }

  /** The session requests go to, or null when not connected. */
  RealSession currentSession() {
    RealSession s = session;
    return s == null || state != WampClient.State.CONNECTED ? null : s;
  }

  synchronized CompletableFuture<Void> connect() {
    if (state != WampClient.State.CLOSED || closedByUser) {
      return CompletableFuture.failedFuture(new IllegalStateException("connect() was already called (state " + state + ")"));
    }
    setState(WampClient.State.CONNECTING, null);
    return open();
  }

  private CompletableFuture<Void> open() {
    RealSession s = new RealSession(this);
    session = s;
    return s.open().thenCompose(welcome -> restore(s)).whenComplete((x, failure) -> {
      if (failure == null) {
        synchronized (this) {
          attempts = 0;
        }
        everConnected = true;
        setState(WampClient.State.CONNECTED, null);
      }
    });
  }

  /**
   * Subscribes and registers again everything the application holds, on a new session, and adds its testaments again:
   * the router published them when the old session ended, and the application wants them armed while it is away.
   */
  private CompletableFuture<Void> restore(RealSession s) {
    List<CompletableFuture<?>> all = new java.util.ArrayList<>();
    for (LocalSubscription sub : subscriptions) {
      all.add(s.subscribe(sub));
    }
    for (LocalRegistration reg : registrations) {
      all.add(s.register(reg));
    }
    for (LocalTestament testament : testaments) {
      all.add(testament.addTo(s));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture<?>[]::new));
  }

  /** Called by a session whose transport ended. */
  void sessionLost(RealSession lost, Throwable cause) {
    if (session != lost) {
      return;
    }
    session = null;
    if (closedByUser || !config.reconnect || !everConnected) {
      setState(WampClient.State.CLOSED, cause);
      return;
    }
    setState(WampClient.State.RECONNECTING, cause);
    scheduleReconnect();
  }

  private synchronized void scheduleReconnect() {
    long base = Math.min(config.maxReconnectDelay.toMillis(), config.initialReconnectDelay.toMillis() << Math.min(attempts, 20));
    attempts++;
    long delay = (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
    LOG.debug("reconnecting to {} in {} ms (attempt {})", config.uri, delay, attempts);
    timer.schedule(() -> {
      if (!closedByUser) {
        open().exceptionally(e -> {
          LOG.debug("reconnection failed: {}", e.toString());
          return null;
        });
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  private void setState(WampClient.State next, Throwable cause) {
    state = next;
    config.executor.execute(() -> config.listener.onStateChanged(next, cause));
  }

  void joined(long sessionId, Map<String, Object> details) {
    config.executor.execute(() -> config.listener.onJoined(sessionId, details));
  }

  CompletableFuture<Void> publish(String topic, List<Object> args, Map<String, Object> kwargs, Options.Publish options) {
    return withSession(s -> s.publish(topic, args, kwargs, options));
  }

  CompletableFuture<Subscription> subscribe(String topic, Handlers.EventHandler handler, Options.Subscribe options) {
    LocalSubscription sub = new LocalSubscription(topic, options, handler);
    return withSession(s -> s.subscribe(sub)).thenApply(x -> sub);
  }

  CallFuture call(String procedure, List<Object> args, Map<String, Object> kwargs, Options.Call options) {
    RealSession s = currentSession();
    if (s == null) {
      return CallFuture.failed(new ConnectionLostException("not connected (state " + state + ")"));
    }
    return s.call(procedure, args, kwargs, options);
  }

  ProgressiveCall callInPieces(String procedure, Options.Call options) {
    return new ProgressiveCall(procedure, options, this);
  }

  CompletableFuture<Registration> register(String procedure, Handlers.ProgressiveInvocationHandler handler,
      Options.Register options) {
    LocalRegistration reg = new LocalRegistration(procedure, options, handler);
    return withSession(s -> s.register(reg)).thenApply(x -> reg);
  }

  CompletableFuture<Void> addTestament(LocalTestament testament) {
    return withSession(testament::addTo).thenApply(x -> {
      testaments.add(testament);
      return null;
    });
  }

  CompletableFuture<Void> flushTestaments(Options.TestamentScope scope) {
    testaments.removeIf(t -> t.scope() == scope);
    return withSession(s -> s.call("wamp.session.flush_testaments", List.of(), Map.of("scope", scope.wireName()),
        Options.Call.DEFAULT)).thenApply(x -> null);
  }

  private <T> CompletableFuture<T> withSession(java.util.function.Function<RealSession, CompletableFuture<T>> request) {
    RealSession s = session;
    if (s == null || state != WampClient.State.CONNECTED) {
      return CompletableFuture.failedFuture(new ConnectionLostException("not connected (state " + state + ")"));
    }
    return request.apply(s).thenApplyAsync(v -> v, config.executor);
  }

  void close() {
    closedByUser = true;
    RealSession s = session;
    if (s != null) {
      s.goodbye();
    } else if (state != WampClient.State.CLOSED) {
      setState(WampClient.State.CLOSED, null);
    }
    timer.schedule(timer::shutdown, 5, TimeUnit.SECONDS);
  }
}
