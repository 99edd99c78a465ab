package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.User;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A browser's refused URL ticket, over raw sockets: the upgrade is accepted, one text frame says why, and the TCP
 * connection ends without a close frame, so that a page's script sees a lost connection rather than an unreachable
 * server (compat-tests/browser shows what Chromium makes of it). Every other client keeps the HTTP status.
 */
class BrowserTicketRefusalTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  private static final String CHROMIUM = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/156.0.0.0 Safari/537.36";
  private static final String PAGE_ORIGIN = "http://127.0.0.1:5173";
  /** More failures than any test makes, but for the one that wants the address throttled. */
  private static final int FAILURE_LIMIT = 6;

  private final TicketGenerator tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());
  private Router router;
  private Database db;
  private User john;

  /** What the router sent for one upgrade request, until it ended the connection, and how long that took. */
  private record Answer(String head, byte[] afterHead, long millisToEnd) {}

  @BeforeEach
  void start() {
    String url = TestRouters.newDatabaseUrl();
    db = Database.open(url);
    john = db.users().addUser("john", "john@example.com", Passwords.hash("pa55word"), List.of());
    router = TestRouters.start(Map.of("db.url", url, "auth.secret", SECRET, "rules.preset", "oro",
        "auth.failure-limit", String.valueOf(FAILURE_LIMIT),
        // No waiting room for a throttled address: its next costly check gets 429, which is what these tests show.
        "auth.throttle-queue", "0"));
  }

  @AfterEach
  void stop() {
    router.close();
    db.close();
  }

  /** A ticket that has been used once, so that the router refuses it as a replay from now on. */
  private String usedTicket() {
    String ticket = tickets.forUser("john", john.passwordHash());
    try (V1Client page = V1Client.connect(URI.create(router.uri() + "?ticket=" + encode(ticket)))) {
      page.sync();
    }
    return ticket;
  }

  @Test
  void aBrowsersReplayedTicketIsAcceptedThenExplainedInOneTextFrameAndDroppedWithoutACloseFrame() throws Exception {
    Answer answer = upgrade(usedTicket(), PAGE_ORIGIN, CHROMIUM, "wamp");

    assertTrue(answer.head().startsWith("HTTP/1.1 101"), answer.head());
    assertTrue(answer.head().contains("\r\nSec-WebSocket-Protocol: wamp\r\n"),
        "AutobahnJS closes a socket whose protocol is not wamp: " + answer.head());
    assertEquals("{\"error\":\"wamp.error.authentication_failed\","
        + "\"message\":\"ticket refused: already used; tickets are one-time\",\"status\":401}",
        onlyTextFrame(answer.afterHead()));
    // Firefox loses the page's open event when the connection ends right after the 101; the router waits 500 ms.
    assertTrue(answer.millisToEnd() >= 400, "ended after " + answer.millisToEnd() + " ms");
    assertEquals(1, router.metrics().authenticationFailures(), "the replay counts as a failed authentication");
  }

  @Test
  void aBrowserOfferingNoSubprotocolIsTakenAsV1AndRefusedTheSameWay() throws Exception {
    Answer answer = upgrade(usedTicket(), PAGE_ORIGIN, CHROMIUM, null);

    assertTrue(answer.head().startsWith("HTTP/1.1 101"), answer.head());
    assertFalse(answer.head().contains("Sec-WebSocket-Protocol"), answer.head());
    assertTrue(onlyTextFrame(answer.afterHead()).contains("\"status\":401"));
  }

  @Test
  void aThrottledBrowserLearnsItFromTheFrameWithStatus429() throws Exception {
    for (int i = 0; i < FAILURE_LIMIT; i++) {
      assertTrue(upgrade("bm9wZQ==", null, null, "wamp").head().startsWith("HTTP/1.1 401"));
    }
    Answer answer = upgrade(tickets.forUser("john", john.passwordHash()), PAGE_ORIGIN, CHROMIUM, "wamp");

    assertTrue(answer.head().startsWith("HTTP/1.1 101"), answer.head());
    assertEquals("{\"error\":\"wamp.error.authentication_failed\",\"message\":\"too many failed authentications"
        + " from this address; try again later\",\"status\":429}", onlyTextFrame(answer.afterHead()));
  }

  @Test
  void clientsThatAreNotBrowsersOnTheWampV1PathKeepTheHttp401() throws Exception {
    String ticket = usedTicket();
    Map<String, Answer> answers = Map.of(
        "no Origin (a backend)", upgrade(ticket, null, null, "wamp"),
        "Oro's PHP publisher: Origin without a scheme", upgrade(ticket, "127.0.0.1", null, "wamp"),
        "a browser's Origin copied by a client without a browser's User-Agent",
        upgrade(ticket, "http://127.0.0.1", "ws/8.23.0", "wamp"),
        "a browser from an origin that is not allowed", upgrade(ticket, "https://evil.example", CHROMIUM, "wamp"),
        "a browser speaking WAMP v2, which has ABORT for reasons", upgrade(ticket, PAGE_ORIGIN, CHROMIUM, "wamp.2.json"));
    answers.forEach((who, answer) -> {
      assertTrue(answer.head().startsWith("HTTP/1.1 401"), who + ": " + answer.head());
      assertTrue(new String(answer.afterHead(), StandardCharsets.UTF_8)
          .contains("\"message\":\"ticket refused: already used; tickets are one-time\""), who);
    });
  }

  @Test
  void aBrowserWithoutATicketWhereNoneMayJoinIsToldInsideTheWebSocketToo() throws Exception {
    Answer browser = upgrade(null, PAGE_ORIGIN, CHROMIUM, "wamp");
    assertTrue(browser.head().startsWith("HTTP/1.1 101"), browser.head());
    assertEquals("{\"error\":\"wamp.error.authentication_failed\",\"message\":\"a ticket is required: connect with"
        + " ?ticket=…\",\"status\":401}", onlyTextFrame(browser.afterHead()));
    Answer backend = upgrade(null, null, null, "wamp");
    assertTrue(backend.head().startsWith("HTTP/1.1 401"), "a client that reads statuses keeps the 401: " + backend.head());
  }

  /** Sends an upgrade with {@code ticket} and reads everything the router sends until it ends the connection. */
  private Answer upgrade(String ticket, String origin, String userAgent, String subprotocol) throws Exception {
    String request = "GET /ws" + (ticket == null ? "" : "?ticket=" + encode(ticket)) + " HTTP/1.1\r\nHost: 127.0.0.1:"
        + router.port()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n")
        + (origin == null ? "" : "Origin: " + origin + "\r\n")
        + (userAgent == null ? "" : "User-Agent: " + userAgent + "\r\n")
        + "\r\n";
    try (Socket s = new Socket("127.0.0.1", router.port())) {
      s.setSoTimeout(5_000);
      long start = System.nanoTime();
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      int n;
      while ((n = in.read(buf)) > 0) {
        all.write(buf, 0, n);
        if (httpAnswerComplete(all.toByteArray())) {
          break; // an HTTP refusal, which may keep the connection open for the next request
        }
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      byte[] bytes = all.toByteArray();
      int end = headEnd(bytes);
      assertTrue(end > 0, "no complete HTTP head in " + all.toString(StandardCharsets.ISO_8859_1));
      return new Answer(new String(bytes, 0, end, StandardCharsets.ISO_8859_1),
          Arrays.copyOfRange(bytes, end, bytes.length), millis);
    }
  }

  /** The payload of the one unfragmented text frame in {@code frames}; fails on anything else, a close frame too. */
  private static String onlyTextFrame(byte[] frames) {
    assertTrue(frames.length >= 2, "no frame after the 101");
    assertEquals(0x81, frames[0] & 0xff, "expected a final text frame but was opcode " + (frames[0] & 0x0f));
    int length = frames[1] & 0x7f;
    int offset = 2;
    if (length == 126) {
      length = ((frames[2] & 0xff) << 8) | (frames[3] & 0xff);
      offset = 4;
    }
    assertEquals(0, frames[1] & 0x80, "a server's frame is not masked");
    assertEquals(offset + length, frames.length,
        "expected nothing after the text frame (no close frame) but got " + (frames.length - offset - length)
            + " more bytes");
    return new String(frames, offset, length, StandardCharsets.UTF_8);
  }

  /** Whether {@code bytes} hold a whole HTTP answer other than 101, body included. */
  private static boolean httpAnswerComplete(byte[] bytes) {
    int end = headEnd(bytes);
    if (end < 0) {
      return false;
    }
    String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    if (head.startsWith("HTTP/1.1 101")) {
      return false;
    }
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return bytes.length >= end + Integer.parseInt(line.substring(15).trim());
      }
    }
    return false;
  }

  private static int headEnd(byte[] bytes) {
    for (int i = 3; i < bytes.length; i++) {
      if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') {
        return i + 1;
      }
    }
    return -1;
  }

  private static String encode(String ticket) {
    return URLEncoder.encode(ticket, StandardCharsets.UTF_8);
  }
}
