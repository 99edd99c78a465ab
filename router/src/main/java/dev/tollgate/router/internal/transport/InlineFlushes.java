package dev.tollgate.router.internal.transport;

import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes that a connection's reading thread makes itself, once it has handled everything it read.
 *
 * <p>Why: a call's reply used to cross two threads before it left: the reading thread handed each message to a pool
 * thread, which queued the INVOCATION and woke the callee's writer thread. On an idle router those two wake-ups were
 * most of a call's round trip and of its CPU. Now a WebSocket connection is read on the selector's thread
 * ({@link TollgateEndPoint}), and the connections it queued frames for while handling what it read are flushed by that
 * same thread, after the read: no hand-off at all, and the frames queued for one connection in one read still leave in
 * one write.
 *
 * <p>Only while the writers idle: a read shares its flushes when the writer of its first one is asleep. Then this thread
 * takes one connection in every {@code 1 + writer threads} and leaves the rest on the writers' run lists, so a
 * publication's writes run side by side and its last receiver is not a thousand writes behind the first. When the
 * writers are busy, the router is saturated: everything goes to them, where frames gather into fewer writes, and this
 * thread goes back to reading. (Measured: taking every other flush whatever the writers did cost a quarter of the
 * fan-out rate at saturation.)
 *
 * <p>Only flushes scheduled while a read is being handled ({@link #during}) are taken; everything else goes to the
 * writers as before. The thread runs the flushes after the read's handling has returned, so never while a session's
 * lock is held.
 */
final class InlineFlushes {
  private static final Logger LOG = LoggerFactory.getLogger(InlineFlushes.class);
  private static final ThreadLocal<InlineFlushes> CURRENT = new ThreadLocal<>();

  /** Connections to flush on this thread; in the order they were scheduled. */
  private final ArrayList<Runnable> flushes = new ArrayList<>();
  /** Flushes offered during the current read, taken or not: which one is this thread's turn. */
  private int offered;
  /** Whether this read shares its flushes with the writers: decided at its first, by whether that one's writer idles. */
  private boolean sharing;
  private boolean active;

  private InlineFlushes() {}

  /**
   * Runs {@code read} (a connection's fill and parse) and then the flushes it left to this thread. Re-entrant: a read
   * handled within another (Jetty may demand inline) adds to the outer one's flushes.
   */
  static void during(Runnable read) {
    InlineFlushes local = CURRENT.get();
    if (local == null) {
      local = new InlineFlushes();
      CURRENT.set(local);
    }
    if (local.active) {
      read.run();
      return;
    }
    local.active = true;
    try {
      read.run();
    } finally {
      local.active = false;
      local.offered = 0;
      local.runAll();
    }
  }

  /**
   * Takes {@code flush} for this thread when it is handling a read that shares its flushes and it is this thread's
   * turn among {@code 1 + writer threads}; false when the caller must give it to {@code lane}.
   */
  static boolean offer(Runnable flush, Writers.Lane lane, int writerThreads) {
    InlineFlushes local = CURRENT.get();
    if (local == null || !local.active) {
      return false;
    }
    int turn = local.offered++;
    if (turn == 0) {
      local.sharing = lane.idle();
    }
    if (!local.sharing || turn % (1 + writerThreads) != 0) {
      return false;
    }
    local.flushes.add(flush);
    return true;
  }

  private void runAll() {
    // Index loop: a flush that completes a write may schedule again (a close after the last frame), which can land in
    // this list only while a read is active, and none is now.
    for (int i = 0; i < flushes.size(); i++) {
      Runnable flush = flushes.get(i);
      try {
        flush.run();
      } catch (RuntimeException | Error bug) {
        // One connection's failure must not stop the writes to the others that this read owes.
        LOG.error("internal error while flushing a connection", bug);
      }
    }
    flushes.clear();
  }
}
