package dev.tollgate.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The selector's polling against a real NIO selector and pipe: it polls after handling something, sleeps once a poll
 * found nothing, polls less after each poll in vain and not at all after a few, and polls again once something comes
 * right after a sleep began. Time only separates a poll (returns at once) from a sleep (returns when the pipe is
 * written, 300 ms later), with wide margins.
 */
class SpinningSelectorTest {
  /** Wide, so that a sleep which ends at once is told from one that did not even on a loaded machine. */
  private static final long SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long LATE_MS = 300;

  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  private Pipe pipe;
  private Selector selector;
  private SpinningSelector spinning;

  @BeforeEach
  void open() throws Exception {
    pipe = Pipe.open();
    pipe.source().configureBlocking(false);
    selector = Selector.open();
    pipe.source().register(selector, SelectionKey.OP_READ);
    spinning = spinning(SPIN_NANOS);
  }

  /** A selector of a connector that is never started: its manager is all the selector needs. */
  private static SpinningSelector spinning(long maxSpinNanos) {
    return new SpinningSelector(new TollgateConnector(new Server(), Duration.ZERO, 0).getSelectorManager(), 0,
        maxSpinNanos);
  }

  @AfterEach
  void close() throws Exception {
    later.shutdownNow();
    selector.close();
    pipe.source().close();
    pipe.sink().close();
  }

  @Test
  void pollsAfterHandlingThenSleepsAndStopsPollingWhenPollsFindNothing() throws Exception {
    write();
    assertEquals(1, spinning.nioSelect(selector, false), "data already there: found at once");
    int[] polls = new int[14];
    for (int round = 0; round < polls.length; round++) {
      drain();
      polls[round] = pollsBeforeTheSleep();
    }
    assertTrue(polls[0] > 0, "the first quiet stretch after handling is polled: " + java.util.Arrays.toString(polls));
    assertEquals(0, polls[polls.length - 1], "after polls in vain, none: " + java.util.Arrays.toString(polls));

    // Something ready at once when a sleep begins (what a poll would have caught): polling comes back. "At once" is
    // within the longest poll, which a thread descheduled on a loaded machine can miss: a few tries.
    int pollsAfter = 0;
    for (int attempt = 0; attempt < 5 && pollsAfter == 0; attempt++) {
      drain();
      write();
      assertEquals(1, spinning.nioSelect(selector, false));
      drain();
      pollsAfter = pollsBeforeTheSleep();
    }
    assertTrue(pollsAfter > 0, "polls again after a sleep that ended at once");
  }

  @Test
  void noPollingAtAllWhenTheSettingIsZeroOrNothingWasHandled() throws Exception {
    spinning = spinning(0);
    write();
    assertEquals(1, spinning.nioSelect(selector, false));
    drain();
    assertEquals(0, pollsBeforeTheSleep(), "zero: never polls");
  }

  /**
   * Calls the selector until it sleeps (a call that returns only when the pipe is written, {@value #LATE_MS} ms later)
   * and returns how many calls returned at once, finding nothing, before it; the pipe holds data afterwards.
   */
  private int pollsBeforeTheSleep() throws Exception {
    later.schedule(this::writeQuietly, LATE_MS, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    int polls = 0;
    while (true) {
      long before = System.nanoTime();
      int ready = spinning.nioSelect(selector, false);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
      selector.selectedKeys().clear();
      if (ready > 0) {
        assertTrue(tookMs >= LATE_MS / 2, "found data only when it was written, after a sleep; took " + tookMs + " ms");
        return polls;
      }
      assertTrue(tookMs < LATE_MS / 2, "a poll that found nothing returns at once; took " + tookMs + " ms");
      polls++;
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "the selector never slept");
    }
  }

  private void write() throws Exception {
    pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
  }

  private void writeQuietly() {
    try {
      write();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void drain() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(64);
    while (pipe.source().read(b) > 0) {
      b.clear();
    }
    selector.selectNow();
    selector.selectedKeys().clear();
  }
}
