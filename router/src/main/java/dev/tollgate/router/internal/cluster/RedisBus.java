package dev.tollgate.router.internal.cluster;

import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.router.RouterConfig;
import dev.tollgate.router.internal.core.Cluster;
import dev.tollgate.router.internal.core.Counters;
import dev.tollgate.router.internal.core.RouterCore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster bus on Redis: this node's publications go out on their topic's channel, once each, and the node
 * listens to the channels (and patterns of channels) of the subscriptions it has, so that it hears only what its own
 * subscribers may want (see {@link Channels}).
 *
 * <p>Two connections, because Redis gives a connection that listens to nothing else: one publishes, one listens.
 * Both reconnect by themselves after Redis restarts, and the listening one subscribes again to what it listened to.
 * While Redis is away, local delivery goes on; a publication that cannot be sent is counted as lost
 * ({@code tollgate.cluster.messages.lost}), never queued without bound and never silently dropped. Changes of interest
 * made meanwhile are queued (bounded) and sent on reconnection.
 */
public final class RedisBus implements Cluster, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBus.class);
  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  /** Commands queued per connection while Redis is away or slow: past it a publication is lost (and counted). */
  private static final int QUEUE = 100_000;

  private final String node;
  /** This run of this node: its own messages come back to it and are skipped by it. */
  private final long instance = Ids.globalRandom();
  private final AtomicLong sequence = new AtomicLong();
  private final Counters counters;
  private final ClientResources resources;
  private final RedisClient publishingClient;
  private final RedisClient listeningClient;
  private final StatefulRedisConnection<String, byte[]> publishing;
  private final StatefulRedisPubSubConnection<String, byte[]> listening;
  /**
   * Commands whose answers are awaited (used tickets, on the security pool; heartbeats, reservations and the
   * directories), within the timeout.
   */
  private final StatefulRedisConnection<String, String> commands;
  /** The other nodes, for calls across them. */
  private final Nodes nodes;
  /** Every node's sessions, for the meta API. */
  private final SharedSessions sessions;
  /**
   * How many of this node's subscriptions need each channel ({@code c:} and its name) or pattern ({@code p:});
   * guarded by itself.
   */
  private final Map<String, Integer> listenedTo = new HashMap<>();
  private volatile RouterCore core;

  private RedisBus(RouterConfig config, Counters counters) {
    this.node = config.clusterNode();
    this.counters = counters;
    Duration timeout = config.clusterRedisTimeout();
    RedisURI uri = RedisURI.create(config.get("cluster.redis.url"));
    uri.setTimeout(timeout);
    // After Redis comes back, the nodes find it within 2 s (Lettuce's default backs off to 30 s).
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
        .build();
    this.publishingClient = client(resources, uri, timeout, ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    this.listeningClient = client(resources, uri, timeout, ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
    try {
      this.publishing = publishingClient.connect(CODEC);
      this.commands = publishingClient.connect();
      this.listening = listeningClient.connectPubSub(CODEC);
    } catch (RuntimeException e) {
      shutdownClients();
      throw e;
    }
    this.sessions = new SharedSessions(instance, publishing);
    this.nodes = new Nodes(instance, node, counters, publishing, commands, listening::isOpen, sessions);
    String calls = Nodes.callsChannel(instance);
    listening.addListener(new RedisPubSubAdapter<>() {
      private long lastOrigin;
      private long lastSequence;

      @Override
      public void message(String channel, byte[] message) {
        try {
          if (channel.equals(calls)) {
            nodes.arrivedOnCalls(message);
          } else if (channel.equals(Nodes.REGISTRATIONS)) {
            nodes.arrivedOnDirectory(message);
          } else if (channel.equals(RETAINED)) {
            retained(message);
          } else if (channel.equals(AUTH_FAILURES)) {
            NodeMessages.Decoded failure = NodeMessages.decode(message);
            if (failure.node() != instance) {
              failuresElsewhere.accept(failure.realm());
            }
          } else {
            arrived(message);
          }
        } catch (RuntimeException e) {
          LOG.warn("cluster: dropped a message on {}: {}", channel, e.toString());
        }
      }

      @Override
      public void message(String pattern, String channel, byte[] message) {
        try {
          arrived(message);
        } catch (RuntimeException e) {
          LOG.warn("cluster: dropped a message on {}: {}", channel, e.toString());
        }
      }

      /** On the listening connection's one thread, in the order Redis sent. */
      private void arrived(byte[] message) {
        EventEnvelope.Arrived a = EventEnvelope.decode(message);
        if (a.origin() == instance) {
          return;
        }
        // One PUBLISH reaches a node once per channel and pattern it listens to that match, one after the other:
        // the second copy has the same origin and sequence as the one before it.
        if (a.origin() == lastOrigin && a.sequence() == lastSequence) {
          return;
        }
        lastOrigin = a.origin();
        lastSequence = a.sequence();
        counters.clusterMessagesReceived.increment();
        RouterCore c = core;
        if (c != null) {
          c.remoteEvent(a.realm(), a.event());
        }
      }
    });
  }

  private static RedisClient client(ClientResources resources, RedisURI uri, Duration timeout,
      ClientOptions.DisconnectedBehavior whileAway) {
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(whileAway)
        .requestQueueSize(QUEUE)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).tcpNoDelay(true).build())
        .build());
    return client;
  }

  /**
   * Connects to {@code cluster.redis.url}; fails when Redis cannot be reached, so that a node never starts cut off
   * from the others (it would serve its own clients as a separate router).
   */
  public static RedisBus connect(RouterConfig config, Counters counters) {
    try {
      RedisBus bus = new RedisBus(config, counters);
      LOG.info("cluster: node '{}' joined through Redis at {}", bus.node, redacted(config.get("cluster.redis.url")));
      return bus;
    } catch (RuntimeException e) {
      throw new IllegalStateException("cluster.redis.url: Redis at " + redacted(config.get("cluster.redis.url"))
          + " cannot be reached (" + e.getMessage() + "); a node does not start cut off from the cluster", e);
    }
  }

  /** A Redis URL as logs may show it: without a password. */
  static String redacted(String url) {
    return url.replaceAll("//[^@/]*@", "//***@");
  }

  /**
   * The listening connection came back: what it listened to is asked for again (Lettuce does so only for what Redis
   * had confirmed, and a SUBSCRIBE queued through a long outage times out unsent). SUBSCRIBE is idempotent.
   */
  private void listenAgain() {
    synchronized (listenedTo) {
      for (String key : listenedTo.keySet()) {
        listen(key.startsWith("p:"), key.substring(2), true);
      }
      listening.async().subscribe(ownChannels());
    }
  }

  /** What this node always listens to: its calls, the registrations, retained events, authentication failures. */
  private String[] ownChannels() {
    return new String[] {Nodes.callsChannel(instance), Nodes.REGISTRATIONS, RETAINED, AUTH_FAILURES};
  }

  /** (P)SUBSCRIBE or (P)UNSUBSCRIBE, queued by Lettuce, never awaited. */
  private void listen(boolean pattern, String channel, boolean on) {
    if (pattern) {
      if (on) {
        listening.async().psubscribe(channel);
      } else {
        listening.async().punsubscribe(channel);
      }
    } else if (on) {
      listening.async().subscribe(channel);
    } else {
      listening.async().unsubscribe(channel);
    }
  }

  /**
   * From now on, other nodes' publications and calls go to {@code core}, and this node's heartbeats and registrations
   * go to them.
   */
  public void start(RouterCore core) {
    this.core = core;
    // While the listening connection is away, answers from other nodes cannot arrive: calls across nodes end now
    // rather than wait, and the other nodes' registrations are read again when it is back.
    listeningClient.addListener(new io.lettuce.core.RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
        nodes.lostTouch("the listening connection to Redis closed");
      }

      @Override
      public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection,
          java.net.SocketAddress address) {
        if (RedisBus.this.core != null) {
          listenAgain();
          nodes.backInTouch();
        }
      }
    });
    listening.sync().subscribe(ownChannels());
    for (var realm : core.realms()) {
      for (byte[] event : publishing.sync().hvals(RETAINED + ":" + realm.name())) {
        retained(event);
      }
    }
    nodes.start(core);
  }

  public String node() {
    return node;
  }

  @Override
  public void interest(String realm, String pattern, MatchPolicy policy, boolean interested) {
    String channel = Channels.ofSubscription(realm, pattern, policy);
    boolean isPattern = policy != MatchPolicy.EXACT;
    String key = (isPattern ? "p:" : "c:") + channel;
    synchronized (listenedTo) {
      int before = listenedTo.getOrDefault(key, 0);
      int after = before + (interested ? 1 : -1);
      if (after <= 0) {
        listenedTo.remove(key);
      } else {
        listenedTo.put(key, after);
      }
      // Sent while holding the count's lock, so that a subscribe and an unsubscribe of one channel reach Redis in the
      // order the counts changed.
      boolean first = before == 0 && after > 0;
      boolean last = before > 0 && after <= 0;
      if (first || last) {
        listen(isPattern, channel, first);
      }
    }
  }

  @Override
  public java.util.concurrent.CompletionStage<String> reserve(String realm, String procedure, MatchPolicy match,
      dev.tollgate.router.internal.core.InvocationPolicy invoke, long session) {
    return nodes.reserve(realm, procedure, match, invoke, session);
  }

  @Override
  public void release(String realm, String procedure, MatchPolicy match, long session) {
    nodes.release(realm, procedure, match, session);
  }

  @Override
  public void registered(String realm, RemoteRegistration registration) {
    nodes.registered(realm, registration);
  }

  @Override
  public void unregistered(String realm, long session, long registrationId) {
    nodes.unregistered(realm, session, registrationId);
  }

  @Override
  public void send(long node, String realm, long callee, dev.tollgate.protocol.WampMessage message) {
    nodes.send(node, realm, callee, message);
  }

  /**
   * Retained events: the hash {@code tollgate:retained:<realm>} (the last of each topic, for nodes that start later)
   * and the channel {@code tollgate:retained}, which every node hears.
   */
  static final String RETAINED = "tollgate:retained";

  /** Authentication failures, told to every node, so that they share one per-address throttle. */
  static final String AUTH_FAILURES = "tollgate:auth-failures";
  private volatile java.util.function.Consumer<String> failuresElsewhere = address -> {};

  /** An authentication from {@code address} failed here: the other nodes count it too. */
  public void authFailed(String address) {
    publishing.async().publish(AUTH_FAILURES, NodeMessages.authFailure(instance, address));
  }

  /** Where the other nodes' authentication failures go. */
  public void onAuthFailureElsewhere(java.util.function.Consumer<String> failures) {
    this.failuresElsewhere = failures;
  }

  private void retained(byte[] message) {
    EventEnvelope.Arrived a = EventEnvelope.decode(message);
    RouterCore c = core;
    if (c != null && a.origin() != instance) {
      c.remoteRetained(a.realm(), a.event());
    }
  }

  @Override
  public int nodeNumber() {
    return nodes.number();
  }

  @Override
  public void joined(String realm, java.util.Map<String, Object> details) {
    sessions.joined(realm, details);
  }

  @Override
  public void left(String realm, long session) {
    sessions.left(realm, session);
  }

  @Override
  public java.util.List<java.util.Map<String, Object>> otherSessions(String realm) {
    return sessions.others(realm);
  }

  @Override
  public void subscriber(String realm, String pattern, MatchPolicy policy, long session, boolean subscribed) {
    sessions.subscriber(realm, pattern, policy, session, subscribed);
  }

  @Override
  public java.util.List<Long> otherSubscribers(String realm, String pattern, MatchPolicy policy) {
    return sessions.otherSubscribers(realm, pattern, policy);
  }

  @Override
  public boolean kill(String realm, long session, String reason, String message) {
    return sessions.kill(realm, session, reason, message);
  }

  @Override
  public void publish(String realm, ClusterEvent event) {
    byte[] message = EventEnvelope.encode(realm, instance, sequence.incrementAndGet(), event);
    try {
      publishing.async().publish(Channels.ofTopic(realm, event.publish().topic()), message).whenComplete((n, e) -> {
        if (e != null) {
          lost(e);
        } else {
          counters.clusterMessagesSent.increment();
        }
      });
      if (Boolean.TRUE.equals(event.publish().options().get("retain"))) {
        // Every node keeps it, those without subscribers now too, and a node that starts later finds it: the same
        // bytes, which nodes read on a channel of their own (no copy of the topic's to be taken for).
        publishing.async().hset(RETAINED + ":" + realm, event.publish().topic(), message);
        publishing.async().publish(RETAINED, message);
      }
    } catch (RuntimeException e) {
      lost(e);
    }
  }

  private void lost(Throwable e) {
    counters.clusterMessagesLost.increment();
    LOG.debug("cluster: a publication did not reach Redis: {}", e.toString());
  }

  /**
   * The used tickets, shared by every node: in Redis, where a login fails closed while Redis cannot be reached,
   * unless {@code cluster.tickets-when-redis-down} is {@code local}: then this node's own store ({@code local}) stands
   * in meanwhile.
   */
  public dev.tollgate.auth.NonceStore nonces(dev.tollgate.auth.NonceStore local, boolean localWhenDown,
      Duration backendReconnectGrace) {
    RedisNonceStore shared = new RedisNonceStore(commands, instance, node, backendReconnectGrace);
    return localWhenDown ? new FallbackNonceStore(shared, local) : shared;
  }

  /** Whether both connections are up now (for /ready and the admin page). */
  public boolean connected() {
    return publishing.isOpen() && listening.isOpen();
  }

  @Override
  public void close() {
    nodes.close();
    core = null;
    try {
      listening.close();
      publishing.close();
      commands.close();
    } finally {
      shutdownClients();
    }
  }

  private void shutdownClients() {
    publishingClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    listeningClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
