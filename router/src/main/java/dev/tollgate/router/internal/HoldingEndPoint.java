package dev.tollgate.router.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A socket end point that can hold back what is written to it, so that the HTTP 101 response of a WAMP v1 upgrade
 * and the WELCOME frame after it leave in <em>one</em> write. Oro's PHP publisher reads the handshake answer once
 * and takes the WELCOME from whatever arrived with the status line: written apart, 4 to 26 % of its connects fail.
 *
 * <p>Jetty writes the 101 before the WebSocket session opens, so the negotiator calls {@link #hold} for a v1
 * upgrade, the v1 connection calls {@link #releaseWithNextWrite} when it opens, and its first frame's write carries the
 * held 101 in front of it. A deadline writes the held bytes alone if no frame comes.
 */
final class HoldingEndPoint extends SocketChannelEndPoint {
  private static final long DEADLINE_MS = 1_000;

  private enum Mode {
    NORMAL,
    HOLD,
    RELEASE_WITH_NEXT
  }

  /** Guarded by this: flush() is serialized by Jetty's WriteFlusher, the mode changes come from other threads. */
  private Mode mode = Mode.NORMAL;
  private ByteBuffer held;

  HoldingEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
    super(channel, selector, key, scheduler);
  }

  /** The end point of an upgrade request's connection, if it is a holding one; else null. */
  static HoldingEndPoint of(Request request) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    return endPoint instanceof HoldingEndPoint holding ? holding : null;
  }

  /** From now on, writes are held back (the 101 response). */
  synchronized void hold() {
    mode = Mode.HOLD;
    getScheduler().schedule(this::deadline, DEADLINE_MS, TimeUnit.MILLISECONDS);
  }

  /** The held bytes leave with the next write (the WELCOME frame). */
  synchronized void releaseWithNextWrite() {
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
