package dev.tollgate.router.internal.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.component.Dumpable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The open WAMP connections, and the periodic liveness sweep over them: a connection that has something to receive
 * is pinged when quiet and closed when silent (see {@link WebSocketConnection#checkLiveness}). Thread-safe.
 */
final class Connections extends AbstractLifeCycle implements Dumpable {
  private final Transport transport;
  private final Set<WebSocketConnection> open = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;
  private volatile Scheduler.Task sweep;

  Connections(Transport transport) {
    this.transport = transport;
  }

  void opened(WebSocketConnection c) {
    open.add(c);
    transport.core().counters().openConnections.increment();
  }

  void closed(WebSocketConnection c) {
    if (open.remove(c)) {
      transport.core().counters().openConnections.decrement();
    }
  }

  @Override
  protected void doStart() {
    var config = transport.config();
    long interval = config.pingInterval().isZero() ? config.idleTimeout().toMillis() : config.pingInterval().toMillis();
    scheduleSweep(Math.max(100, Math.min(interval, config.idleTimeout().toMillis()) / 2));
  }

  @Override
  protected void doStop() {
    stopping = true;
    Scheduler.Task t = sweep;
    if (t != null) {
      t.cancel();
    }
  }

  private void scheduleSweep(long periodMillis) {
    sweep = transport.scheduler().schedule(() -> {
      long now = System.nanoTime();
      long ping = transport.config().pingInterval().toNanos();
      long idle = transport.config().idleTimeout().toNanos();
      for (WebSocketConnection c : open) {
        c.checkLiveness(now, ping, idle);
      }
      if (!stopping) {
        scheduleSweep(periodMillis);
      }
    }, periodMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * What the metrics show of the open connections, read when scraped: sessions by (realm, dialect, authrole), and
   * the bytes waiting in all outbound queues. One pass over the connections; nothing on the message path.
   */
  Transport.Snapshot snapshot() {
    java.util.Map<java.util.List<String>, Long> sessions = new java.util.HashMap<>();
    long queued = 0;
    for (WebSocketConnection c : open) {
      queued += c.queuedBytes();
      var session = c.session();
      var realm = session.realm();
      if (realm != null) {
        String dialect = c.format().name().toLowerCase(java.util.Locale.ROOT);
        sessions.merge(java.util.List.of(realm.name(), dialect, String.valueOf(session.authrole())), 1L, Long::sum);
      }
    }
    return new Transport.Snapshot(sessions, queued, open.size());
  }

  /** See {@link Transport#shutdown}. */
  int shutdown(Duration grace) throws InterruptedException {
    stopping = true;
    for (WebSocketConnection c : open) {
      c.session().stopDeliveries();
    }
    for (WebSocketConnection c : open) {
      c.session().shutdown();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    int left = open.size();
    for (WebSocketConnection c : open) {
      c.abort("no GOODBYE within server.shutdown-grace");
    }
    return left;
  }

  @Override
  public void dump(Appendable out, String indent) throws IOException {
    Dumpable.dumpObjects(out, indent, "connections: " + open.size() + " open", open.toArray());
  }
}
