package dev.tollgate.compat.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.Rule;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.User;
import dev.tollgate.client.WampClient;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestRouters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An Oro page in Debian's headless chromium against a Tollgate started here, under the Oro rule preset plus the
 * application's RPC line. The page (src/test/resources/…/browser) is served from another origin than the router's;
 * its script behaves on the wire as AutobahnJS 0.8.2, GosSocket and Oro's sync/wamp.js do. A backend, Tollgate's
 * Java client with an anonymous ticket, serves the procedure and publishes.
 */
class OroPageInChromiumTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  private static final String PROCEDURE = "acme/rpc/echo";
  private static final Duration STEP = Duration.ofSeconds(10);
  /** The first step waits for the browser to start too, which takes seconds on a busy machine. */
  private static final Duration START = Duration.ofSeconds(30);

  private final TicketGenerator tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());
  private String databaseUrl;
  private Database db;
  private User john;
  private Router router;
  private WampClient backend;
  private PageServer page;
  private HeadlessChromium chromium;

  @BeforeEach
  void start() throws Exception {
    databaseUrl = TestRouters.newDatabaseUrl();
    db = Database.open(databaseUrl);
    john = db.users().addUser("john", "john@example.com", Passwords.hash("pa55word"), List.of());
    // The README's line for an application's own RPC: pages (role user) may call it; the preset lets the backend
    // register it.
    db.rules().add(Rule.of("*", "user", "acme/rpc/", MatchPolicy.PREFIX, EnumSet.of(Action.CALL), "acme's RPC"));
    router = startRouter(0);
    // An attempt that meets the router mid-restart is given up after 3 s rather than the default 10 s, the whole of
    // this test's wait for the backend to be back: the page, not the backend, is under test here.
    backend = WampClient.builder().uri(router.uri()).urlTicket(tickets::anonymous)
        .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(300)).connectTimeout(Duration.ofSeconds(3)).build();
    backend.connect().join();
    backend.register(PROCEDURE, call -> call.args().get(0)).join();
    page = new PageServer();
  }

  private Router startRouter(int port) throws Exception {
    // origins.allowed keeps its default, localhost,127.0.0.1, which admits the page's origin.
    return Router.start(TestRouters.config(Map.of("server.port", String.valueOf(port), "db.url", databaseUrl,
        "auth.secret", SECRET, "rules.preset", "oro", "keepalive.interval", "0")));
  }

  @AfterEach
  void stop() {
    try (AutoCloseable c1 = db; AutoCloseable c2 = router; AutoCloseable c3 = backend; AutoCloseable c4 = page;
        AutoCloseable c5 = chromium) {
      // closed in reverse order: the browser first, the database last
    } catch (Exception e) {
      throw new IllegalStateException("cleaning up failed", e);
    }
  }

  @Test
  void anOroPageTellsARefusedTicketFromAStoppedRouterAndReconnectsWithAFreshTicketAfterARestart() throws Exception {
    chromium = HeadlessChromium.open(page.pageUrl("router=127.0.0.1:" + router.port() + "&user=john&password=pa55word"));
    try {
      assertEquals(false, page.await("ticket", START).get("spoiled"), "the first ticket");
      String firstSession = connectsSubscribesCallsAndReceives("first connection");
      aRefusedTicketIsToldApartWithItsReason();
      int port = router.port();
      router.close();
      aStoppedRouterIsDown();
      routerRestartsAndTheWrapperGetsPastARefusedTicket(port, firstSession);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- chromium's log:\n" + chromium.logTail(), e);
    }
  }

  /** After a fresh ticket: WELCOME, PREFIX and SUBSCRIBE by the wrapper, a CALL to the backend, an EVENT. */
  private String connectsSubscribesCallsAndReceives(String when) {
    String session = (String) page.await("connected", STEP).get("session");
    assertTrue(session.matches("[0-9]+"), when + ": a v1 WELCOME carries the session id as a string: " + session);
    page.command("call", Map.of("procedure", PROCEDURE, "argument", "ping " + when));
    // A connection's messages are handled in order: with the CALLRESULT back, the SUBSCRIBE before the CALL is in place.
    assertEquals("ping " + when, page.await("call-result", STEP).get("result"), when);
    backend.publish("oro/data/update", Map.of("entity", "Contact", "when", when)).join();
    assertEquals(Map.of("entity", "Contact", "when", when), page.await("event", STEP).get("event"), when);
    return session;
  }

  /** The page's first ticket again: Tollgate's refusal reaches the page's script, the reason included. */
  private void aRefusedTicketIsToldApartWithItsReason() {
    page.command("diagnose", Map.of("ticket", "first"));
    Map<String, Object> diagnosis = page.await("diagnosis", STEP);
    assertEquals(Map.of("code", 2, "reason", "Connection lost.", "verdict", "refused"), diagnosis.get("gos"),
        "AutobahnJS with Oro's maxRetries 0: the socket opened and was lost before any WELCOME");
    Map<?, ?> websocket = (Map<?, ?>) diagnosis.get("websocket");
    assertEquals(Map.of("error", "wamp.error.authentication_failed",
        "message", "ticket refused: already used; tickets are one-time", "status", 401), websocket.get("refusal"));
    assertEquals(true, websocket.get("opened"));
    assertEquals(1006, websocket.get("closeCode"), "no close frame");
    assertEquals(false, websocket.get("wasClean"), "clean would be AutobahnJS's CONNECTION_CLOSED, which stops Oro");
  }

  /** Nothing listens: never opened, with nothing to read, whichever way the page looks. */
  private void aStoppedRouterIsDown() {
    // Tollgate drops v1 connections at shutdown without a close frame, so the wrapper reconnects.
    assertEquals(Map.of("step", "hangup", "code", 2, "message", "Connection lost."), page.await("hangup", STEP));
    page.command("diagnose", Map.of("ticket", "first"));
    Map<String, Object> diagnosis = page.await("diagnosis", STEP);
    assertEquals(Map.of("code", 3, "reason", "Connection could not be established.", "verdict", "down"),
        diagnosis.get("gos"));
    Map<?, ?> websocket = (Map<?, ?>) diagnosis.get("websocket");
    assertEquals(false, websocket.get("opened"));
    assertNull(websocket.get("refusal"));
    assertEquals("down", websocket.get("verdict"));
  }

  /**
   * The router comes back on the same port. The wrapper, which has kept asking for tickets every 2 s, gets a stale
   * one first (expired, as if the application handed it out late): refused, it fetches a fresh ticket 2 s later and
   * is back, re-subscribed, calling and receiving.
   */
  private void routerRestartsAndTheWrapperGetsPastARefusedTicket(int port, String firstSession) throws Exception {
    String expired = new TicketGenerator(TicketSecret.of(SECRET),
        Clock.fixed(Instant.now().minusSeconds(3_600), ZoneOffset.UTC)).forUser("john", john.passwordHash());
    page.command("spoilNextTicket", Map.of("ticket", expired));
    page.await("spoiling", STEP);
    router = startRouter(port);
    await().atMost(STEP).until(() -> backend.state() == WampClient.State.CONNECTED);

    assertEquals(true, page.await("ticket", STEP).get("spoiled"));
    assertEquals(Map.of("step", "hangup", "code", 2, "message", "Connection lost."), page.await("hangup", STEP),
        "the stale ticket is refused the browser way, so Oro's wrapper does not give up");
    assertEquals(false, page.await("ticket", STEP).get("spoiled"), "a fresh ticket 2 s after the refusal");
    String again = connectsSubscribesCallsAndReceives("after the restart");
    assertNotEquals(firstSession, again);
    assertFalse(page.seen().stream().anyMatch(r -> r.get("step").equals("hangup") && r.get("code").equals(0)),
        "never CONNECTION_CLOSED, after which Oro's wrapper would stop: " + page.seen());
  }
}
