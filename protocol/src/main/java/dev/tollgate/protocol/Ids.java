package dev.tollgate.protocol;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WAMP ids, in the spec's three scopes. Every id is an integer in [1, 2^53], so that it survives a JavaScript
 * number. Global ids (sessions, publications) are random; router ids (subscriptions, registrations) and session ids
 * (requests) are sequential, starting at 1.
 */
public final class Ids {
  /** 2^53, the largest id. */
  public static final long MAX = 1L << 53;

  private Ids() {}

  /**
   * A random id from the global scope, uniformly drawn from [1, 2^53]. Drawn per thread without a shared lock,
   * because every publication takes one; these ids need to be unique, not unpredictable.
   */
  public static long globalRandom() {
    return ThreadLocalRandom.current().nextLong(1, MAX + 1);
  }

  /** Sequential ids for the router or a session scope. Thread-safe. */
  public static final class Sequence {
    private final AtomicLong last = new AtomicLong();

    /** The next id: 1, 2, 3 … wrapping back to 1 after 2^53. */
    public long next() {
      return last.updateAndGet(id -> id >= MAX ? 1 : id + 1);
    }
  }
}
