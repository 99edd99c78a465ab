package dev.tollgate.router.internal;

import dev.tollgate.protocol.Ids;
import dev.tollgate.router.RouterConfig;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The router's state apart from its transport: realms, live connections, id scopes, counters, the writer threads,
 * and the periodic liveness sweep. Created once per running router.
 */
public final class RouterCore {
  private final RouterConfig config;
  private final Writers writers;
  private final Scheduler scheduler;
  private final Counters counters = new Counters();
  private final Security security;
  private final Map<String, Realm> realms = new ConcurrentHashMap<>();
  private final Set<WebSocketConnection> connections = ConcurrentHashMap.newKeySet();
  /** Session ids in use, across realms: ids are global scope, so no two live sessions share one. */
  private final Set<Long> sessionIds = ConcurrentHashMap.newKeySet();
  private volatile boolean shuttingDown;
  private volatile Scheduler.Task sweep;
  private volatile Scheduler.Task refresh;
  private volatile Scheduler.Task keepalive;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RouterCore.class);

  public RouterCore(RouterConfig config, Scheduler scheduler, Security security) {
    this.config = config;
    this.security = security;
    this.writers = new Writers(config.writerThreads());
    counters.authThrottle = security.throttle();
    this.scheduler = scheduler;
    Ids.Sequence subscriptionIds = new Ids.Sequence();
    Ids.Sequence registrationIds = new Ids.Sequence();
    for (String name : config.realms()) {
      realms.put(name, new Realm(
          name,
          new Broker(subscriptionIds, counters, config.maxSubscriptionsPerSession()),
          new Dealer(registrationIds, config.maxRegistrationsPerSession())));
    }
  }

  public RouterConfig config() {
    return config;
  }

  public Counters counters() {
    return counters;
  }

  Security security() {
    return security;
  }

  Writers writers() {
    return writers;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  Realm realm(String name) {
    return realms.get(name);
  }

  long newSessionId() {
    long id;
    do {
      id = Ids.globalRandom();
    } while (!sessionIds.add(id));
    return id;
  }

  void connectionOpened(WebSocketConnection c) {
    connections.add(c);
    counters.openConnections.increment();
  }

  void connectionClosed(WebSocketConnection c) {
    if (connections.remove(c)) {
      counters.openConnections.decrement();
      long id = c.session().id();
      if (id != 0) {
        sessionIds.remove(id);
      }
    }
  }

  public boolean isShuttingDown() {
    return shuttingDown;
  }

  /** Starts the periodic work: the liveness sweep, and the check for changed rules and users. */
  public void start() {
    writers.start();
    scheduleRefresh();
    long keepalive = config.keepaliveInterval().toMillis();
    if (keepalive > 0) {
      scheduleKeepalive(keepalive);
    }
    long interval = config.pingInterval().isZero() ? config.idleTimeout().toMillis() : config.pingInterval().toMillis();
    long period = Math.max(100, Math.min(interval, config.idleTimeout().toMillis()) / 2);
    scheduleSweep(period);
  }

  /** Every second: new rules apply to the next action of every session; changed users' sessions follow. */
  private void scheduleRefresh() {
    refresh = scheduler.schedule(() -> {
      security.offload(() -> {
        try {
          if (security.refresh()) {
            refreshIdentities();
          }
        } catch (RuntimeException e) {
          LOG.warn("reading rules and users failed: {}", e.toString());
        }
        return null;
      }, null).whenComplete((x, e) -> {
        if (!shuttingDown) {
          scheduleRefresh();
        }
      });
    }, 1, TimeUnit.SECONDS);
  }

  /** Oro's keep-alive: a publication on {@code keepalive.topic} in every realm, which pages subscribe to. */
  private void scheduleKeepalive(long periodMillis) {
    keepalive = scheduler.schedule(() -> {
      dev.tollgate.protocol.Publish ping = new dev.tollgate.protocol.Publish(0, Map.of(), config.get("keepalive.topic"),
          dev.tollgate.protocol.Payload.of(java.util.List.of(config.get("keepalive.message"))));
      for (Realm r : realms.values()) {
        r.broker().publish(null, ping);
      }
      if (!shuttingDown) {
        scheduleKeepalive(periodMillis);
      }
    }, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Sessions of users re-read their user: new roles take effect, a removed or disabled user's sessions end. */
  private void refreshIdentities() {
    Map<String, java.util.Optional<dev.tollgate.auth.User>> seen = new java.util.HashMap<>();
    for (WebSocketConnection c : connections) {
      RouterSession s = c.session();
      Identity id = s.identity();
      if (id == null || id.userId() == null) {
        continue;
      }
      var user = seen.computeIfAbsent(id.authid(), name -> security.users().find(name));
      if (user.isEmpty() || !user.get().enabled()) {
        s.kill("user '" + id.authid() + "' was removed or disabled");
      } else if (!user.get().roles().isEmpty() && !user.get().roles().equals(id.roles())) {
        s.changeRoles(user.get().roles());
      }
    }
  }

  private void scheduleSweep(long periodMillis) {
    sweep = scheduler.schedule(() -> {
      long now = System.nanoTime();
      long ping = config.pingInterval().toNanos();
      long idle = config.idleTimeout().toNanos();
      for (WebSocketConnection c : connections) {
        c.checkLiveness(now, ping, idle);
      }
      if (!shuttingDown) {
        scheduleSweep(periodMillis);
      }
    }, periodMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Shutdown, step by step: refuse new connections; send GOODBYE {@code wamp.close.system_shutdown} to every
   * session (connections without a session are closed); wait up to the grace period for the peers' GOODBYE, which
   * closes each connection; then abort whatever is left. Returns the number of connections that had to be aborted.
   */
  public int shutdown() throws InterruptedException {
    shuttingDown = true;
    for (Scheduler.Task t : new Scheduler.Task[] {sweep, refresh, keepalive}) {
      if (t != null) {
        t.cancel();
      }
    }
    for (WebSocketConnection c : connections) {
      c.session().shutdown();
    }
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    while (!connections.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    int left = connections.size();
    for (WebSocketConnection c : connections) {
      c.abort("no GOODBYE within server.shutdown-grace");
    }
    writers.close();
    return left;
  }
}
