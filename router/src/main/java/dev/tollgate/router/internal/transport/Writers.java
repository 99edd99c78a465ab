package dev.tollgate.router.internal.transport;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.component.Dumpable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's writer threads ({@code server.writer-threads}: by default half the cores, the other half being left
 * to Jetty's reading threads and the kernel). Each connection belongs to one writer; a connection with frames queued
 * goes on its writer's run list once, and the writer flushes the connections on its list in turn.
 *
 * <p>Why not a pool task per connection: a publication to 1,000 subscribers would then be 1,000 tasks and as many
 * thread wake-ups, and frames would leave one per write. Here a publication wakes at most one thread per writer, and
 * while a writer works through its list, new frames gather behind it, so the busier the router, the more frames each
 * write carries.
 */
final class Writers extends AbstractLifeCycle implements AutoCloseable, Dumpable {
  private static final Logger LOG = LoggerFactory.getLogger(Writers.class);

  private final Lane[] lanes;
  private final AtomicInteger nextLane = new AtomicInteger();

  Writers(int threads) {
    lanes = new Lane[threads];
    for (int i = 0; i < threads; i++) {
      lanes[i] = new Lane("tollgate-writer-" + i);
    }
  }

  @Override
  protected void doStart() {
    for (Lane lane : lanes) {
      lane.start();
    }
  }

  @Override
  protected void doStop() {
    close();
  }

  @Override
  public void dump(Appendable out, String indent) throws IOException {
    Dumpable.dumpObjects(out, indent, "writers: " + lanes.length + " threads", (Object[]) lanes);
  }

  /** How many writer threads there are. */
  int threads() {
    return lanes.length;
  }

  /** The writer for a new connection, round robin. */
  Lane assign() {
    return lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)];
  }

  @Override
  public void close() {
    for (Lane lane : lanes) {
      lane.stop();
    }
  }

  /** One writer thread and its run list. */
  static final class Lane implements Runnable {
    private final String name;
    private final ConcurrentLinkedQueue<Runnable> runList = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean stopped;
    private volatile Thread thread;

    private Lane(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name + " (" + runList.size() + " connections to flush)";
    }

    /** Whether this writer is asleep with nothing to do (a hint: it may be woken the next moment). */
    boolean idle() {
      return sleeping.get() && runList.isEmpty();
    }

    /** Puts a flush on the run list; the caller makes sure one connection is on it at most once. */
    void schedule(Runnable flush) {
      runList.add(flush);
      if (sleeping.get() && sleeping.compareAndSet(true, false)) {
        LockSupport.unpark(thread);
      }
    }

    private void start() {
      if (started.compareAndSet(false, true)) {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        thread = t;
        t.start();
      }
    }

    private void stop() {
      stopped = true;
      Thread t = thread;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }

    @Override
    public void run() {
      while (!stopped) {
        Runnable flush = runList.poll();
        if (flush != null) {
          runSafely(flush);
          continue;
        }
        sleeping.set(true);
        // A schedule() between the poll above and this check finds sleeping set and unparks; one before it is seen
        // here. Either way no flush waits for the next wake-up.
        if (!runList.isEmpty()) {
          sleeping.set(false);
          continue;
        }
        LockSupport.park(this);
        sleeping.set(false);
      }
    }

    private void runSafely(Runnable flush) {
      try {
        flush.run();
      } catch (RuntimeException | Error bug) {
        // A defect writing to one connection must not stop the writer that serves many.
        LOG.error("internal error while flushing a connection", bug);
      }
    }
  }
}
