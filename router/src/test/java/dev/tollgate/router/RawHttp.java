package dev.tollgate.router;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** One HTTP exchange on a plain socket, for answers a WebSocket client library would hide (status and body). */
public final class RawHttp {
  private RawHttp() {}

  /** Sends {@code request} as it is and returns everything the server sent until it closed or went quiet. */
  public static String exchange(int port, String request) throws Exception {
    return exchangeFrom(null, port, request);
  }

  /**
   * The same from a given local address, e.g. 127.0.0.2: Linux routes all of 127/8 to the loopback interface, so
   * tests can stand for several clients.
   */
  public static String exchangeFrom(String localAddress, int port, String request) throws Exception {
    try (Socket s = new Socket()) {
      if (localAddress != null) {
        s.bind(new java.net.InetSocketAddress(localAddress, 0));
      }
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 3_000);
      s.setSoTimeout(3_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          all.write(buf, 0, n);
          String text = all.toString(StandardCharsets.UTF_8);
          int headerEnd = text.indexOf("\r\n\r\n");
          int length = contentLength(text);
          if (headerEnd > 0 && (length >= 0 && all.size() >= headerEnd + 4 + length || text.startsWith("HTTP/1.1 101"))) {
            break;
          }
        }
      } catch (SocketTimeoutException quiet) {
        // the server answered and kept the connection open
      }
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  /** A WebSocket upgrade request for {@code pathAndQuery} offering {@code subprotocol}. */
  public static String upgrade(int port, String pathAndQuery, String subprotocol) throws Exception {
    return exchange(port, "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n");
  }

  private static int contentLength(String text) {
    for (String line : text.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
      if (line.isEmpty()) {
        break;
      }
    }
    return -1;
  }
}
