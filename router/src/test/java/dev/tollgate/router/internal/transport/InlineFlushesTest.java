package dev.tollgate.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Which flushes the reading thread keeps: only during a read, only while the writers idle, one in every
 * {@code 1 + writer threads}; and it runs them after the read, in order, itself.
 */
class InlineFlushesTest {

  @Test
  void outsideAReadEveryFlushGoesToTheWriters() throws Exception {
    try (Writers writers = startedIdle(1)) {
      assertFalse(InlineFlushes.offer(() -> {}, writers.assign(), 1));
    }
  }

  @Test
  void whileTheWritersIdleTheReadingThreadTakesItsShareAndRunsItAfterTheRead() throws Exception {
    try (Writers writers = startedIdle(1)) {
      Writers.Lane lane = writers.assign();
      List<String> ran = new ArrayList<>();
      List<Boolean> taken = new ArrayList<>();
      Thread reader = Thread.currentThread();
      InlineFlushes.during(() -> {
        for (int i = 0; i < 5; i++) {
          String name = "flush " + i;
          taken.add(InlineFlushes.offer(() -> ran.add(name + (Thread.currentThread() == reader ? " here" : "")),
              lane, 1));
        }
        assertEquals(List.of(), ran, "nothing is written while the read is being handled");
      });
      assertEquals(List.of(true, false, true, false, true), taken, "one in every 1 + 1 writer threads");
      assertEquals(List.of("flush 0 here", "flush 2 here", "flush 4 here"), ran);
    }
  }

  @Test
  void withThreeWritersTheReadingThreadTakesOneInFour() throws Exception {
    try (Writers writers = startedIdle(3)) {
      Writers.Lane lane = writers.assign();
      int[] taken = new int[1];
      InlineFlushes.during(() -> {
        for (int i = 0; i < 1000; i++) {
          if (InlineFlushes.offer(() -> {}, lane, 3)) {
            taken[0]++;
          }
        }
      });
      assertEquals(250, taken[0]);
    }
  }

  @Test
  void whileItsWriterIsBusyAReadLeavesEveryFlushToTheWriters() throws Exception {
    try (Writers writers = startedIdle(1)) {
      Writers.Lane lane = writers.assign();
      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      lane.schedule(() -> {
        busy.countDown();
        await(release);
      });
      assertTrue(busy.await(5, TimeUnit.SECONDS));
      List<Boolean> taken = new ArrayList<>();
      InlineFlushes.during(() -> {
        for (int i = 0; i < 4; i++) {
          taken.add(InlineFlushes.offer(() -> {}, lane, 1));
        }
      });
      release.countDown();
      assertEquals(List.of(false, false, false, false), taken);
    }
  }

  @Test
  void aReadWithinAReadAddsToTheOuterOneWhichRunsEverythingOnceAtItsEnd() throws Exception {
    try (Writers writers = startedIdle(1)) {
      Writers.Lane lane = writers.assign();
      List<String> ran = new ArrayList<>();
      InlineFlushes.during(() -> {
        assertTrue(InlineFlushes.offer(() -> ran.add("outer"), lane, 1));
        InlineFlushes.during(() -> {
          assertFalse(InlineFlushes.offer(() -> ran.add("inner, the writers' turn"), lane, 1));
          assertTrue(InlineFlushes.offer(() -> ran.add("inner"), lane, 1));
        });
        assertEquals(List.of(), ran, "the inner read's end runs nothing");
      });
      assertEquals(List.of("outer", "inner"), ran);
      InlineFlushes.during(() -> {});
      assertEquals(List.of("outer", "inner"), ran, "each flush runs once");
    }
  }

  @Test
  void aFlushThatThrowsDoesNotCostTheOthers() throws Exception {
    try (Writers writers = startedIdle(1)) {
      Writers.Lane lane = writers.assign();
      List<String> ran = new ArrayList<>();
      InlineFlushes.during(() -> {
        InlineFlushes.offer(() -> {
          throw new IllegalStateException("a defect in one connection's flush (expected by this test)");
        }, lane, 0);
        InlineFlushes.offer(() -> ran.add("second"), lane, 0);
      });
      assertEquals(List.of("second"), ran);
    }
  }

  /** Writers whose threads have started and fallen asleep. */
  private static Writers startedIdle(int threads) throws Exception {
    Writers writers = new Writers(threads);
    writers.start();
    for (int i = 0; i < threads; i++) {
      Writers.Lane lane = writers.assign();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!lane.idle()) {
        assertTrue(System.nanoTime() < deadline, "a writer thread never fell asleep");
        Thread.sleep(1);
      }
    }
    return writers;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
