package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Ids;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The session ids in use, across realms: a session id is in the global scope, so no two live sessions share one, and
 * an id is free again as soon as its session leaves (a transport that says GOODBYE and HELLO again gets a new id and
 * keeps none). On a node of several, every id starts with the node's number (its top {@value #NODE_BITS} bits of
 * WAMP's 53), so no two nodes give the same id while they live. Thread-safe.
 */
final class SessionIds {
  static final int NODE_BITS = 10;
  /** The bits a node fills at random. */
  private static final int LOCAL_BITS = 53 - NODE_BITS;
  private final Set<Long> inUse = ConcurrentHashMap.newKeySet();
  private final long prefix;

  /** @param nodeNumber 0 for a node alone (ids random in WAMP's whole range), else 1 to 1023 */
  SessionIds(int nodeNumber) {
    if (nodeNumber < 0 || nodeNumber >= 1 << NODE_BITS) {
      throw new IllegalArgumentException("node number out of range: " + nodeNumber);
    }
    this.prefix = (long) nodeNumber << LOCAL_BITS;
  }

  /** A random id no live session has. */
  long allocate() {
    long id;
    do {
      id = prefix == 0 ? Ids.globalRandom()
          : prefix | (1 + java.util.concurrent.ThreadLocalRandom.current().nextLong((1L << LOCAL_BITS) - 1));
    } while (!inUse.add(id));
    return id;
  }

  void free(long id) {
    inUse.remove(id);
  }

  int size() {
    return inUse.size();
  }
}
