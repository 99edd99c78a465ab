package dev.tollgate.compat.ratchet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Oro's PHP backend publisher (OroSyncBundle {@code WebsocketClient} → {@code WampClient}, with GosWebSocketBundle's
 * frame encoder) as {@code ../shared/compat/oro-backend-client.md} describes it, on a raw socket: a new connection
 * per publish, the absolute-form request line of Oro up to 5.0 with an anonymous ticket in the query, the answer read
 * the fragile way Oro reads it, one masked PUBLISH, and a bare TCP close.
 *
 * <p>What makes it fragile: Oro cuts what it read from the first {@code [} and JSON-decodes the rest, which must be
 * exactly the WELCOME. So the 101 and the WELCOME must have arrived by the time it stops reading, and nothing may
 * follow the WELCOME in that burst. Not thread-safe; one instance per publish.
 */
final class OroBackendPublisher {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  /** PHP's stream read chunk. */
  private static final int CHUNK = 8192;
  private static final int CONNECT_TIMEOUT_MS = 1000;
  /** How long the busy loop waits for the first bytes after the status line before Oro would give up. */
  private static final long READ_DEADLINE_NANOS = 1_000_000_000L;

  /** How the client reads the answer after the status line. */
  enum Reading {
    /** Oro 7.x (and 6.0.10+, 6.1.5+): non-blocking reads in a busy loop, stopping at the first empty read once data has arrived. */
    ORO_7,
    /** Oro 5.0.x: only what PHP had already buffered when it read the status line. */
    ORO_5_0
  }

  /** Oro's client found no WELCOME where it looks: it would log nothing and report "not connected". */
  static final class NotConnectedException extends IOException {
    NotConnectedException(String message) {
      super(message);
    }
  }

  private OroBackendPublisher() {}

  /**
   * Connects to {@code ws://host:port/path} with the ticket, reads the WELCOME as Oro does, publishes
   * {@code [7, topic, payload, [], []]} and drops the connection. Returns the session id from the WELCOME.
   *
   * @param phpJsonPayload the event as PHP's json_encode writes it ({@code \/} for a slash, &#92;u00e9 for é)
   */
  static String publish(String host, int port, String path, String ticket, Reading reading, String topic,
      String phpJsonPayload) throws IOException {
    try (Connection c = connect(host, port, path, ticket, reading)) {
      c.publish(topic, phpJsonPayload);
      return c.sessionId();
    } // closed bare: no close frame, as Oro's client ends
  }

  /**
   * Connects and reads the WELCOME as Oro does, then keeps the connection, as a message-queue consumer or a cron job
   * keeps it for the life of its process: it publishes on it and never reads from it again.
   */
  static Connection connect(String host, int port, String path, String ticket, Reading reading) throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel.socket().connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      channel.socket().setTcpNoDelay(true);
      writeAll(channel, request(host, port, path, ticket));
      String answer = readAnswer(channel, reading);
      channel.configureBlocking(true);
      return new Connection(channel, welcomeSessionId(answer));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** A connection that Oro's client holds: it writes PUBLISH frames and never reads. */
  static final class Connection implements AutoCloseable {
    private final SocketChannel channel;
    private final String sessionId;

    private Connection(SocketChannel channel, String sessionId) {
      this.channel = channel;
      this.sessionId = sessionId;
    }

    String sessionId() {
      return sessionId;
    }

    /** Writes {@code [7, topic, payload, [], []]}; like PHP's fwrite, it succeeds once the kernel took the bytes. */
    void publish(String topic, String phpJsonPayload) throws IOException {
      String publish = "[7," + phpString(topic) + "," + phpJsonPayload + ",[],[]]";
      writeAll(channel, RawWebSocket.frame(true, RawWebSocket.TEXT, publish.getBytes(StandardCharsets.UTF_8)));
    }

    /** A bare TCP close, as Oro's client ends. */
    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** The upgrade request, headers in the client's order. */
  static byte[] request(String host, int port, String path, String ticket) {
    // http_build_query: "+", "/" and "=" of the base64 ticket arrive as %2B, %2F and %3D.
    String query = "ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8);
    String authority = host + ":" + port;
    return ("GET ws://" + authority + path + "?" + query + " HTTP/1.1\r\n"
        + "Host: " + authority + "\r\n"
        + "Pragma: no-cache\r\n"
        + "Cache-Control: no-cache\r\n"
        + "Upgrade: WebSocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + RawWebSocket.newKey() + "\r\n"
        + "Sec-WebSocket-Protocol: wamp\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "Origin: 127.0.0.1\r\n"
        + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * The session id of the WELCOME that must be everything from the first {@code [} of the answer to its end, as Oro's
   * {@code json_decode(substr($answer, strpos($answer, '[')))} needs.
   */
  static String welcomeSessionId(String answer) throws NotConnectedException {
    int bracket = answer.indexOf('[');
    if (bracket < 0) {
      throw new NotConnectedException("no '[' in what was read: " + printable(answer));
    }
    JsonNode welcome;
    try {
      welcome = JSON.readTree(answer.substring(bracket));
    } catch (IOException e) {
      throw new NotConnectedException("what follows the first '[' is not one JSON value: "
          + printable(answer.substring(bracket)));
    }
    if (!welcome.isArray() || welcome.size() < 2 || !welcome.get(0).isInt() || welcome.get(0).asInt() != 0
        || !welcome.get(1).isTextual()) {
      throw new NotConnectedException("expected [0, \"<session id>\", …] but was " + welcome);
    }
    return welcome.get(1).asText();
  }

  private static String readAnswer(SocketChannel channel, Reading reading) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    // Blocking reads until the status line is in (PHP's fgets); its chunk may hold more, which PHP keeps buffered.
    byte[] read = new byte[0];
    int lineEnd;
    while ((lineEnd = indexOfCrLf(read)) < 0) {
      buffer.clear();
      if (channel.read(buffer) < 0) {
        throw new NotConnectedException("the connection ended before the status line: " + printable(latin1(read)));
      }
      read = concat(read, buffer);
    }
    String statusLine = latin1(Arrays.copyOf(read, lineEnd));
    if (!statusLine.startsWith("HTTP/1.1 101")) {
      throw new NotConnectedException("not upgraded: " + statusLine);
    }
    byte[] rest = Arrays.copyOfRange(read, lineEnd + 2, read.length);
    if (reading == Reading.ORO_5_0) {
      return latin1(rest);
    }
    channel.configureBlocking(false);
    boolean arrived = rest.length > 0;
    long deadline = System.nanoTime() + READ_DEADLINE_NANOS;
    while (System.nanoTime() < deadline) {
      buffer.clear();
      int n = channel.read(buffer);
      if (n > 0) {
        rest = concat(rest, buffer);
        arrived = true;
      } else if (arrived || n < 0) {
        break;
      } else {
        Thread.onSpinWait();
      }
    }
    return latin1(rest);
  }

  /** A JSON string as PHP's json_encode writes it: "/" as "\/", everything non-ASCII as &#92;uXXXX. */
  static String phpString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '/' -> out.append("\\/");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7E) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static void writeAll(SocketChannel channel, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  private static int indexOfCrLf(byte[] bytes) {
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static byte[] concat(byte[] head, ByteBuffer filled) {
    filled.flip();
    byte[] all = Arrays.copyOf(head, head.length + filled.remaining());
    filled.get(all, head.length, filled.remaining());
    return all;
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : c == '\r' ? "\\r" : c == '\n' ? "\\n"
          : String.format("\\x%02x", (int) c));
    }
    return out.length() > 400 ? out.substring(0, 400) + "…" : out.toString();
  }
}
