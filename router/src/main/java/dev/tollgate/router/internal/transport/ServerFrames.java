package dev.tollgate.router.internal.transport;

import java.nio.ByteBuffer;

/**
 * WebSocket data frames as a server sends them (RFC 6455 §5.2): unmasked, unfragmented, no extensions. The header
 * is written in front of each message as it is copied into the write buffer, so that one encoded EVENT, shared by
 * every receiver of its format, needs no per-receiver copy of its own.
 */
final class ServerFrames {
  private static final byte FIN = (byte) 0x80;
  private static final byte TEXT = 0x1;
  private static final byte BINARY = 0x2;

  private ServerFrames() {
  }

  /** The header's length for a payload of {@code length} bytes. */
  static int headerLength(int length) {
    return length < 126 ? 2 : length < 65_536 ? 4 : 10;
  }

  /** Writes the header of a frame carrying {@code length} bytes at {@code out}'s position. */
  static void putHeader(ByteBuffer out, boolean binary, int length) {
    out.put((byte) (FIN | (binary ? BINARY : TEXT)));
    if (length < 126) {
      out.put((byte) length);
    } else if (length < 65_536) {
      out.put((byte) 126).putShort((short) length);
    } else {
      out.put((byte) 127).putLong(length);
    }
  }

  /** One whole frame carrying {@code payload}. */
  static ByteBuffer frame(boolean binary, byte[] payload) {
    ByteBuffer frame = ByteBuffer.allocate(headerLength(payload.length) + payload.length);
    putHeader(frame, binary, payload.length);
    return frame.put(payload).flip();
  }
}
