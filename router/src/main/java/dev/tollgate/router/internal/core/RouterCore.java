package dev.tollgate.router.internal.core;

import dev.tollgate.auth.User;
import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.router.RouterConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing core: realms with their directories, brokers and dealers, and the periodic work that belongs to
 * routing (Oro's keep-alive publication, re-reading changed users). It knows no transport: peers come to it through
 * {@link #openSession}, and time through the injected {@link Timers}. Created once per running router.
 */
public final class RouterCore {
  private static final Logger LOG = LoggerFactory.getLogger(RouterCore.class);

  private final RouterConfig config;
  private final Timers timers;
  private final Gatekeeper gatekeeper;
  private final Counters counters;
  private final Map<String, Realm> realms = new HashMap<>();
  /**
   * Runs the meta API's calls and events, one at a time, in order, off every session's thread; its one thread ends
   * when idle, so a stopped router leaves none behind.
   */
  private final java.util.concurrent.ThreadPoolExecutor meta = new java.util.concurrent.ThreadPoolExecutor(0, 1, 1,
      java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "tollgate-meta");
        t.setDaemon(true);
        return t;
      });
  private final StandIns standIns;
  private volatile boolean shuttingDown;
  private volatile Timers.Task refresh;
  private volatile Timers.Task keepalive;

  public RouterCore(RouterConfig config, Timers timers, Gatekeeper gatekeeper, Counters counters) {
    this(config, timers, gatekeeper, counters, Cluster.NONE);
  }

  /** A core that is one node of several, joined by {@code cluster}. */
  public RouterCore(RouterConfig config, Timers timers, Gatekeeper gatekeeper, Counters counters, Cluster cluster) {
    this.config = config;
    this.timers = timers;
    this.gatekeeper = gatekeeper;
    this.counters = counters;
    SessionIds sessionIds = new SessionIds(cluster.nodeNumber());
    Ids.Sequence subscriptionIds = new Ids.Sequence();
    Ids.Sequence registrationIds = new Ids.Sequence();
    for (String name : config.realms()) {
      realms.put(name, new Realm(name,
          new Broker(name, cluster, subscriptionIds, counters, config.maxSubscriptionsPerSession(),
              config.maxRetainedTopics()),
          new Dealer(name, cluster, registrationIds, config.maxRegistrationsPerSession(), timers),
          new SessionDirectory(sessionIds), meta, cluster));
    }
    this.standIns = new StandIns(this, cluster, meta);
    for (Realm r : realms.values()) {
      standIns.watch(r);
    }
  }

  public RouterConfig config() {
    return config;
  }

  public Counters counters() {
    return counters;
  }

  Timers timers() {
    return timers;
  }

  Gatekeeper gatekeeper() {
    return gatekeeper;
  }

  /** The realm of that name, or null. */
  public Realm realm(String name) {
    return realms.get(name);
  }

  public Collection<Realm> realms() {
    return realms.values();
  }

  /** The sessions of other nodes that calls go to and come from (several nodes only). */
  public StandIns standIns() {
    return standIns;
  }

  /**
   * Any thread (the cluster bus's): a publication made on another node, for this node's subscribers; one for a realm
   * this node does not have is dropped (the nodes of one cluster should serve the same realms).
   */
  public void remoteEvent(String realm, Cluster.ClusterEvent event) {
    Realm r = realms.get(realm);
    if (r != null) {
      r.broker().publishRemote(event);
    }
  }

  /** Any thread (the cluster bus's): an event another node retained, kept here too. */
  public void remoteRetained(String realm, Cluster.ClusterEvent event) {
    Realm r = realms.get(realm);
    if (r != null) {
      r.broker().retainRemote(event);
    }
  }

  /**
   * Any thread (the cluster bus's): another node asks to end a session of this node ({@code wamp.session.kill} and
   * its kin called there); nothing when this node has no such session.
   */
  public void killLocal(String realm, long session, String reason, String message) {
    Realm r = realms.get(realm);
    RouterSession s = r == null ? null : r.directory().byId(session);
    if (s != null) {
      s.kill(reason, message);
    }
  }

  /**
   * A new session for a peer that just connected.
   *
   * @param urlIdentity who the upgrade request's ticket proved the peer to be, or null
   * @param httpUris whether the peer names topics by HTTP URIs (WAMP v1), taken as they are
   * @param awaitHello whether the peer must send HELLO within {@code session.hello-timeout} (WAMP v2)
   */
  public RouterSession openSession(Peer peer, Identity urlIdentity, boolean httpUris, boolean awaitHello) {
    RouterSession session = new RouterSession(this, peer, urlIdentity, httpUris);
    if (awaitHello) {
      session.startHelloTimer(config.helloTimeout());
    }
    return session;
  }

  /** For Jetty's dump: each realm and how many sessions it holds. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("routing core:");
    for (Realm r : realms.values()) {
      out.append(" realm ").append(r.name()).append(" (").append(r.directory().size()).append(" sessions)");
    }
    return out.toString();
  }

  public boolean isShuttingDown() {
    return shuttingDown;
  }

  /** Starts the periodic work: the check for changed rules and users, and the keep-alive publication. */
  public void start() {
    scheduleRefresh();
    Duration keepaliveInterval = config.keepaliveInterval();
    if (!keepaliveInterval.isZero()) {
      scheduleKeepalive(keepaliveInterval);
    }
  }

  /** Stops the periodic work; what is left of each session's end is the transport's (it owns the connections). */
  public void beginShutdown() {
    shuttingDown = true;
    for (Timers.Task t : new Timers.Task[] {refresh, keepalive}) {
      if (t != null) {
        t.cancel();
      }
    }
  }

  /** Every second: new rules apply to the next action of every session; changed users' sessions follow. */
  private void scheduleRefresh() {
    refresh = timers.schedule(() -> gatekeeper.refresh().thenAccept(changed -> {
      if (changed) {
        refreshIdentities();
      }
    }).whenComplete((x, e) -> {
      if (e != null) {
        LOG.warn("reading rules and users failed: {}", e.toString());
      }
      if (!shuttingDown) {
        scheduleRefresh();
      }
    }), Duration.ofSeconds(1));
  }

  /** Oro's keep-alive: a publication on {@code keepalive.topic} in every realm, which pages subscribe to. */
  private void scheduleKeepalive(Duration period) {
    keepalive = timers.schedule(() -> {
      Publish ping = new Publish(0, Map.of(), config.get("keepalive.topic"),
          Payload.of(List.of(config.get("keepalive.message"))));
      for (Realm r : realms.values()) {
        r.broker().publish(null, ping);
      }
      if (!shuttingDown) {
        scheduleKeepalive(period);
      }
    }, period);
  }

  /**
   * Sessions of users re-read their user: new roles take effect, a removed or disabled user's sessions end. Runs on
   * the gatekeeper's thread, which may block on the user store.
   */
  private void refreshIdentities() {
    Map<String, Optional<User>> seen = new HashMap<>();
    for (Realm r : realms.values()) {
      for (RouterSession s : List.copyOf(r.directory().all())) {
        Identity id = s.identity();
        if (id == null || id.userId() == null) {
          continue;
        }
        Optional<User> user = seen.computeIfAbsent(id.authid(), gatekeeper::findUser);
        if (user.isEmpty() || !user.get().enabled()) {
          s.kill("user '" + id.authid() + "' was removed or disabled");
        } else if (!user.get().roles().isEmpty() && !user.get().roles().equals(id.roles())) {
          s.changeRoles(user.get().roles());
        }
      }
    }
  }
}
