package dev.tollgate.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The receiver queue's two bounds: each holds alone, a write or a clear makes room, and concurrent offers take exactly
 * the bound.
 */
class OutboundQueueTest {

  @Test
  void theMessageBoundRefusesTheOneTooManyAndAWriteMakesRoom() {
    OutboundQueue queue = new OutboundQueue(1_000_000, 3);
    for (int i = 0; i < 3; i++) {
      assertTrue(queue.offer(new byte[10]));
    }
    assertFalse(queue.offer(new byte[10]), "a fourth message passes the bound of 3");
    assertEquals(30, queue.queuedBytes(), "a refused message counts for nothing");
    queue.poll();
    queue.written(1, 10);
    assertEquals(20, queue.queuedBytes());
    assertTrue(queue.offer(new byte[10]), "a written message makes room");
    assertEquals("queued 3/3 messages, 30/1000000 bytes", queue.toString());
  }

  @Test
  void theByteBoundRefusesWhatWouldPassItAndTakesWhatFits() {
    OutboundQueue queue = new OutboundQueue(100, 10_000);
    assertTrue(queue.offer(new byte[60]));
    assertFalse(queue.offer(new byte[50]), "60 + 50 passes 100 bytes");
    assertEquals(60, queue.queuedBytes());
    assertTrue(queue.offer(new byte[40]), "60 + 40 is exactly the bound");
    assertFalse(queue.offer(new byte[1]));
    assertEquals("queued 2/10000 messages, 100/100 bytes", queue.toString());
    queue.clear();
    assertNull(queue.poll());
    assertEquals("queued 0/10000 messages, 0/100 bytes", queue.toString(), "clear releases both counts");
  }

  @Test
  void concurrentOffersTakeExactlyTheBound() throws Exception {
    int bound = 5_000;
    OutboundQueue queue = new OutboundQueue(Integer.MAX_VALUE, bound);
    AtomicInteger taken = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < bound; i++) {
          if (queue.offer(new byte[7])) {
            taken.incrementAndGet();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(bound, taken.get(), "four threads offering 4x the bound get exactly the bound in");
    assertEquals(7L * bound, queue.queuedBytes());
    int queued = 0;
    while (queue.poll() != null) {
      queued++;
    }
    assertEquals(bound, queued);
  }
}
