package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CORS on POST /sync/ticket over real HTTP: what a page on another admitted origin needs to fetch a ticket. */
class TicketCorsTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  private static final String PAGE_ORIGIN = "http://localhost:5173";
  private static final int FAILURE_LIMIT = 3;

  private Router router;
  private Database db;

  @BeforeEach
  void start() {
    String url = TestRouters.newDatabaseUrl();
    db = Database.open(url);
    db.users().addUser("john", "john@example.com", Passwords.hash("pa55word"), List.of());
    router = TestRouters.start(Map.of("db.url", url, "auth.secret", SECRET,
        "auth.failure-limit", String.valueOf(FAILURE_LIMIT),
        // No waiting room for a throttled address: its next costly check gets 429, which is what these tests show.
        "auth.throttle-queue", "0"));
  }

  @AfterEach
  void stop() {
    router.close();
    db.close();
  }

  @Test
  void aPreflightFromAnAllowedOriginIsAnswered204WithWhatThePostNeeds() throws Exception {
    String answer = preflight(router, PAGE_ORIGIN);

    assertTrue(answer.startsWith("HTTP/1.1 204"), answer);
    Map<String, String> headers = headers(answer);
    assertEquals(PAGE_ORIGIN, headers.get("access-control-allow-origin"));
    assertEquals("POST", headers.get("access-control-allow-methods"));
    assertEquals("Authorization, Content-Type", headers.get("access-control-allow-headers"));
    assertEquals("true", headers.get("access-control-allow-credentials"));
    assertEquals("600", headers.get("access-control-max-age"));
    assertEquals("Origin", headers.get("vary"));
  }

  @Test
  void aPreflightFromAnotherOriginIsRefused403WithoutCorsHeaders() throws Exception {
    String answer = preflight(router, "https://evil.example");

    assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
    assertTrue(answer.contains("Origin 'https://evil.example' is not allowed; add its host to origins.allowed"), answer);
    assertFalse(answer.toLowerCase(Locale.ROOT).contains("access-control-"), answer);
  }

  @Test
  void everyAnswerOfTheTicketEndpointCarriesCorsHeadersForAnAllowedOrigin() throws Exception {
    String ok = post(router, PAGE_ORIGIN, "john:pa55word");
    assertTrue(ok.startsWith("HTTP/1.1 200") && ok.contains("{\"ticket\":\""), ok);
    assertCorsFor(PAGE_ORIGIN, ok);

    String wrong = post(router, PAGE_ORIGIN, "john:wrong");
    assertTrue(wrong.startsWith("HTTP/1.1 401"), wrong);
    assertCorsFor(PAGE_ORIGIN, wrong);

    for (int i = 1; i < FAILURE_LIMIT; i++) {
      post(router, PAGE_ORIGIN, "john:wrong");
    }
    String throttled = post(router, PAGE_ORIGIN, "john:pa55word");
    assertTrue(throttled.startsWith("HTTP/1.1 429"), throttled);
    assertCorsFor(PAGE_ORIGIN, throttled);

    try (Router withoutTickets = TestRouters.start()) {
      String disabled = post(withoutTickets, PAGE_ORIGIN, "john:pa55word");
      assertTrue(disabled.startsWith("HTTP/1.1 503"), disabled);
      assertCorsFor(PAGE_ORIGIN, disabled);
    }
  }

  @Test
  void anotherOriginsPostIsAnsweredWithoutCorsHeadersSoItsPageCannotReadTheTicket() throws Exception {
    String answer = post(router, "https://evil.example", "john:pa55word");

    assertTrue(answer.startsWith("HTTP/1.1 200"), "the POST itself is as before: " + answer);
    assertFalse(answer.toLowerCase(Locale.ROOT).contains("access-control-"), answer);
  }

  @Test
  void requestsWithoutAnOriginGetNoCorsHeaders() throws Exception {
    String answer = RawHttp.exchange(router.port(), "POST /sync/ticket HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
        + basic("john:pa55word") + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertFalse(answer.toLowerCase(Locale.ROOT).contains("access-control-"), answer);
    assertFalse(answer.toLowerCase(Locale.ROOT).contains("vary"), answer);
  }

  private static void assertCorsFor(String origin, String answer) {
    Map<String, String> headers = headers(answer);
    assertEquals(origin, headers.get("access-control-allow-origin"), answer);
    assertEquals("true", headers.get("access-control-allow-credentials"), answer);
    assertEquals("Origin", headers.get("vary"), answer);
  }

  /** What Chromium sends before a cross-origin POST with an Authorization header. */
  private static String preflight(Router router, String origin) throws Exception {
    return RawHttp.exchange(router.port(), "OPTIONS /sync/ticket HTTP/1.1\r\nHost: 127.0.0.1:" + router.port()
        + "\r\nOrigin: " + origin + "\r\nAccess-Control-Request-Method: POST\r\n"
        + "Access-Control-Request-Headers: authorization\r\nConnection: close\r\n\r\n");
  }

  private static String post(Router router, String origin, String credentials) throws Exception {
    return RawHttp.exchange(router.port(), "POST /sync/ticket HTTP/1.1\r\nHost: 127.0.0.1:" + router.port()
        + "\r\nOrigin: " + origin + "\r\nAuthorization: Basic " + basic(credentials)
        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  }

  private static String basic(String credentials) {
    return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  /** The answer's header fields by lower-case name; a repeated field fails the test, since CORS forbids it. */
  private static Map<String, String> headers(String answer) {
    Map<String, String> headers = new TreeMap<>();
    for (String line : answer.substring(0, answer.indexOf("\r\n\r\n")).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String previous = headers.put(name, line.substring(colon + 1).trim());
        assertTrue(previous == null, "header " + name + " sent twice in " + answer);
      }
    }
    return headers;
  }
}
