package dev.tollgate.compat.ratchet;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal RFC 6455 client on a plain socket, so that a test controls every byte it sends: masked frames, text in
 * any number of fragments, binary, pings, invalid UTF-8, close frames with or without a status, or raw bytes for the
 * upgrade request itself. It checks what the server sends (unmasked frames, no RSV bits) and hands everything over
 * in order, control frames included.
 *
 * <p>Lifecycle: {@link #open} writes the request and reads the HTTP answer's head; after a 101 one reader thread
 * turns the server's frames into {@link Inbound} events until the TCP connection ends (one {@link Type#END}). A close
 * the server starts is echoed at once, as a client must; nothing else is answered on its own (not even a PING: the
 * test sees it). Sends are serialized, so any thread may send. Not a WebSocket library: no extensions, no limits.
 */
final class RawWebSocket implements AutoCloseable {
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final SecureRandom RANDOM = new SecureRandom();

  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /** What arrived from the server. */
  enum Type { TEXT, BINARY, PING, PONG, CLOSE, END, BROKEN }

  /**
   * One event from the server, in order.
   *
   * @param fragments how many frames a TEXT or BINARY message came in
   * @param closeCode for CLOSE, null when the frame had no status
   * @param problem for BROKEN, what was wrong with a frame (masked, RSV bits, bad length)
   */
  record Inbound(Type type, byte[] payload, int fragments, Integer closeCode, String closeReason, String problem) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    String describe() {
      return switch (type) {
        case TEXT -> "text " + text();
        case BINARY -> "binary of " + payload.length + " bytes";
        case PING, PONG -> type.name().toLowerCase() + " " + text();
        case CLOSE -> "close " + (closeCode == null ? "(no status)" : closeCode)
            + (closeReason == null || closeReason.isEmpty() ? "" : " \"" + closeReason + "\"");
        case END -> "end of the TCP connection";
        case BROKEN -> "a broken frame: " + problem;
      };
    }
  }

  /** The head of an HTTP answer: status line and headers in wire order. */
  record HttpHead(int status, String reason, List<Map.Entry<String, String>> headers, String text) {
    String header(String name) {
      return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }

    static HttpHead parse(String text) {
      String[] lines = text.split("\r\n");
      String[] status = lines[0].split(" ", 3);
      if (status.length < 2 || !status[0].startsWith("HTTP/")) {
        throw new IllegalArgumentException("not an HTTP status line: " + lines[0]);
      }
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.add(Map.entry(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()));
        }
      }
      return new HttpHead(Integer.parseInt(status[1]), status.length > 2 ? status[2] : "", List.copyOf(headers), text);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final HttpHead head;
  private final LinkedBlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>();
  private volatile boolean closeSent;
  private volatile boolean aborted;
  private boolean ended;

  private RawWebSocket(Socket socket, InputStream in, HttpHead head) throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
    this.head = head;
  }

  /**
   * Connects, writes {@code request} as it is, and reads the answer's head (waiting at most {@code timeout}). After a
   * 101 the frames that follow are read; after anything else the body is left unread.
   */
  static RawWebSocket open(String host, int port, byte[] request, Duration timeout) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      socket.setSoTimeout((int) timeout.toMillis());
      InputStream in = new BufferedInputStream(socket.getInputStream());
      HttpHead head = HttpHead.parse(readHead(in));
      socket.setSoTimeout(0);
      RawWebSocket ws = new RawWebSocket(socket, in, head);
      if (head.status() == 101) {
        Thread reader = new Thread(ws::readFrames, "raw-websocket-reader-" + port);
        reader.setDaemon(true);
        reader.start();
      }
      return ws;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * An upgrade request as a browser-less client writes it.
   *
   * @param target the request target, e.g. {@code /ws?ticket=…}
   * @param offer the subprotocols to offer, or null to send no Sec-WebSocket-Protocol header
   */
  static byte[] upgradeRequest(String hostHeader, String target, String key, List<String> offer) {
    StringBuilder r = new StringBuilder()
        .append("GET ").append(target).append(" HTTP/1.1\r\n")
        .append("Host: ").append(hostHeader).append("\r\n")
        .append("Upgrade: websocket\r\n")
        .append("Connection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
        .append("Sec-WebSocket-Version: 13\r\n");
    if (offer != null) {
      r.append("Sec-WebSocket-Protocol: ").append(String.join(", ", offer)).append("\r\n");
    }
    return r.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A fresh random Sec-WebSocket-Key. */
  static String newKey() {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /** The Sec-WebSocket-Accept a server must answer to a key (RFC 6455 section 4.2.2). */
  static String acceptFor(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  HttpHead head() {
    return head;
  }

  /** A text message in {@code fragments} frames (1 = unfragmented); the bytes need not be valid UTF-8. */
  void sendText(byte[] payload, int fragments) throws IOException {
    sendData(TEXT, payload, fragments);
  }

  void sendBinary(byte[] payload, int fragments) throws IOException {
    sendData(BINARY, payload, fragments);
  }

  void sendPing(byte[] payload) throws IOException {
    send(frame(true, PING, payload));
  }

  /** A close frame with a status and reason, or with an empty body when {@code code} is null. */
  void sendClose(Integer code, String reason) throws IOException {
    closeSent = true;
    send(frame(true, CLOSE, closeBody(code, reason)));
  }

  /** The next event, or null when none arrives within {@code timeout}. After END, END again. */
  Inbound next(Duration timeout) {
    synchronized (inbox) {
      if (ended) {
        return new Inbound(Type.END, new byte[0], 0, null, null, null);
      }
    }
    try {
      Inbound next = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (next != null && next.type() == Type.END) {
        synchronized (inbox) {
          ended = true;
        }
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Drops the TCP connection without a close frame. */
  void abort() {
    aborted = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already gone.
    }
  }

  @Override
  public void close() {
    abort();
  }

  /** One client frame: masked with a fresh random key, as RFC 6455 requires of clients. */
  static byte[] frame(boolean fin, int opcode, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write((fin ? 0x80 : 0) | opcode);
    int n = payload.length;
    if (n < 126) {
      f.write(0x80 | n);
    } else if (n <= 0xFFFF) {
      f.write(0x80 | 126);
      f.write(n >>> 8);
      f.write(n);
    } else {
      f.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) n >>> shift));
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    f.writeBytes(mask);
    for (int i = 0; i < n; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    return f.toByteArray();
  }

  /** The frames of a message split into {@code fragments} nearly equal parts: opcode first, continuations after. */
  static List<byte[]> fragments(int opcode, byte[] payload, int fragments) {
    int parts = Math.max(1, fragments);
    List<byte[]> frames = new ArrayList<>(parts);
    int offset = 0;
    for (int i = 0; i < parts; i++) {
      int size = (payload.length - offset) / (parts - i);
      byte[] part = Arrays.copyOfRange(payload, offset, offset + size);
      offset += size;
      frames.add(frame(i == parts - 1, i == 0 ? opcode : CONTINUATION, part));
    }
    return frames;
  }

  static byte[] closeBody(Integer code, String reason) {
    if (code == null) {
      return new byte[0];
    }
    byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[2 + text.length];
    body[0] = (byte) (code >>> 8);
    body[1] = (byte) (int) code;
    System.arraycopy(text, 0, body, 2, text.length);
    return body;
  }

  private void sendData(int opcode, byte[] payload, int fragments) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] f : fragments(opcode, payload, fragments)) {
      all.writeBytes(f);
    }
    send(all.toByteArray());
  }

  private synchronized void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection ended inside the HTTP answer's head: "
            + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private void readFrames() {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    int messageOpcode = -1;
    int fragments = 0;
    try {
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          break;
        }
        int b1 = readByte();
        boolean fin = (b0 & 0x80) != 0;
        int rsv = (b0 >>> 4) & 0x7;
        int opcode = b0 & 0xF;
        boolean masked = (b1 & 0x80) != 0;
        long length = b1 & 0x7F;
        if (length == 126) {
          length = (readByte() << 8) | readByte();
        } else if (length == 127) {
          length = 0;
          for (int i = 0; i < 8; i++) {
            length = (length << 8) | readByte();
          }
        }
        if (length > Integer.MAX_VALUE - 16) {
          inbox.add(broken("a frame of " + length + " bytes"));
          break;
        }
        byte[] mask = masked ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
          break;
        }
        if (masked) {
          // RFC 6455 5.1: a server must not mask; unmask to show what it was anyway.
          for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
          }
          inbox.add(broken("a masked server frame (opcode " + opcode + ")"));
        }
        if (rsv != 0) {
          inbox.add(broken("RSV bits " + rsv + " set without an extension (opcode " + opcode + ")"));
        }
        switch (opcode) {
          case PING -> inbox.add(new Inbound(Type.PING, payload, 1, null, null, null));
          case PONG -> inbox.add(new Inbound(Type.PONG, payload, 1, null, null, null));
          case CLOSE -> onClose(payload);
          case TEXT, BINARY, CONTINUATION -> {
            if ((opcode == CONTINUATION) != (messageOpcode >= 0)) {
              inbox.add(broken(opcode == CONTINUATION ? "a continuation frame with no message started"
                  : "a new message inside a fragmented one"));
            }
            if (opcode != CONTINUATION) {
              messageOpcode = opcode;
              message.reset();
              fragments = 0;
            }
            message.writeBytes(payload);
            fragments++;
            if (fin) {
              inbox.add(new Inbound(messageOpcode == TEXT ? Type.TEXT : Type.BINARY, message.toByteArray(), fragments,
                  null, null, null));
              messageOpcode = -1;
            }
          }
          default -> inbox.add(broken("unknown opcode " + opcode));
        }
      }
    } catch (IOException e) {
      // The connection ended; if this side aborted it, nobody is listening any more.
    }
    inbox.add(new Inbound(Type.END, new byte[0], 0, null, null, aborted ? "aborted by the client" : null));
  }

  private void onClose(byte[] payload) throws IOException {
    Integer code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : null;
    String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    inbox.add(new Inbound(Type.CLOSE, payload, 1, code, reason, null));
    if (!closeSent) {
      // RFC 6455 5.5.1: answer a close the server started, echoing its status.
      sendClose(code, "");
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new IOException("the connection ended inside a frame header");
    }
    return b;
  }

  private static Inbound broken(String problem) {
    return new Inbound(Type.BROKEN, new byte[0], 0, null, null, problem);
  }
}
