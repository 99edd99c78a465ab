package dev.tollgate.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The writer threads lose no wake-up: every flush scheduled from any thread runs, on its lane's thread. */
class WritersTest {

  @Test
  void everyScheduledFlushRunsOnceWhateverThreadSchedulesIt() throws Exception {
    int producers = 4;
    int perProducer = 50_000;
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(producers * perProducer);
    try (Writers writers = new Writers(2)) {
      writers.start();
      Writers.Lane[] lanes = {writers.assign(), writers.assign()};
      Thread[] threads = new Thread[producers];
      for (int p = 0; p < producers; p++) {
        Writers.Lane lane = lanes[p % 2];
        threads[p] = new Thread(() -> {
          for (int i = 0; i < perProducer; i++) {
            lane.schedule(() -> {
              ran.incrementAndGet();
              all.countDown();
            });
            if (i % 1000 == 0) {
              // let the lane drain and fall asleep now and then, so wake-ups are exercised, not only a busy loop
              Thread.yield();
            }
          }
        });
        threads[p].start();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(all.await(10, TimeUnit.SECONDS), () -> "flushes run: " + ran.get());
    }
    assertEquals(producers * perProducer, ran.get());
  }

  @Test
  void aFlushThatThrowsDoesNotStopItsWriter() throws Exception {
    CountDownLatch after = new CountDownLatch(1);
    try (Writers writers = new Writers(1)) {
      writers.start();
      Writers.Lane lane = writers.assign();
      lane.schedule(() -> {
        throw new IllegalStateException("a defect in one connection's flush (expected by this test)");
      });
      lane.schedule(after::countDown);
      assertTrue(after.await(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void connectionsAreSpreadRoundRobin() throws Exception {
    try (Writers writers = new Writers(3)) {
      Writers.Lane first = writers.assign();
      Writers.Lane second = writers.assign();
      Writers.Lane third = writers.assign();
      assertNotSame(first, second);
      assertNotSame(first, third);
      assertNotSame(second, third);
      assertSame(first, writers.assign());
    }
  }
}
