package dev.tollgate.client;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in order, on another executor: per-subscription event order without a thread each. If the
 * other executor refuses (it was shut down), the tasks run in the caller's thread rather than never.
 */
final class SerialExecutor implements Executor {
  private final Executor delegate;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
    if (!running) {
      running = true;
      try {
        delegate.execute(this::drain);
      } catch (java.util.concurrent.RejectedExecutionException shutDown) {
        running = false;
        Runnable next;
        while ((next = tasks.poll()) != null) {
          try {
            next.run();
          } catch (RuntimeException e) {
            // as in drain
          }
        }
      }
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        // a handler's failure is the handler's; the next event still runs
      }
    }
  }
}
