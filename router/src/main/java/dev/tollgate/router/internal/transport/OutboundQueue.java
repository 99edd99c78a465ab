package dev.tollgate.router.internal.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The messages waiting for one receiver, bounded in bytes and in count. Any thread may offer; one flusher drains.
 *
 * <p>The bound is a contract: a message that would pass {@code maxBytes} or {@code maxMessages} is refused, and the
 * caller disconnects the receiver as a slow consumer. Bytes count from the moment a message is offered until its
 * write completes, so messages already handed to the socket but not yet written still count. What the socket has
 * taken is beyond this queue: the kernel's send buffer, fixed by {@code server.socket-send-buffer} (see
 * {@link TollgateConnector}; Linux keeps twice the setting), so one receiver holds at most {@code maxBytes} plus that.
 */
final class OutboundQueue {
  /** A marker queued after the last message: close the transport once everything before it is written. */
  record CloseAfter(int code, String reason) {}

  private static final AtomicLongFieldUpdater<OutboundQueue> BYTES =
      AtomicLongFieldUpdater.newUpdater(OutboundQueue.class, "bytes");
  private static final AtomicIntegerFieldUpdater<OutboundQueue> MESSAGES =
      AtomicIntegerFieldUpdater.newUpdater(OutboundQueue.class, "messages");

  private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
  /** Counted through the updaters above: two fields rather than two atomic objects per connection. */
  private volatile long bytes;
  private volatile int messages;
  private final long maxBytes;
  private final int maxMessages;

  /** Bytes waiting now. */
  long queuedBytes() {
    return bytes;
  }

  OutboundQueue(long maxBytes, int maxMessages) {
    this.maxBytes = maxBytes;
    this.maxMessages = maxMessages;
  }

  /**
   * Queues one encoded message, possibly shared with other receivers (it is never modified); false when that would
   * pass a bound, and then nothing was queued.
   */
  boolean offer(byte[] message) {
    int size = message.length;
    if (MESSAGES.incrementAndGet(this) > maxMessages) {
      MESSAGES.decrementAndGet(this);
      return false;
    }
    if (BYTES.addAndGet(this, size) > maxBytes) {
      BYTES.addAndGet(this, -size);
      MESSAGES.decrementAndGet(this);
      return false;
    }
    items.add(message);
    return true;
  }

  /** Queues a close marker; it is not counted against the bounds. */
  void offerClose(CloseAfter close) {
    items.add(close);
  }

  /** The next item: a {@code byte[]} message or a {@link CloseAfter}; null when empty. */
  Object poll() {
    return items.poll();
  }

  /** The next item without taking it; for the one flusher that drains this queue. */
  Object peek() {
    return items.peek();
  }

  /** Called when messages totalling {@code size} bytes have been written (or dropped). */
  void written(int count, long size) {
    MESSAGES.addAndGet(this, -count);
    BYTES.addAndGet(this, -size);
  }

  /** Empties the queue without writing, releasing its counts. */
  void clear() {
    Object item;
    while ((item = items.poll()) != null) {
      if (item instanceof byte[] b) {
        written(1, b.length);
      }
    }
  }

  /** What is queued now, for Jetty's dump. */
  @Override
  public String toString() {
    return "queued " + messages + "/" + maxMessages + " messages, " + bytes + "/" + maxBytes + " bytes";
  }

  long maxBytes() {
    return maxBytes;
  }

  int maxMessages() {
    return maxMessages;
  }
}
