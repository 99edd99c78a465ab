package dev.tollgate.router.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failed authentications per remote address. An address with {@code limit} failures within {@code window} is refused
 * for {@code block} (answered at once, without running the slow ticket check), and counted. Bounded: old entries
 * are purged as new ones come.
 */
final class AuthFailures {
  private static final int MAX_ADDRESSES = 100_000;

  private record Entry(long windowStart, int failures, long blockedUntil) {}

  private final ConcurrentHashMap<String, Entry> byAddress = new ConcurrentHashMap<>();
  private final int limit;
  private final long windowNanos;
  private final long blockNanos;
  final LongAdder failures = new LongAdder();
  final LongAdder refusedWhileBlocked = new LongAdder();

  AuthFailures(int limit, java.time.Duration window, java.time.Duration block) {
    this.limit = limit;
    this.windowNanos = window.toNanos();
    this.blockNanos = block.toNanos();
  }

  /** True if {@code address} is refused now; counts the refusal. */
  boolean isBlocked(String address, long nowNanos) {
    Entry e = byAddress.get(address);
    if (e != null && e.blockedUntil - nowNanos > 0) {
      refusedWhileBlocked.increment();
      return true;
    }
    return false;
  }

  void failed(String address, long nowNanos) {
    failures.increment();
    if (byAddress.size() >= MAX_ADDRESSES) {
      byAddress.values().removeIf(e -> nowNanos - e.windowStart > windowNanos && e.blockedUntil - nowNanos <= 0);
    }
    byAddress.compute(address, (a, e) -> {
      if (e == null || nowNanos - e.windowStart > windowNanos) {
        e = new Entry(nowNanos, 0, 0);
      }
      int n = e.failures + 1;
      return new Entry(e.windowStart, n, n >= limit ? nowNanos + blockNanos : e.blockedUntil);
    });
  }

  void succeeded(String address) {
    byAddress.remove(address);
  }
}
