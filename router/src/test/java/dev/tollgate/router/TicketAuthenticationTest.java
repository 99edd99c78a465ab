package dev.tollgate.router;

import static dev.tollgate.router.TestClient.assertError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.Rule;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.User;
import dev.tollgate.protocol.Abort;
import dev.tollgate.protocol.Authenticate;
import dev.tollgate.protocol.Challenge;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.Welcome;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Oro tickets over the wire: in the URL and through the WAMP ticket method; rules from the database, live. */
class TicketAuthenticationTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  private final TicketGenerator tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());
  private Router router;
  private Database db;
  private User john;

  @BeforeEach
  void start() {
    String url = TestRouters.newDatabaseUrl();
    db = Database.open(url);
    john = db.users().addUser("john", "john@example.com", Passwords.hash("pa55word"), List.of());
    router = TestRouters.start(Map.of("db.url", url, "auth.secret", SECRET, "rules.preset", "oro",
        "auth.failure-limit", "3"));
  }

  @AfterEach
  void stop() {
    router.close();
    db.close();
  }

  private URI withTicket(String ticket) {
    return URI.create(router.uri() + "?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8));
  }

  @Test
  void aUrlTicketAuthenticatesTheUserAndWelcomeSaysWho() {
    try (TestClient c = TestClient.connect(withTicket(tickets.forUser("john", john.passwordHash())), Serializer.JSON)) {
      Welcome w = c.join("realm1");
      assertEquals("john", w.details().get("authid"));
      assertEquals("user", w.details().get("authrole"));
      assertEquals("ticket", w.details().get("authmethod"));
      assertEquals("tollgate", w.details().get("authprovider"));
      assertEquals(john.id(), ((Number) ((Map<?, ?>) w.details().get("authextra")).get("user_id")).longValue());
    }
  }

  @Test
  void theWebSocketLayerDoesNotKeepTheTicketForTheLifeOfTheSession() {
    String ticket = tickets.forUser("john", john.passwordHash());
    try (TestClient c = TestClient.connect(withTicket(ticket), Serializer.JSON)) {
      long session = c.join("realm1").session();
      // Jetty's dump shows what the WebSocket layer keeps of the upgrade request: the path, and a query's size.
      String dump = router.dump();
      String line = dump.lines().filter(l -> l.contains("(session " + session + ",")).findFirst().orElseThrow(
          () -> new AssertionError("no line for session " + session + " in\n" + dump));
      assertTrue(line.contains(" to /ws (session "), "the upgrade's query, and its ticket, are kept: " + line);
      assertFalse(dump.contains(URLEncoder.encode(ticket, StandardCharsets.UTF_8)), "the dump shows the ticket");
    }
  }

  @Test
  void aReplayedExpiredOrForgedTicketIsRefusedWithHttp401AndAReason() throws Exception {
    String ticket = tickets.forUser("john", john.passwordHash());
    try (TestClient first = TestClient.connect(withTicket(ticket), Serializer.JSON)) {
      first.join("realm1");
    }
    String replayed = RawHttp.upgrade(router.port(), "/ws?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8), "wamp.2.json");
    assertTrue(replayed.startsWith("HTTP/1.1 401"), replayed);
    assertTrue(replayed.contains("\"message\":\"ticket refused: already used; tickets are one-time\""), replayed);

    String old = new TicketGenerator(TicketSecret.of(SECRET), Clock.fixed(Instant.now().minusSeconds(400), ZoneOffset.UTC))
        .forUser("john", john.passwordHash());
    String expired = RawHttp.upgrade(router.port(), "/ws?ticket=" + URLEncoder.encode(old, StandardCharsets.UTF_8), "wamp.2.json");
    assertTrue(expired.startsWith("HTTP/1.1 401") && expired.contains("expired"), expired);

    String forged = new TicketGenerator(TicketSecret.of("another-secret"), Clock.systemUTC()).forUser("john", john.passwordHash());
    String refused = RawHttp.upgrade(router.port(), "/ws?ticket=" + URLEncoder.encode(forged, StandardCharsets.UTF_8), "wamp.2.json");
    assertTrue(refused.startsWith("HTTP/1.1 401") && refused.contains("ticket refused: invalid"), refused);
    assertFalse(refused.contains(forged), "the ticket is never echoed");
    assertEquals(3, router.metrics().authenticationFailures());
  }

  @Test
  void anAddressThatFailsTooOftenIsPacedButAGoodTicketFromItStillPasses() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertTrue(RawHttp.upgrade(router.port(), "/ws?ticket=bm9wZQ==", "wamp.2.json").startsWith("HTTP/1.1 401"));
    }
    String good = RawHttp.upgrade(router.port(), "/ws?ticket=" + URLEncoder.encode(
        tickets.forUser("john", john.passwordHash()), StandardCharsets.UTF_8), "wamp.2.json");
    assertTrue(good.startsWith("HTTP/1.1 101"), good);
    assertEquals(1, router.metrics().authenticationsPaced(), "the good ticket's digest waited in the address's lane");
    assertEquals(0, router.metrics().authenticationsThrottled());
    // A forged ticket's digest is paced too: it is refused for what it is, not for where it comes from.
    String forged = new TicketGenerator(TicketSecret.of("another-secret"), Clock.systemUTC()).forUser("john", john.passwordHash());
    String refused = RawHttp.upgrade(router.port(), "/ws?ticket=" + URLEncoder.encode(forged, StandardCharsets.UTF_8), "wamp.2.json");
    assertTrue(refused.startsWith("HTTP/1.1 401") && refused.contains("ticket refused: invalid"), refused);
    assertEquals(2, router.metrics().authenticationsPaced());
  }

  @Test
  void aThrottledAddressWithTooManyChecksWaitingGets429() throws Exception {
    try (Router strict = TestRouters.start(Map.of("db.url", TestRouters.newDatabaseUrl(), "auth.secret", SECRET,
        "auth.failure-limit", "1", "auth.throttle-interval", "10s", "auth.throttle-queue", "1"))) {
      assertTrue(RawHttp.upgrade(strict.port(), "/ws?ticket=bm9wZQ==", "wamp.2.json").startsWith("HTTP/1.1 401"));
      String forged = new TicketGenerator(TicketSecret.of("another-secret"), Clock.systemUTC()).anonymous();
      String query = "/ws?ticket=" + URLEncoder.encode(forged, StandardCharsets.UTF_8);
      // The first costly check runs at once and starts the 10 s interval; the second waits; the third finds the
      // lane full.
      assertTrue(RawHttp.upgrade(strict.port(), query, "wamp.2.json").startsWith("HTTP/1.1 401"));
      var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return RawHttp.upgrade(strict.port(), query, "wamp.2.json");
        } catch (Exception e) {
          return e.toString();
        }
      });
      await().atMost(Duration.ofSeconds(5)).until(() -> strict.metrics().authenticationsPaced() == 2);
      String full = RawHttp.upgrade(strict.port(), query, "wamp.2.json");
      assertTrue(full.startsWith("HTTP/1.1 429"), full);
      assertEquals(1, strict.metrics().authenticationsThrottled());
      waiting.cancel(true);
    }
  }

  @Test
  void withASecretAConnectionWithoutATicketIsRefusedByDefault() throws Exception {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.send(new Hello("realm1", Map.of("roles", TestClient.ROLES)));
      assertEquals(WampErrors.NO_AUTH_METHOD, c.expect(Abort.class).reason());
    }
    String v1 = RawHttp.upgrade(router.port(), "/ws", "wamp");
    assertTrue(v1.startsWith("HTTP/1.1 401"), v1);
    try (Router trial = TestRouters.start(Map.of("db.url", TestRouters.newDatabaseUrl()));
        TestClient c = TestClient.connect(trial, Serializer.JSON)) {
      assertEquals("anonymous", c.join("realm1").details().get("authrole"), "without a secret, trying out stays easy");
    }
  }

  @Test
  void theTicketMethodChallengesAndAcceptsAnOroTicketAsSignature() {
    try (TestClient c = TestClient.connect(router, Serializer.MSGPACK)) {
      c.send(new Hello("realm1", Map.of("roles", TestClient.ROLES, "authmethods", List.of("ticket"), "authid", "john")));
      assertEquals("ticket", c.expect(Challenge.class).authMethod());
      c.send(new Authenticate(tickets.forUser("john@example.com", john.passwordHash()), Map.of()));
      Welcome w = c.expect(Welcome.class);
      assertEquals("john", w.details().get("authid"));
      assertEquals("ticket", w.details().get("authmethod"));
    }
  }

  @Test
  void aBadSignatureIsAbortedAsAuthenticationFailed() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.send(new Hello("realm1", Map.of("roles", TestClient.ROLES, "authmethods", List.of("ticket"))));
      c.expect(Challenge.class);
      c.send(new Authenticate(Base64.getEncoder().encodeToString("x;john;n;2020-01-01T00:00:00+00:00".getBytes()), Map.of()));
      Abort abort = c.expect(Abort.class);
      assertEquals(WampErrors.AUTHENTICATION_FAILED, abort.reason());
      assertEquals("ticket refused: expired; get a fresh ticket", abort.details().get("message"));
      c.awaitClose();
    }
  }

  @Test
  void anAnonymousTicketIsABackendThatPublishesButNeverSubscribes() {
    try (TestClient backend = TestClient.connect(withTicket(tickets.anonymous()), Serializer.JSON);
        TestClient page = TestClient.connect(withTicket(tickets.forUser("john", john.passwordHash())), Serializer.JSON)) {
      Welcome w = backend.join("realm1");
      assertEquals("backend", w.details().get("authrole"));
      assertEquals("anonymous-" + w.session(), w.details().get("authid"));
      long userId = ((Number) ((Map<?, ?>) page.join("realm1").details().get("authextra")).get("user_id")).longValue();
      String own = "oro/reminder_remind/" + userId;
      page.send(new Subscribe(1, Map.of(), own));
      page.expect(Subscribed.class);
      page.send(new Subscribe(2, Map.of(), "oro/reminder_remind/" + (userId + 1)));
      assertError(page.expect(ErrorMessage.class), MessageCodes.SUBSCRIBE, 2, WampErrors.NOT_AUTHORIZED);

      backend.send(new Subscribe(1, Map.of(), "oro/ping"));
      ErrorMessage denied = backend.expect(ErrorMessage.class);
      assertError(denied, MessageCodes.SUBSCRIBE, 1, WampErrors.NOT_AUTHORIZED);
      assertEquals(List.of("role 'backend' may not subscribe 'oro/ping'"), denied.payload().args());
      backend.send(new Publish(2, Map.of("acknowledge", true), own, Payload.of(List.of("wake up"))));
      backend.expect(Published.class);
      assertEquals(List.of("wake up"), page.expect(Event.class).payload().args());
    }
  }

  @Test
  void aDeniedPublishDeliversNothing() {
    try (Router open = anonymousAllowed();
        TestClient sub = TestClient.connect(open, Serializer.JSON);
        TestClient pub = TestClient.connect(open, Serializer.JSON)) {
      sub.join("realm1");
      pub.join("realm1");
      sub.send(new Subscribe(1, Map.of(), "oro/data/update"));
      sub.expect(Subscribed.class);
      pub.send(new Publish(1, Map.of("acknowledge", true), "oro/data/update", Payload.of(List.of("forged"))));
      assertError(pub.expect(ErrorMessage.class), MessageCodes.PUBLISH, 1, WampErrors.NOT_AUTHORIZED);
      sub.expectNothing(300);
    }
  }

  /** A second router on the same database that lets sessions without a ticket in. */
  private Router anonymousAllowed() {
    return TestRouters.start(Map.of("db.url", router.config().get("db.url"), "auth.secret", SECRET,
        "auth.allow-anonymous", "true"));
  }

  @Test
  void ruleChangesApplyToLiveSessionsWithinASecond() {
    try (Router open = anonymousAllowed();
        TestClient c = TestClient.connect(open, Serializer.JSON)) {
      c.join("realm1");
      c.send(new Subscribe(1, Map.of(), "com.example.news"));
      assertError(c.expect(ErrorMessage.class), MessageCodes.SUBSCRIBE, 1, WampErrors.NOT_AUTHORIZED);
      db.rules().add(Rule.of("realm1", "anonymous", "com.example.", MatchPolicy.PREFIX, EnumSet.of(Action.SUBSCRIBE), "test"));
      long[] request = {2};
      await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
        c.send(new Subscribe(request[0]++, Map.of(), "com.example.news"));
        return c.expect(dev.tollgate.protocol.WampMessage.class) instanceof Subscribed;
      });
    }
  }

  @Test
  void aRemovedUsersLiveSessionIsEnded() {
    try (TestClient c = TestClient.connect(withTicket(tickets.forUser("john", john.passwordHash())), Serializer.JSON)) {
      c.join("realm1");
      db.users().removeUser("john");
      Goodbye goodbye = c.expect(Goodbye.class);
      assertEquals(WampErrors.CLOSE_KILLED, goodbye.reason());
      assertEquals(1000, c.awaitClose());
    }
  }

  @Test
  void aRemovedUsersV1PageIsDroppedWithoutACloseHandshakeSoThatItReconnects() {
    try (V1Client page = V1Client.connect(withTicket(tickets.forUser("john", john.passwordHash())))) {
      page.sync();
      db.users().removeUser("john");
      // v1 has no GOODBYE: the session ends as at shutdown, and AutobahnJS 0.8 reconnects only after an unclean close
      assertEquals(1006, page.awaitClose());
    }
  }

  @Test
  void withoutAnonymousAccessASessionWithoutTicketIsAborted() {
    try (Router closed = TestRouters.start(Map.of("auth.secret", SECRET, "auth.allow-anonymous", "false"));
        TestClient c = TestClient.connect(closed, Serializer.JSON)) {
      c.send(new Hello("realm1", Map.of("roles", TestClient.ROLES)));
      Abort abort = c.expect(Abort.class);
      assertEquals(WampErrors.NO_AUTH_METHOD, abort.reason());
      assertEquals("no acceptable authentication method in []; this router offers: ticket", abort.details().get("message"));
    }
  }

  @Test
  void theTicketEndpointTradesBasicCredentialsForATicket() throws Exception {
    String basic = Base64.getEncoder().encodeToString("john:pa55word".getBytes(StandardCharsets.UTF_8));
    String ok = RawHttp.exchange(router.port(), "POST /sync/ticket HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + basic
        + "\r\nContent-Length: 0\r\n\r\n");
    assertTrue(ok.startsWith("HTTP/1.1 200"), ok);
    String ticket = ok.substring(ok.indexOf("{\"ticket\":\"") + 11, ok.lastIndexOf('"'));
    try (TestClient c = TestClient.connect(withTicket(ticket), Serializer.JSON)) {
      assertEquals("john", c.join("realm1").details().get("authid"));
    }
    String bad = Base64.getEncoder().encodeToString("john:wrong".getBytes(StandardCharsets.UTF_8));
    String refused = RawHttp.exchange(router.port(), "POST /sync/ticket HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + bad
        + "\r\nContent-Length: 0\r\n\r\n");
    assertTrue(refused.startsWith("HTTP/1.1 401") && refused.contains("wrong username or password")
        && refused.contains("WWW-Authenticate: Basic"), refused);
    String get = RawHttp.exchange(router.port(), "GET /sync/ticket HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(get.startsWith("HTTP/1.1 405") && get.contains("Allow: POST"), get);
  }
}
