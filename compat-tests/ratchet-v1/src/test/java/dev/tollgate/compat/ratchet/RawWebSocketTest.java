package dev.tollgate.compat.ratchet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.compat.ratchet.recording.Recording;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RawWebSocketTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void theAcceptValueIsTheOneRfc6455GivesForItsSampleKey() {
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", RawWebSocket.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
  }

  @Test
  void clientFramesAreMaskedAndCarryTheirLengthInTheShortestForm() throws IOException {
    for (int length : List.of(0, 125, 126, 65535, 65536)) {
      byte[] payload = new byte[length];
      for (int i = 0; i < length; i++) {
        payload[i] = (byte) i;
      }
      byte[] frame = RawWebSocket.frame(true, RawWebSocket.BINARY, payload);
      assertEquals(0x82, frame[0] & 0xFF);
      assertEquals(0x80, frame[1] & 0x80, "mask bit");
      int headerLength = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
      assertEquals(headerLength + 4 + length, frame.length, "frame of " + length);
      assertArrayEquals(payload, readClientFrame(new DataInputStream(new java.io.ByteArrayInputStream(frame))).payload);
    }
  }

  @Test
  void aFragmentedMessageIsItsOpcodeThenContinuationsWithFinOnlyOnTheLast() throws IOException {
    byte[] text = "[2,\"f-1\",\"sample/sum\",10,20,30]".getBytes(StandardCharsets.UTF_8);
    List<byte[]> frames = RawWebSocket.fragments(RawWebSocket.TEXT, text, 3);
    assertEquals(3, frames.size());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    int[] expectedFirstBytes = {0x01, 0x00, 0x80};
    for (int i = 0; i < 3; i++) {
      ClientFrame f = readClientFrame(new DataInputStream(new java.io.ByteArrayInputStream(frames.get(i))));
      assertEquals(expectedFirstBytes[i], f.firstByte, "frame " + i);
      joined.writeBytes(f.payload);
    }
    assertArrayEquals(text, joined.toByteArray());
  }

  @Test
  void itReadsRatchetsRecordedAnswerAndWhateverAServerSendsAfterIt() throws Exception {
    Recording.Frame answer = Recording.loadAll(CompatData.dir("ratchet-v1")).stream()
        .filter(r -> r.name().equals("handshake-raw-bytes")).findFirst().orElseThrow()
        .frames().get(1);
    byte[] recordedBytes = HexFormat.of().parseHex(
        "81385b302c2236323835373235313936623033303662333333666136323133303932373536222c312c22526174636865745c2f302e342e34225d");
    try (ServerSocket server = new ServerSocket(0)) {
      CompletableFuture<String> serverSaw = CompletableFuture.supplyAsync(() -> {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          readHead(in);
          OutputStream out = s.getOutputStream();
          ByteArrayOutputStream first = new ByteArrayOutputStream();
          first.writeBytes(answer.data().getBytes(StandardCharsets.ISO_8859_1));
          first.writeBytes(recordedBytes);
          out.write(first.toByteArray()); // the head and the WELCOME in one write, as Ratchet does
          ClientFrame ping = readClientFrame(new DataInputStream(in));
          out.write(new byte[] {0x01, 0x02, 'a', 'b', (byte) 0x80, 0x01, 'c'}); // text in two fragments
          out.write(new byte[] {(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 'x' ^ 1}); // masked: a server must not
          out.write(new byte[] {(byte) 0x88, 0x02, 0x03, (byte) 0xEF}); // close 1007
          ClientFrame echo = readClientFrame(new DataInputStream(in));
          return Integer.toHexString(ping.firstByte) + " " + new String(ping.payload, StandardCharsets.UTF_8) + " / "
              + Integer.toHexString(echo.firstByte) + " " + HexFormat.of().formatHex(echo.payload);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      try (RawWebSocket ws = RawWebSocket.open("127.0.0.1", server.getLocalPort(),
          RawWebSocket.upgradeRequest("127.0.0.1", "/", "dGhlIHNhbXBsZSBub25jZQ==", List.of("wamp")), WAIT)) {
        assertEquals(101, ws.head().status());
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", ws.head().header("sec-websocket-accept"));
        assertEquals(answer.afterHead().get(0).text(), next(ws).text());
        ws.sendPing("p".getBytes(StandardCharsets.UTF_8));
        RawWebSocket.Inbound fragmented = next(ws);
        assertEquals(RawWebSocket.Type.TEXT, fragmented.type());
        assertEquals("abc", fragmented.text());
        assertEquals(2, fragmented.fragments());
        assertEquals(RawWebSocket.Type.BROKEN, next(ws).type());
        assertEquals(RawWebSocket.Type.TEXT, next(ws).type());
        RawWebSocket.Inbound close = next(ws);
        assertEquals(RawWebSocket.Type.CLOSE, close.type());
        assertEquals(1007, close.closeCode());
        assertEquals("89 p / 88 03ef", serverSaw.get(5, TimeUnit.SECONDS), "the ping, then the close echoed");
        assertEquals(RawWebSocket.Type.END, next(ws).type());
        assertEquals(RawWebSocket.Type.END, next(ws).type(), "the end stays the end");
      }
    }
  }

  @Test
  void aRefusedUpgradeHasItsHeadAndNoFrames() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      CompletableFuture.runAsync(() -> {
        try (Socket s = server.accept()) {
          readHead(s.getInputStream());
          s.getOutputStream().write("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Protocol: wamp\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      try (RawWebSocket ws = RawWebSocket.open("127.0.0.1", server.getLocalPort(),
          RawWebSocket.upgradeRequest("127.0.0.1", "/ws", RawWebSocket.newKey(), null), WAIT)) {
        assertEquals(426, ws.head().status());
        assertEquals("wamp", ws.head().header("Sec-WebSocket-Protocol"));
        assertNull(ws.next(Duration.ofMillis(100)));
      }
    }
  }

  private static RawWebSocket.Inbound next(RawWebSocket ws) {
    RawWebSocket.Inbound in = ws.next(WAIT);
    assertNotNull(in, "nothing arrived");
    return in;
  }

  private record ClientFrame(int firstByte, byte[] payload) {}

  /** Reads one frame as a server does, checking that it is masked. */
  private static ClientFrame readClientFrame(DataInputStream in) throws IOException {
    int b0 = in.readUnsignedByte();
    return new ClientFrame(b0, ScriptedServer.readMaskedPayload(in));
  }

  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended early");
      }
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }
}
