package dev.tollgate.router.internal.security;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Limits what failed authentications from one client address can cost, without ever refusing a good one.
 *
 * <p>An address with {@code limit} failures within {@code window} is <em>throttled</em> until a whole window passes
 * without a failure. A throttled address's costly checks (a ticket's 5,000-round digest, a bcrypt password) are not
 * refused: they wait in that address's own lane and run one at a time, at most one per {@code interval}, so a flood of
 * forged tickets from one address costs one digest per interval, while a good ticket from the same address (a
 * colleague behind the same NAT, a page that had a few stale tabs) still passes after a short wait. Only when more
 * than {@code maxWaiting} checks wait in one lane is the next refused (429), logged and counted. Cheap refusals (a
 * malformed, expired or already used ticket) never wait: they cost nothing to refuse.
 *
 * <p>Addresses are the client's, proxies resolved ({@link ClientAddress}); other addresses are never slowed.
 */
final class AuthThrottle {
  private static final int MAX_ADDRESSES = 100_000;

  private static final class Entry {
    long windowStart;
    int failures;
    long lastFailure;
  }

  /** One throttled address's checks, run in order, one per interval. */
  private final class Lane {
    final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    boolean running;
    long nextStartNanos;
  }

  private final ConcurrentHashMap<String, Entry> byAddress = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
  private final int limit;
  private final long windowNanos;
  private final long intervalNanos;
  private final int maxWaiting;
  private final ScheduledExecutorService timer;
  private final LongAdder failures;
  private final LongAdder paced;
  private final LongAdder refused;

  /** The counters are the router's ({@code Counters}): failures, checks paced, and requests refused with 429. */
  AuthThrottle(int limit, Duration window, Duration interval, int maxWaiting, ScheduledExecutorService timer,
      LongAdder failures, LongAdder paced, LongAdder refused) {
    this.failures = failures;
    this.paced = paced;
    this.refused = refused;
    this.limit = limit;
    this.windowNanos = window.toNanos();
    this.intervalNanos = interval.toNanos();
    this.maxWaiting = maxWaiting;
    this.timer = timer;
  }

  /** Whether {@code address} has failed too often lately: its costly checks are paced. */
  boolean isThrottled(String address, long nowNanos) {
    Entry e = byAddress.get(address);
    if (e == null) {
      return false;
    }
    synchronized (e) {
      return e.failures >= limit && nowNanos - e.lastFailure < windowNanos;
    }
  }

  /**
   * Runs a costly check for {@code address} on {@code pool}: at once, or in the address's lane when it is throttled.
   * Completes with {@code full} without running it when the lane already holds its maximum; with {@code busy} when
   * the pool refuses it.
   */
  <T> CompletableFuture<T> run(String address, Supplier<T> check, Executor pool, T full, T busy) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable submit = () -> {
      try {
        pool.execute(() -> {
          try {
            result.complete(check.get());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        result.complete(busy);
      }
    };
    if (!isThrottled(address, System.nanoTime())) {
      submit.run();
      return result;
    }
    Lane lane = lanes.computeIfAbsent(address, a -> new Lane());
    synchronized (lane) {
      if (lane.waiting.size() >= maxWaiting) {
        refused.increment();
        result.complete(full);
        return result;
      }
      paced.increment();
      lane.waiting.add(submit);
      if (!lane.running) {
        lane.running = true;
        scheduleNext(address, lane);
      }
    }
    return result;
  }

  private void scheduleNext(String address, Lane lane) {
    long delay;
    synchronized (lane) {
      delay = Math.max(0, lane.nextStartNanos - System.nanoTime());
    }
    timer.schedule(() -> {
      Runnable next;
      synchronized (lane) {
        next = lane.waiting.poll();
        if (next == null) {
          lane.running = false;
          lanes.remove(address, lane);
          return;
        }
        lane.nextStartNanos = System.nanoTime() + intervalNanos;
      }
      next.run();
      scheduleNext(address, lane);
    }, delay, TimeUnit.NANOSECONDS);
  }

  /** How many addresses are throttled at {@code nowNanos}. */
  int throttledAddresses(long nowNanos) {
    int n = 0;
    for (String address : byAddress.keySet()) {
      if (isThrottled(address, nowNanos)) {
        n++;
      }
    }
    return n;
  }

  void failed(String address, long nowNanos) {
    failures.increment();
    record(address, nowNanos);
  }

  /** Another node refused a check from {@code address}: it counts here as well (several nodes share one throttle). */
  void failedElsewhere(String address, long nowNanos) {
    record(address, nowNanos);
  }

  private void record(String address, long nowNanos) {
    if (byAddress.size() >= MAX_ADDRESSES) {
      byAddress.values().removeIf(e -> {
        synchronized (e) {
          return nowNanos - e.lastFailure > windowNanos;
        }
      });
    }
    Entry e = byAddress.computeIfAbsent(address, a -> new Entry());
    synchronized (e) {
      boolean throttled = e.failures >= limit && nowNanos - e.lastFailure < windowNanos;
      if (!throttled && nowNanos - e.windowStart > windowNanos) {
        e.windowStart = nowNanos;
        e.failures = 0;
      }
      e.failures++;
      e.lastFailure = nowNanos;
    }
  }
}
