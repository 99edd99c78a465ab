package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Ids;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The session ids in use, across realms: a session id is in the global scope, so no two live sessions share one, and
 * an id is free again as soon as its session leaves (a transport that says GOODBYE and HELLO again gets a new id and
 * keeps none). Thread-safe.
 */
final class SessionIds {
  private final Set<Long> inUse = ConcurrentHashMap.newKeySet();

  /** A random id no live session has. */
  long allocate() {
    long id;
    do {
      id = Ids.globalRandom();
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
