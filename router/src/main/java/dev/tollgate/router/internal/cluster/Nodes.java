package dev.tollgate.router.internal.cluster;

import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.router.internal.core.Cluster;
import dev.tollgate.router.internal.core.Counters;
import dev.tollgate.router.internal.core.InvocationPolicy;
import dev.tollgate.router.internal.core.RouterCore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other nodes, as far as calls need them: who is alive, which procedures their sessions registered, and the
 * messages of calls between them.
 *
 * <ul>
 *   <li><b>Alive</b>: each node sets {@code tollgate:node:<instance>} every second, expiring after
 *       {@link #EXPIRY_MILLIS}. A node whose key is missing at two checks in a row is gone: its stand-ins end here,
 *       the calls routed to it end in {@code wamp.error.canceled}, its entries leave the directory. A node that stops
 *       says so at once.</li>
 *   <li><b>Registrations</b>: the hash {@code tollgate:registrations} holds every node's registrations; each change
 *       is also announced on the channel of that name. A node reads the hash when it starts and whenever it finds
 *       Redis again, and announces its own again then. A procedure is reserved first, atomically, in
 *       {@code tollgate:procedure:<realm>:<match>:<procedure>} (its invocation policy and its callees; a gone node's
 *       callees do not count), which makes a {@code single} registration unique in the cluster.</li>
 *   <li><b>Calls</b>: a node listens to {@code tollgate:node:<instance>:calls}; an INVOCATION or INTERRUPT goes to
 *       the callee's node there, a RESULT or ERROR back to the caller's. An INVOCATION that no node takes (Redis away,
 *       the node gone) ends the call at once.</li>
 * </ul>
 *
 * <p>While Redis is away, no node can tell whether the others live: each ends every stand-in (calls across nodes end
 * in errors rather than hang; calls within a node go on) and takes them again from the directory once Redis answers.
 */
final class Nodes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Nodes.class);
  static final String NODE = "tollgate:node:";
  static final String REGISTRATIONS = "tollgate:registrations";
  static final long HEARTBEAT_MILLIS = 1_000;
  static final long EXPIRY_MILLIS = 3_000;

  /**
   * ARGV: policy, member ("instance:session"), the node keys' prefix, '1' when reserving again what the member held
   * (after Redis forgot it). '' when granted, else the error URI.
   */
  private static final String RESERVE = """
      local policy = redis.call('HGET', KEYS[1], 'policy')
      if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
        if ARGV[4] == '1' then return '' end
        return 'wamp.error.procedure_already_exists'
      end
      if policy then
        local live = 0
        for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
          if f ~= 'policy' then
            local instance = string.match(f, '^(%d+):')
            if instance and redis.call('EXISTS', ARGV[3] .. instance) == 1 then
              live = live + 1
            else
              redis.call('HDEL', KEYS[1], f)
            end
          end
        end
        if live == 0 then policy = false end
      end
      if policy then
        if policy == 'single' or ARGV[1] == 'single' then return 'wamp.error.procedure_already_exists' end
        if policy ~= ARGV[1] then return 'wamp.error.procedure_exists_with_different_invocation_policy' end
      else
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'policy', ARGV[1])
      end
      redis.call('HSET', KEYS[1], ARGV[2], '1')
      return ''
      """;

  /** ARGV: member. */
  private static final String RELEASE = """
      redis.call('HDEL', KEYS[1], ARGV[1])
      if redis.call('HLEN', KEYS[1]) <= 1 then redis.call('DEL', KEYS[1]) end
      return 1
      """;

  static final String NUMBER = "tollgate:node-number:";

  private final long instance;
  private final String name;
  /** This node's number (the top bits of its session ids), held in {@code tollgate:node-number:<n>} while it lives. */
  private final int number;
  private final Counters counters;
  private final StatefulRedisConnection<String, byte[]> bytes;
  private final StatefulRedisConnection<String, String> commands;
  private final ScheduledExecutorService ticker;
  /** This node's registrations as the directory holds them: field to announcement. */
  private final ConcurrentHashMap<String, byte[]> own = new ConcurrentHashMap<>();
  /** Other nodes' misses: how many checks in a row found no key. */
  private final Map<Long, Integer> misses = new HashMap<>();
  private volatile RouterCore core;
  /** When the heartbeats last started succeeding again (System.nanoTime), or -1 while they fail. */
  private volatile long healthySince = -1;

  /** This node's sessions in the shared session directory. */
  private final SharedSessions sessions;
  /** Whether the listening connection is up: without it, no answer from another node can arrive. */
  private final java.util.function.BooleanSupplier listening;

  Nodes(long instance, String name, Counters counters, StatefulRedisConnection<String, byte[]> bytes,
      StatefulRedisConnection<String, String> commands, java.util.function.BooleanSupplier listening,
      SharedSessions sessions) {
    this.listening = listening;
    this.sessions = sessions;
    this.instance = instance;
    this.name = name;
    this.number = claimNumber(commands);
    this.counters = counters;
    this.bytes = bytes;
    this.commands = commands;
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tollgate-cluster");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A number no live node holds, 1 to 1023, from a random start: a node's session ids begin with it. Refuses to
   * start when all are held (1023 nodes alive).
   */
  private int claimNumber(StatefulRedisConnection<String, String> commands) {
    int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(1023);
    for (int i = 0; i < 1023; i++) {
      int n = 1 + (start + i) % 1023;
      if ("OK".equals(commands.sync().set(NUMBER + n, Long.toString(instance),
          SetArgs.Builder.nx().px(EXPIRY_MILLIS)))) {
        return n;
      }
    }
    throw new IllegalStateException("all 1023 node numbers are held: too many nodes in this cluster");
  }

  int number() {
    return number;
  }

  static String callsChannel(long instance) {
    return NODE + instance + ":calls";
  }

  /** Sets the first heartbeat (so that this node's reservations count at once), then ticks. */
  void start(RouterCore core) {
    this.core = core;
    heartbeat();
    healthySince = System.nanoTime();
    loadDirectory();
    ticker.scheduleWithFixedDelay(this::tick, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    commands.async().set(NUMBER + number, Long.toString(instance), SetArgs.Builder.px(EXPIRY_MILLIS));
    // SET … GET: a heartbeat that finds no key of its own finds a Redis that forgot this node (restarted, or the
    // node was paused so long that the others took it for gone): it is announced again.
    commands.async().setGet(NODE + instance, name, SetArgs.Builder.px(EXPIRY_MILLIS)).whenComplete((previous, e) -> {
      if (e != null) {
        lostTouch("Redis does not answer (" + e + ")");
        return;
      }
      if ((healthySince < 0 || previous == null) && listening.getAsBoolean()) {
        backInTouch();
      } else if (healthySince >= 0) {
        ticker.execute(this::checkOthers);
      }
    });
  }

  /**
   * This node cannot hear the others now: every stand-in ends (calls across nodes end in errors rather than wait for
   * answers that cannot come); they come back with {@link #backInTouch}. Any thread.
   */
  void lostTouch(String why) {
    if (healthySince < 0) {
      return;
    }
    healthySince = -1;
    LOG.warn("cluster: {}; calls to other nodes end in errors until it is back", why);
    ticker.execute(() -> {
      RouterCore c = core;
      if (c != null) {
        c.standIns().nodes().forEach(c.standIns()::nodeGone);
      }
    });
  }

  /**
   * Redis answers again (or had forgotten this node): this node's registrations, reservations and sessions are
   * written again, and the other nodes' registrations read again. Any thread.
   */
  void backInTouch() {
    healthySince = System.nanoTime();
    LOG.info("cluster: in touch with Redis; this node's registrations are announced again");
    ticker.execute(() -> {
      try {
        heartbeat();
        ownReservations.forEach((member, reservation) -> reserve(reservation.realm(), reservation.procedure(),
            reservation.match(), reservation.invoke(), reservation.session(), true).whenComplete((refusal, e) -> {
              if (refusal != null) {
                LOG.warn("cluster: '{}' was registered on another node meanwhile ({}); both nodes now serve it",
                    reservation.procedure(), refusal);
              }
            }));
        own.forEach(this::announce);
        sessions.writeAgain();
        loadDirectory();
      } catch (RuntimeException e) {
        lostTouch("Redis does not answer (" + e + ")");
      }
    });
  }

  /** On the ticker: a node whose key is missing twice in a row, while this node's own heartbeats go through, is gone. */
  private void checkOthers() {
    RouterCore c = core;
    if (c == null || healthySince < 0
        || System.nanoTime() - healthySince < TimeUnit.MILLISECONDS.toNanos(EXPIRY_MILLIS)) {
      return;
    }
    for (long other : c.standIns().nodes()) {
      Long exists;
      try {
        exists = commands.sync().exists(NODE + other);
      } catch (RuntimeException e) {
        return;
      }
      if (exists != null && exists > 0) {
        misses.remove(other);
      } else if (misses.merge(other, 1, Integer::sum) >= 2) {
        misses.remove(other);
        gone(other);
      }
    }
  }

  private void gone(long other) {
    RouterCore c = core;
    if (c != null) {
      c.standIns().nodeGone(other);
    }
    try {
      for (String field : bytes.sync().hkeys(REGISTRATIONS)) {
        if (field.startsWith(other + ":")) {
          bytes.sync().hdel(REGISTRATIONS, field);
        }
      }
      if (c != null) {
        sessions.forget(other, c.realms().stream().map(dev.tollgate.router.internal.core.Realm::name).toList());
      }
    } catch (RuntimeException e) {
      LOG.debug("cluster: could not clear the gone node's registrations: {}", e.toString());
    }
  }

  /** Takes every live node's registrations from the directory, and clears those of nodes that are gone. */
  private void loadDirectory() {
    RouterCore c = core;
    if (c == null) {
      return;
    }
    try {
      Map<String, byte[]> all = bytes.sync().hgetall(REGISTRATIONS);
      Set<Long> alive = new HashSet<>();
      Set<Long> dead = new HashSet<>();
      for (Map.Entry<String, byte[]> e : all.entrySet()) {
        long other = Long.parseLong(e.getKey().substring(0, e.getKey().indexOf(':')));
        if (other == instance) {
          continue;
        }
        if (!alive.contains(other) && !dead.contains(other)) {
          (commands.sync().exists(NODE + other) > 0 ? alive : dead).add(other);
        }
        if (dead.contains(other)) {
          bytes.sync().hdel(REGISTRATIONS, e.getKey());
        } else {
          arrivedOnDirectory(e.getValue());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cluster: could not read the registrations of the other nodes: {}", e.toString());
    }
  }

  /** A message on the directory's channel (or read from its hash). */
  void arrivedOnDirectory(byte[] message) {
    NodeMessages.Decoded m = NodeMessages.decode(message);
    RouterCore c = core;
    if (c == null || m.node() == instance) {
      return;
    }
    switch (m.kind()) {
      case NodeMessages.REGISTERED -> c.standIns().registered(m.node(), m.realm(), m.registration());
      case NodeMessages.UNREGISTERED -> c.standIns().unregistered(m.node(), m.realm(), m.session(),
          m.registrationId());
      case NodeMessages.NODE_GONE -> ticker.execute(() -> c.standIns().nodeGone(m.node()));
      default -> LOG.warn("cluster: unexpected message of kind {} on {}", m.kind(), REGISTRATIONS);
    }
  }

  /** A message on this node's calls channel. */
  void arrivedOnCalls(byte[] message) {
    NodeMessages.Decoded m = NodeMessages.decode(message);
    RouterCore c = core;
    if (c == null) {
      return;
    }
    if (m.kind() == NodeMessages.CALL) {
      counters.clusterMessagesReceived.increment();
      c.standIns().message(m.node(), m.realm(), m.session(), m.message());
    } else if (m.kind() == NodeMessages.KILL) {
      // Off the listening thread: a kill ends the session's registrations, which other nodes hear of over Redis.
      ticker.execute(() -> c.killLocal(m.realm(), m.session(), (String) m.details().get("reason"),
          (String) m.details().get("message")));
    }
  }

  private static String procedureKey(String realm, String procedure, MatchPolicy match) {
    return "tollgate:procedure:" + realm + ":" + match.wireName() + ":" + procedure;
  }

  /** A procedure this node's session holds, to reserve again after Redis forgot it. */
  private record Reservation(String realm, String procedure, MatchPolicy match, InvocationPolicy invoke,
      long session) {}

  private final ConcurrentHashMap<String, Reservation> ownReservations = new ConcurrentHashMap<>();

  CompletionStage<String> reserve(String realm, String procedure, MatchPolicy match, InvocationPolicy invoke,
      long session) {
    return reserve(realm, procedure, match, invoke, session, false);
  }

  private CompletionStage<String> reserve(String realm, String procedure, MatchPolicy match, InvocationPolicy invoke,
      long session, boolean again) {
    String key = procedureKey(realm, procedure, match);
    String member = instance + ":" + session;
    return commands.async().<String>eval(RESERVE, ScriptOutputType.VALUE, new String[] {key}, invoke.wireName(),
        member, NODE, again ? "1" : "0").thenApply(refusal -> {
          if (refusal == null || refusal.isEmpty()) {
            ownReservations.put(key + "\n" + member, new Reservation(realm, procedure, match, invoke, session));
            return null;
          }
          return refusal;
        });
  }

  void release(String realm, String procedure, MatchPolicy match, long session) {
    String key = procedureKey(realm, procedure, match);
    String member = instance + ":" + session;
    ownReservations.remove(key + "\n" + member);
    commands.async().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key}, member);
  }

  void registered(String realm, Cluster.RemoteRegistration registration) {
    byte[] announcement = NodeMessages.registered(instance, realm, registration);
    String field = instance + ":" + registration.session() + ":" + registration.registrationId();
    own.put(field, announcement);
    announce(field, announcement);
  }

  /** A registration of this node's into the directory and onto its channel. */
  private void announce(String field, byte[] announcement) {
    bytes.async().hset(REGISTRATIONS, field, announcement);
    bytes.async().publish(REGISTRATIONS, announcement);
  }

  /** This node is alive (waits for Redis): the key the others check, expiring unless set again. */
  private void heartbeat() {
    commands.sync().set(NODE + instance, name, SetArgs.Builder.px(EXPIRY_MILLIS));
  }

  void unregistered(String realm, long session, long registrationId) {
    String field = instance + ":" + session + ":" + registrationId;
    own.remove(field);
    bytes.async().hdel(REGISTRATIONS, field);
    bytes.async().publish(REGISTRATIONS, NodeMessages.unregistered(instance, realm, session, registrationId));
  }

  /**
   * Sends a call's message to {@code node}. An INVOCATION that cannot be sent, or that no node listens for, ends its
   * call here and now, so that the caller never waits for an answer that cannot come.
   */
  void send(long node, String realm, long callee, WampMessage message) {
    bytes.async().publish(callsChannel(node), NodeMessages.call(instance, realm, callee, message))
        .whenComplete((receivers, e) -> {
          if (e == null && receivers != null && receivers > 0) {
            counters.clusterMessagesSent.increment();
            return;
          }
          counters.clusterMessagesLost.increment();
          RouterCore c = core;
          if (message instanceof Invocation i && c != null) {
            c.standIns().message(node, realm, callee, new ErrorMessage(MessageCodes.CALL, i.requestId(), Map.of(),
                WampErrors.CANCELED, Payload.of(List.of(e != null ? "the callee's node cannot be reached"
                    : "the callee's node is gone"))));
          }
        });
  }

  /** This node stops: the others hear it now. */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      for (String field : own.keySet()) {
        bytes.sync().hdel(REGISTRATIONS, field);
      }
      sessions.close();
      bytes.sync().publish(REGISTRATIONS, NodeMessages.nodeGone(instance));
      commands.sync().del(NODE + instance, NUMBER + number);
    } catch (RuntimeException e) {
      LOG.debug("cluster: could not say goodbye to the other nodes: {}", e.toString());
    }
  }
}
