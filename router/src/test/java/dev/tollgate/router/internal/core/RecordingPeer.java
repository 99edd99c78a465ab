package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.WampMessage;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An in-process peer: it reads messages as objects ({@link WireFormat#OBJECTS}) and keeps them for the test, in
 * order. An optional reaction (a callee yielding) runs on the peer's own thread, as a client's inbound thread would:
 * a peer never calls into a session from inside a send (see {@link Peer}).
 */
final class RecordingPeer implements Peer {
  final BlockingQueue<WampMessage> received = new LinkedBlockingQueue<>();
  volatile Close closedHow;
  volatile boolean closed;
  private volatile Consumer<WampMessage> reaction;
  private volatile java.util.concurrent.ExecutorService inbound;

  /** Runs {@code reaction} for each message sent to this peer, on one thread of its own, in order. */
  void react(Consumer<WampMessage> reaction) {
    this.inbound = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "peer-inbound");
      t.setDaemon(true);
      return t;
    });
    this.reaction = reaction;
  }

  /** Waits until {@code count} messages have arrived, at most 10 s. */
  void awaitCount(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  @Override
  public WireFormat format() {
    return WireFormat.OBJECTS;
  }

  @Override
  public void send(WampMessage message) {
    received.add(message);
    Consumer<WampMessage> r = reaction;
    if (r != null) {
      inbound.execute(() -> r.accept(message));
    }
  }

  @Override
  public void deliver(Publication publication) {
    send(publication.event());
  }

  @Override
  public void sendAndClose(WampMessage last) {
    received.add(last);
    close(Close.NORMAL, null);
  }

  @Override
  public void sayGoodbye(Goodbye goodbye) {
    received.add(goodbye);
  }

  @Override
  public void close(Close how, String reason) {
    closedHow = how;
    closed = true;
  }

  @Override
  public String describe() {
    return "in-process peer";
  }

  @Override
  public String clientAddress() {
    return "127.0.0.1";
  }

  /** The next message, which must be of {@code type}, within a second. */
  <T extends WampMessage> T next(Class<T> type) throws InterruptedException {
    WampMessage m = received.poll(1, TimeUnit.SECONDS);
    assertNotNull(m, "expected " + type.getSimpleName() + " but nothing arrived");
    assertTrue(type.isInstance(m), "expected " + type.getSimpleName() + " but was " + m);
    return type.cast(m);
  }

  /** Asserts nothing more arrived. */
  void assertNothingMore() {
    List<WampMessage> stray = List.copyOf(received);
    assertTrue(stray.isEmpty(), "nothing more expected, but got " + stray);
  }
}
