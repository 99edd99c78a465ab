package dev.tollgate.router.internal.core;

import java.time.Duration;

/**
 * The core's clock and scheduler, injected so that the core runs under a controllable clock in tests and on Jetty's
 * scheduler in the router. Thread-safe.
 */
public interface Timers {

  /** A scheduled task that may still be cancelled. */
  interface Task {
    /** Cancels the task if it has not run; harmless after. */
    void cancel();
  }

  /** Monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Runs {@code task} once after {@code delay}, on a thread of the scheduler's choosing. */
  Task schedule(Runnable task, Duration delay);
}
