package dev.tollgate.router.internal.cluster;

import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of every node, for the meta API: each node keeps its own in the hash {@code tollgate:sessions:<realm>}
 * (field: the session id; value: its node and what {@code wamp.session.get} tells of it), and its subscribers in
 * {@code tollgate:subscribers:<realm>:<match>:<topic>} (field: the session id; value: its node), written as sessions
 * join and subscribe, removed as they unsubscribe and leave, written again when Redis had forgotten them, and a gone
 * node's removed by whoever finds it gone. A kill of another node's session is carried out by that node.
 */
final class SharedSessions implements AutoCloseable {
  static final String SESSIONS = "tollgate:sessions:";
  static final String SUBSCRIBERS = "tollgate:subscribers:";

  /** One entry of this node's, to write again after an outage. */
  private record Entry(String hash, String session) {}

  private final long instance;
  private final StatefulRedisConnection<String, byte[]> bytes;
  private final ConcurrentHashMap<Entry, byte[]> own = new ConcurrentHashMap<>();

  SharedSessions(long instance, StatefulRedisConnection<String, byte[]> bytes) {
    this.instance = instance;
    this.bytes = bytes;
  }

  /** Owner of the realm (its lock held): never waits. */
  void joined(String realm, Map<String, Object> details) {
    byte[] value = NodeMessages.session(instance, realm, details);
    Entry entry = new Entry(SESSIONS + realm, String.valueOf(details.get("session")));
    own.put(entry, value);
    bytes.async().hset(entry.hash(), entry.session(), value);
  }

  /** Owner of the realm (its lock held): never waits. */
  void left(String realm, long session) {
    Entry entry = new Entry(SESSIONS + realm, String.valueOf(session));
    own.remove(entry);
    bytes.async().hdel(entry.hash(), entry.session());
  }

  /** Owner of the realm (its lock held): never waits. */
  void subscriber(String realm, String pattern, dev.tollgate.protocol.MatchPolicy policy, long session,
      boolean subscribed) {
    Entry entry = new Entry(SUBSCRIBERS + realm + ":" + policy.wireName() + ":" + pattern, String.valueOf(session));
    byte[] value = Long.toString(instance).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    if (subscribed) {
      own.put(entry, value);
      bytes.async().hset(entry.hash(), entry.session(), value);
    } else {
      own.remove(entry);
      bytes.async().hdel(entry.hash(), entry.session());
    }
  }

  /** The other nodes' sessions subscribed to ({@code pattern}, {@code policy}); waits for Redis. */
  List<Long> otherSubscribers(String realm, String pattern, dev.tollgate.protocol.MatchPolicy policy) {
    List<Long> out = new ArrayList<>();
    String me = Long.toString(instance);
    bytes.sync().hgetall(SUBSCRIBERS + realm + ":" + policy.wireName() + ":" + pattern).forEach((session, node) -> {
      if (!me.equals(new String(node, java.nio.charset.StandardCharsets.US_ASCII))) {
        out.add(Long.parseLong(session));
      }
    });
    return out;
  }

  /** The other live nodes' sessions in {@code realm}; waits for Redis (on the meta API's thread). */
  List<Map<String, Object>> others(String realm) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (byte[] value : bytes.sync().hvals(SESSIONS + realm)) {
      NodeMessages.Decoded d = NodeMessages.decode(value);
      if (d.node() != instance) {
        out.add(d.details());
      }
    }
    return out;
  }

  /** Asks the node holding {@code session} to end it; false when no other node holds it. Waits for Redis. */
  boolean kill(String realm, long session, String reason, String message) {
    byte[] value = bytes.sync().hget(SESSIONS + realm, String.valueOf(session));
    if (value == null) {
      return false;
    }
    NodeMessages.Decoded d = NodeMessages.decode(value);
    if (d.node() == instance) {
      return false;
    }
    Long receivers = bytes.sync().publish(Nodes.callsChannel(d.node()), NodeMessages.kill(instance, realm, session,
        reason, message));
    return receivers != null && receivers > 0;
  }

  /** Redis had forgotten this node (restarted, or took it for gone): its sessions are written again. */
  void writeAgain() {
    own.forEach((entry, value) -> bytes.async().hset(entry.hash(), entry.session(), value));
  }

  /** Node {@code other} is gone: its sessions and subscribers leave the directory of each realm. Waits for Redis. */
  void forget(long other, List<String> realms) {
    for (String realm : realms) {
      bytes.sync().hgetall(SESSIONS + realm).forEach((field, value) -> {
        if (NodeMessages.decode(value).node() == other) {
          bytes.sync().hdel(SESSIONS + realm, field);
        }
      });
    }
    String gone = Long.toString(other);
    io.lettuce.core.ScanArgs match = io.lettuce.core.ScanArgs.Builder.matches(SUBSCRIBERS + "*").limit(1000);
    io.lettuce.core.ScanCursor cursor = io.lettuce.core.ScanCursor.INITIAL;
    do {
      io.lettuce.core.KeyScanCursor<String> page = bytes.sync().scan(cursor, match);
      for (String key : page.getKeys()) {
        bytes.sync().hgetall(key).forEach((session, node) -> {
          if (gone.equals(new String(node, java.nio.charset.StandardCharsets.US_ASCII))) {
            bytes.sync().hdel(key, session);
          }
        });
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  /** This node stops: its sessions leave the directory now. */
  @Override
  public void close() {
    own.keySet().forEach(entry -> bytes.sync().hdel(entry.hash(), entry.session()));
  }
}
