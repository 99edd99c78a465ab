package dev.tollgate.router.internal.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock that moves only when a test says so; due tasks run on the test's thread, in time order. */
final class ManualTimers implements Timers {
  private record Scheduled(long due, Runnable task, boolean[] cancelled) {}

  private final List<Scheduled> tasks = new ArrayList<>();
  private long now = 1_000_000_000L;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Task schedule(Runnable task, Duration delay) {
    boolean[] cancelled = {false};
    tasks.add(new Scheduled(now + delay.toNanos(), task, cancelled));
    return () -> {
      synchronized (ManualTimers.this) {
        cancelled[0] = true;
      }
    };
  }

  /** Moves the clock and runs every task that fell due, including those the tasks schedule within the span. */
  void advance(Duration by) {
    long until;
    synchronized (this) {
      until = now + by.toNanos();
    }
    while (true) {
      Scheduled next;
      synchronized (this) {
        next = tasks.stream().filter(t -> t.due() <= until).min(Comparator.comparingLong(Scheduled::due)).orElse(null);
        if (next == null) {
          now = until;
          return;
        }
        tasks.remove(next);
        now = Math.max(now, next.due());
        if (next.cancelled()[0]) {
          continue;
        }
      }
      next.task().run();
    }
  }

  /** Tasks scheduled and neither run nor cancelled. */
  synchronized long pending() {
    return tasks.stream().filter(t -> !t.cancelled()[0]).count();
  }
}
