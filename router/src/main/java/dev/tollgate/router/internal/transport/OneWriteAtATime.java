package dev.tollgate.router.internal.transport;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.eclipse.jetty.util.Callback;

/**
 * Serializes the writes to one end point. Tollgate writes its data frames to the end point itself, many frames in one
 * write (see {@code SocketWriter}), while Jetty's WebSocket session writes control frames (close, ping, pong) to it
 * too; an end point takes one write at a time, so a write that comes while another is in progress is queued and
 * started when that one completes.
 */
final class OneWriteAtATime {
  /** The end point's own write. */
  interface Direct {
    void write(Callback callback, ByteBuffer... buffers);
  }

  /** Guarded by this: whether a write is in progress, and the writes waiting for it (made when first needed). */
  private boolean writing;
  private ArrayDeque<Runnable> waiting;

  /** Starts the write now if none is in progress, else when the writes before it have completed. */
  void write(Direct direct, Callback callback, ByteBuffer... buffers) {
    synchronized (this) {
      if (writing) {
        if (waiting == null) {
          waiting = new ArrayDeque<>(2);
        }
        waiting.add(() -> direct.write(new ThenNext(callback), buffers));
        return;
      }
      writing = true;
    }
    direct.write(new ThenNext(callback), buffers);
  }

  /** The end point is free: hands it to the next waiting write, if any. */
  private void startNext() {
    Runnable next;
    synchronized (this) {
      next = waiting == null ? null : waiting.poll();
      if (next == null) {
        writing = false;
        return;
      }
    }
    next.run();
  }

  /**
   * Completes one write. The end point is released <em>before</em> the writer hears of it, so a writer that writes
   * again from its callback (Jetty's IteratingCallbacks do, without recursing) starts at once instead of recursing
   * through this class.
   */
  private final class ThenNext implements Callback {
    private final Callback callback;

    ThenNext(Callback callback) {
      this.callback = callback;
    }

    @Override
    public void succeeded() {
      startNext();
      callback.succeeded();
    }

    @Override
    public void failed(Throwable cause) {
      startNext();
      callback.failed(cause);
    }

    @Override
    public InvocationType getInvocationType() {
      return callback.getInvocationType();
    }
  }
}
