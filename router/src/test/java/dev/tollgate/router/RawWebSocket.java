package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket peer on a plain socket (WAMP v2 JSON or v1), for what the JDK's WebSocket client hides: the size of its receive buffer,
 * whether it reads at all, and its local port, by which the router's side of the connection is found in the kernel's
 * tables. It reads only when a test asks it to; frames are written and parsed by hand, unfragmented text only.
 */
final class RawWebSocket implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects with a receive buffer of {@code receiveBuffer} bytes, set before the handshake so that the window the
   * client offers stays that small, and upgrades offering {@code subprotocol}.
   */
  static RawWebSocket connect(int port, String subprotocol, int receiveBuffer) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(receiveBuffer);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(5_000);
    RawWebSocket ws = new RawWebSocket(s);
    ws.out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    String head = ws.readHead();
    assertTrue(head.startsWith("HTTP/1.1 101"), "expected 101 but was " + head);
    return ws;
  }

  int localPort() {
    return socket.getLocalPort();
  }

  void send(WampMessage message) throws IOException {
    sendText(Serializer.JSON.codec().encode(message));
  }

  void sendText(String text) throws IOException {
    sendText(text.getBytes(StandardCharsets.UTF_8));
  }

  private void sendText(byte[] payload) throws IOException {
    out.write(frame(0x1, true, payload));
    out.flush();
  }

  /** A client frame of any opcode, final or not: masked with a zero key, which leaves the payload as it is. */
  static byte[] frame(int opcode, boolean fin, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 8);
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    }
    // A client MUST mask its frames; a zero mask leaves the payload as it is.
    frame.write(new byte[4], 0, 4);
    frame.write(payload, 0, payload.length);
    return frame.toByteArray();
  }

  /** Writes bytes as they are: a hand-made frame header, say. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The status code of the next frame, which must be a close frame. */
  int readCloseCode() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    assertEquals(0x88, b0, "expected a close frame");
    byte[] payload = new byte[b1 & 0x7f];
    in.readFully(payload);
    return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
  }

  /** The next message, which must be a text frame decoding to {@code type}. */
  <T extends WampMessage> T expect(Class<T> type) throws IOException {
    byte[] payload = readText().getBytes(StandardCharsets.UTF_8);
    return assertInstanceOf(type, Serializer.JSON.codec().decode(ByteBuffer.wrap(payload)));
  }

  /** The payload of the next frame, which must be an unfragmented text frame. */
  String readText() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    assertEquals(0x81, b0, "expected an unfragmented text frame");
    long length = b1 & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new String(payload, StandardCharsets.UTF_8);
  }

  /**
   * Reads and drops whatever arrives until the connection ends, by EOF or by a reset; false if it is still open
   * after {@code within}.
   */
  boolean readsToTheEnd(Duration within) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long deadline = System.nanoTime() + within.toNanos();
    socket.setSoTimeout((int) Math.max(1, within.toMillis()));
    while (System.nanoTime() < deadline) {
      try {
        if (in.read(buf) < 0) {
          return true;
        }
      } catch (SocketTimeoutException stillOpen) {
        return false;
      } catch (IOException reset) {
        return true;
      }
    }
    return false;
  }

  private String readHead() throws IOException {
    // Byte by byte, so that nothing after the head is taken from the stream.
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
    }
    return head.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
