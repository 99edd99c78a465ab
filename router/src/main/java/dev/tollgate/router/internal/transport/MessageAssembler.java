package dev.tollgate.router.internal.transport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * Turns one connection's data frames into whole messages, and skips a message over the size limit without ever
 * holding it: Jetty hands over data frames in pieces of at most 64 KiB as their bytes arrive (auto-fragment; see
 * {@code WampNegotiator.customize}), so a large message is judged piece by piece, and only its first bytes (enough
 * to find its type and request id) are kept to answer it.
 *
 * <p>Not thread-safe: only the connection's inbound thread uses it, one frame at a time.
 */
final class MessageAssembler {
  /** Where whole messages, and the news of a skipped one, go. */
  interface Receiver {
    /** One whole message; a future when the next may be read only after it completes, else null. */
    CompletableFuture<?> message(ByteBuffer bytes, boolean binary);

    /** A message of {@code size} bytes was over the limit and skipped; {@code head} is its start. */
    void skipped(byte[] head, long size, boolean binary);
  }

  /** How much of a skipped message is kept: its type, request id and options are within it. */
  private static final int HEAD_BYTES = 4096;

  private final Receiver receiver;
  /** The message being assembled from several frames, or null. */
  private ByteArrayOutputStream assembling;
  /** The start of the message being skipped, or null; its size so far. */
  private byte[] skippedHead;
  private long skippedSize;
  private boolean binary;

  MessageAssembler(Receiver receiver) {
    this.receiver = receiver;
  }

  /** A TEXT or BINARY frame, the first of a message; {@code limit} is the largest message the peer may send. */
  CompletableFuture<?> first(Frame frame, int limit) {
    binary = frame.getOpCode() == OpCode.BINARY;
    if (frame.isFin() && frame.getPayloadLength() <= limit) {
      return receiver.message(frame.getPayload(), binary);
    }
    assembling = new ByteArrayOutputStream(Math.max(1024, Math.min(frame.getPayloadLength() * 2, limit)));
    return append(frame, limit);
  }

  /** A CONTINUATION frame. */
  CompletableFuture<?> continuation(Frame frame, int limit) {
    if (assembling == null && skippedHead == null) {
      return null; // Jetty's parser already refuses a continuation without a start; nothing to assemble
    }
    return append(frame, limit);
  }

  private CompletableFuture<?> append(Frame frame, int limit) {
    ByteBuffer payload = frame.getPayload();
    if (skippedHead != null) {
      skippedSize += payload.remaining();
    } else if (assembling.size() + payload.remaining() > limit) {
      startSkipping(assembling.toByteArray(), payload);
      assembling = null;
    } else {
      byte[] chunk = new byte[payload.remaining()];
      payload.duplicate().get(chunk);
      assembling.write(chunk, 0, chunk.length);
    }
    if (!frame.isFin()) {
      return null;
    }
    if (skippedHead != null) {
      byte[] head = skippedHead;
      skippedHead = null;
      receiver.skipped(head, skippedSize, binary);
      return null;
    }
    byte[] whole = assembling.toByteArray();
    assembling = null;
    return receiver.message(ByteBuffer.wrap(whole), binary);
  }

  private void startSkipping(byte[] before, ByteBuffer payload) {
    int fromBefore = Math.min(before.length, HEAD_BYTES);
    int fromPayload = Math.min(payload.remaining(), HEAD_BYTES - fromBefore);
    skippedHead = new byte[fromBefore + fromPayload];
    System.arraycopy(before, 0, skippedHead, 0, fromBefore);
    payload.duplicate().get(skippedHead, fromBefore, fromPayload);
    skippedSize = before.length + (long) payload.remaining();
  }
}
