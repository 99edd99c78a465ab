package dev.tollgate.compat.ratchet;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A stand-in server that does exactly what its script says, so that the replayer can be tested on orders of frames a
 * real router only sometimes produces. It accepts WebSocket upgrades offering {@code wamp}, sends a WELCOME, and
 * answers each client text with the texts the script gives for it, in that order (nothing for others); a client
 * close is echoed and the connection ends. One thread per connection; not a WebSocket implementation beyond that.
 */
final class ScriptedServer implements ReplayTarget, AutoCloseable {
  static final String WELCOME = "[0,\"1\",1,\"Ratchet/0.4.4\"]";

  private final ServerSocket socket;
  private final Map<String, List<String>> script;

  ScriptedServer(Map<String, List<String>> script) throws IOException {
    this.script = Map.copyOf(script);
    this.socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread accepting = new Thread(this::accept, "scripted-server");
    accepting.setDaemon(true);
    accepting.start();
  }

  @Override
  public URI endpoint(Setup.Strictness strictness) {
    return URI.create("ws://127.0.0.1:" + socket.getLocalPort() + "/ws");
  }

  @Override
  public List<String> problems() {
    return List.of();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        Thread serving = new Thread(() -> serve(s), "scripted-connection");
        serving.setDaemon(true);
        serving.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      String key = header(readHead(in), "Sec-WebSocket-Key");
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + RawWebSocket.acceptFor(key) + "\r\nSec-WebSocket-Protocol: wamp\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(serverFrame(RawWebSocket.TEXT, WELCOME.getBytes(StandardCharsets.UTF_8)));
      DataInputStream frames = new DataInputStream(in);
      while (true) {
        int opcode = frames.readUnsignedByte() & 0x0F;
        byte[] payload = readMaskedPayload(frames);
        if (opcode == RawWebSocket.CLOSE) {
          out.write(serverFrame(RawWebSocket.CLOSE, payload));
          return;
        }
        for (String answer : script.getOrDefault(new String(payload, StandardCharsets.UTF_8), List.of())) {
          out.write(serverFrame(RawWebSocket.TEXT, answer.getBytes(StandardCharsets.UTF_8)));
        }
      }
    } catch (IOException ended) {
      // the client went away
    }
  }

  /** The unmasked payload of a client frame whose first byte was read: its length, its mask, its bytes. */
  static byte[] readMaskedPayload(DataInputStream in) throws IOException {
    int b1 = in.readUnsignedByte();
    if ((b1 & 0x80) == 0) {
      throw new IOException("a client frame must be masked");
    }
    long length = b1 & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] mask = new byte[4];
    in.readFully(mask);
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    return payload;
  }

  private static byte[] serverFrame(int opcode, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(payload.length);
    } else if (payload.length <= 0xFFFF) {
      frame.write(126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >> shift) & 0xFF);
      }
    }
    frame.writeBytes(payload);
    return frame.toByteArray();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended early");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static String header(String head, String name) {
    return head.lines().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
        .map(l -> l.substring(name.length() + 1).strip()).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + name + " in " + head));
  }
}
