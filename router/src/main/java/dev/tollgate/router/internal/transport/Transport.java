package dev.tollgate.router.internal.transport;

import dev.tollgate.router.RouterConfig;
import dev.tollgate.router.internal.core.RouterCore;
import dev.tollgate.router.internal.core.Timers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The WebSocket side of a router, as one Jetty managed component: the writer threads, the live connections and
 * their liveness sweep, over one {@link RouterCore}. Jetty's {@code dump()} shows them, with each connection's queue.
 *
 * <p>Lifecycle: started and stopped with the Jetty server it is a bean of; {@link #shutdown} is the graceful part,
 * called before the server stops.
 */
public final class Transport extends ContainerLifeCycle {
  private final RouterCore core;
  private final Scheduler scheduler;
  private final Writers writers;
  private final Connections connections;

  public Transport(RouterCore core, Scheduler scheduler) {
    this.core = core;
    this.scheduler = scheduler;
    this.writers = new Writers(core.config().writerThreads());
    this.connections = new Connections(this);
    addBean(writers, true);
    addBean(connections, true);
    addBean(core, false);
  }

  /** The core's clock and scheduler, on Jetty's scheduler. */
  public static Timers timers(Scheduler scheduler) {
    return new Timers() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Task schedule(Runnable task, Duration delay) {
        Scheduler.Task t = scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return t::cancel;
      }
    };
  }

  public RouterCore core() {
    return core;
  }

  RouterConfig config() {
    return core.config();
  }

  Writers writers() {
    return writers;
  }

  Connections connections() {
    return connections;
  }

  /**
   * The open connections as the metrics show them.
   *
   * @param sessions joined sessions by (realm, dialect, authrole); dialect is json, msgpack, cbor or v1
   * @param queuedBytes bytes waiting in all outbound queues
   * @param connections open WebSocket connections, joined or not
   */
  public record Snapshot(java.util.Map<java.util.List<String>, Long> sessions, long queuedBytes, int connections) {}

  /** One pass over the open connections, for a scrape. */
  public Snapshot snapshot() {
    return connections.snapshot();
  }

  Scheduler scheduler() {
    return scheduler;
  }

  /**
   * Graceful shutdown, step by step: the core stops its periodic work; every session stops taking deliveries; then
   * every session is sent GOODBYE {@code wamp.close.system_shutdown} (connections without a session are closed); the
   * peers' GOODBYE closes each connection, for up to {@code server.shutdown-grace}; then whatever is left is reset.
   * Returns the number of connections that had to be reset.
   */
  public int shutdown() throws InterruptedException {
    core.beginShutdown();
    return connections.shutdown(core.config().shutdownGrace());
  }
}
