package dev.tollgate.router.internal.transport;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Jetty's socket end point with three additions.
 *
 * <p><b>Two writers, one at a time</b> ({@link OneWriteAtATime}): Tollgate's data frames and Jetty's control frames.
 *
 * <p><b>Holding the 101.</b> It can hold back what is written to it, so that the HTTP 101 response of a WAMP v1
 * upgrade and the WELCOME frame after it leave in <em>one</em> write. Oro's PHP publisher reads the handshake answer
 * once and takes the WELCOME from whatever arrived with the status line: written apart, 4 to 26 % of its connects
 * fail. Jetty writes the 101 before the WebSocket session opens, so the negotiator calls {@link #hold} for a v1
 * upgrade, the v1 connection calls {@link #releaseWithNextWrite} when it opens, and its first frame's write carries
 * the held 101 in front of it. A deadline writes the held bytes alone if no frame comes.
 *
 * <p><b>Reset.</b> A plain close sends a FIN after whatever the kernel still holds for the peer; a peer that does not
 * read keeps that socket in FIN-WAIT-1, its send queue (up to twice SO_SNDBUF) held, for as long as it stays silent,
 * and it never learns that it was cut off. {@link #resetConnection} closes with SO_LINGER 0 instead: the kernel drops
 * the queue and sends RST, so the memory returns at once and the peer's next read or write fails.
 */
final class TollgateEndPoint extends SocketChannelEndPoint implements Wire {
  private static final long DEADLINE_MS = 1_000;

  private enum Mode {
    NORMAL,
    HOLD,
    RELEASE_WITH_NEXT
  }

  /** Guarded by this: flush() is serialized by Jetty's WriteFlusher, the mode changes come from other threads. */
  private Mode mode = Mode.NORMAL;
  private ByteBuffer held;

  private final OneWriteAtATime writes = new OneWriteAtATime();
  /** The WebSocket connection's read callback, wrapped once; only the thread registering fill interest touches it. */
  private InlineRead inlineRead;
  private final OneWriteAtATime.Direct direct = (cb, b) -> super.write(cb, b);

  TollgateEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
    super(channel, selector, key, scheduler);
  }

  /**
   * A WebSocket connection is read on the selector's thread: its handling never blocks (a ticket is checked on the
   * security pool, and the next frame is read when the check is done), so the read need not be handed to a pool
   * thread, as Jetty does for a connection it cannot know to be non-blocking. What the read queued for other
   * connections is written by this thread after it ({@link InlineFlushes}). HTTP connections are read as Jetty reads
   * them: their handlers may block (a ticket request checks a password).
   */
  @Override
  public void fillInterested(Callback callback) {
    super.fillInterested(inline(callback));
  }

  @Override
  public boolean tryFillInterested(Callback callback) {
    return super.tryFillInterested(inline(callback));
  }

  private Callback inline(Callback callback) {
    if (!(getConnection() instanceof org.eclipse.jetty.websocket.core.WebSocketConnection)) {
      return callback;
    }
    InlineRead read = inlineRead;
    if (read == null || read.read != callback) {
      // One per connection: the connection passes the same callback each time.
      read = new InlineRead(callback);
      inlineRead = read;
    }
    return read;
  }

  /** A WebSocket connection's read, run where it is ready, then the flushes it left to its thread. */
  private static final class InlineRead implements Callback {
    private final Callback read;
    private final Runnable succeeded;

    InlineRead(Callback read) {
      this.read = read;
      this.succeeded = read::succeeded;
    }

    @Override
    public void succeeded() {
      InlineFlushes.during(succeeded);
    }

    @Override
    public void failed(Throwable cause) {
      read.failed(cause);
    }

    @Override
    public InvocationType getInvocationType() {
      return InvocationType.NON_BLOCKING;
    }
  }

  /** Starts the write now if none is in progress, else when the writes before it have completed. */
  @Override
  public void write(Callback callback, ByteBuffer... buffers) {
    writes.write(direct, callback, buffers);
  }

  /**
   * Ends the connection at once with a TCP reset, dropping what the kernel still holds to send; a no-op once closed.
   * A write in progress fails, and the connection's close callbacks run as for any close.
   */
  @Override
  public void resetConnection() {
    if (!isOpen()) {
      return;
    }
    try {
      // With linger 0 the JDK closes a registered channel without shutting its output down first (which would send a
      // FIN), and close(2) with linger 0 aborts the connection with a RST, whatever its state.
      getChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException closedMeanwhile) {
      // then there is nothing left to reset
    }
    close();
  }

  /** Resets the connection unless it has closed by itself within {@code grace}. */
  @Override
  public void resetConnectionUnlessClosedWithin(Duration grace) {
    getScheduler().schedule(this::resetConnection, grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Sends a FIN after what is already written, with no WebSocket close frame, and resets the connection if the peer
   * has not closed its side within {@code grace}: a peer that reads gets everything, one that does not holds nothing.
   */
  @Override
  public void shutdownOutputThenReset(Duration grace) {
    shutdownOutput();
    resetConnectionUnlessClosedWithin(grace);
  }

  /** From now on, writes are held back (the 101 response). */
  @Override
  public synchronized void hold() {
    mode = Mode.HOLD;
    getScheduler().schedule(this::deadline, DEADLINE_MS, TimeUnit.MILLISECONDS);
  }

  /** The held bytes leave with the next write (the WELCOME frame). */
  @Override
  public synchronized void releaseWithNextWrite() {
    if (mode == Mode.HOLD) {
      mode = Mode.RELEASE_WITH_NEXT;
    }
  }

  private void deadline() {
    boolean pending;
    synchronized (this) {
      pending = mode != Mode.NORMAL && held != null;
      mode = Mode.RELEASE_WITH_NEXT;
    }
    if (pending && isOpen()) {
      write(Callback.NOOP, ByteBuffer.allocate(0));
    }
  }

  @Override
  public boolean flush(ByteBuffer... buffers) throws IOException {
    ByteBuffer[] out;
    synchronized (this) {
      if (mode == Mode.NORMAL) {
        out = null;
      } else if (mode == Mode.HOLD) {
        keep(buffers);
        return true;
      } else if (held == null || !held.hasRemaining()) {
        held = null;
        mode = Mode.NORMAL;
        out = null;
      } else {
        out = new ByteBuffer[buffers.length + 1];
        out[0] = held;
        System.arraycopy(buffers, 0, out, 1, buffers.length);
      }
    }
    if (out == null) {
      return super.flush(buffers);
    }
    boolean all = super.flush(out);
    synchronized (this) {
      if (!held.hasRemaining()) {
        held = null;
        mode = Mode.NORMAL;
      }
    }
    return all;
  }

  private void keep(ByteBuffer[] buffers) {
    int size = 0;
    for (ByteBuffer b : buffers) {
      size += b.remaining();
    }
    ByteBuffer grown = ByteBuffer.allocate((held == null ? 0 : held.remaining()) + size);
    if (held != null) {
      grown.put(held);
    }
    for (ByteBuffer b : buffers) {
      grown.put(b);
    }
    grown.flip();
    held = grown;
  }
}
