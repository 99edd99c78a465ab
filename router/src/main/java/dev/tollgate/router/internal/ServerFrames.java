package dev.tollgate.router.internal;

import java.nio.ByteBuffer;

/**
 * WebSocket data frames as a server sends them (RFC 6455 §5.2): unmasked, unfragmented, no extensions. A server's
 * frame for a message is the same bytes for every receiver, so a publication frames its EVENT once per format.
 */
final class ServerFrames {
  private static final byte FIN = (byte) 0x80;
  private static final byte TEXT = 0x1;
  private static final byte BINARY = 0x2;

  private ServerFrames() {
  }

  /** One whole frame carrying {@code payload}, ready to write. */
  static ByteBuffer frame(boolean binary, byte[] payload) {
    int length = payload.length;
    int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    ByteBuffer frame = ByteBuffer.allocate(header + length);
    frame.put((byte) (FIN | (binary ? BINARY : TEXT)));
    if (length < 126) {
      frame.put((byte) length);
    } else if (length < 65_536) {
      frame.put((byte) 126).putShort((short) length);
    } else {
      frame.put((byte) 127).putLong(length);
    }
    return frame.put(payload).flip();
  }
}
