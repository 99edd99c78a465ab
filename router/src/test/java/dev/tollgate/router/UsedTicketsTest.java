package dev.tollgate.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.User;
import dev.tollgate.protocol.Serializer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tickets are one-time across restarts (the used ones live in the database file), and what a long-lived backend
 * publisher can expect: Oro's PHP client reconnects after a failed write with the very ticket it has, however old,
 * so an anonymous ticket whose session ended may come back within auth.backend-reconnect-grace. User tickets never.
 */
class UsedTicketsTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  private final TicketGenerator tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());

  @TempDir
  Path dataDir;

  private Router start(String... settings) {
    Map<String, String> s = new HashMap<>(Map.of("db.url", "", "data.dir", dataDir.toString(), "auth.secret", SECRET));
    for (int i = 0; i < settings.length; i += 2) {
      s.put(settings[i], settings[i + 1]);
    }
    return TestRouters.start(s);
  }

  private User addUser() {
    try (Database db = Database.open(Database.fileUrl(dataDir))) {
      return db.users().addUser("john", "john@example.com", Passwords.hash("pa55word"), List.of());
    }
  }

  private static String upgrade(Router router, String ticket) throws Exception {
    return RawHttp.upgrade(router.port(), "/ws?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8), "wamp.2.json");
  }

  @Test
  void aTicketUsedBeforeARestartIsRefusedAfterIt() throws Exception {
    User john = addUser();
    String ticket = tickets.forUser("john", john.passwordHash());
    try (Router before = start()) {
      assertTrue(upgrade(before, ticket).startsWith("HTTP/1.1 101"));
    }
    try (Router after = start()) {
      String again = upgrade(after, ticket);
      assertTrue(again.startsWith("HTTP/1.1 401") && again.contains("already used"), again);
    }
  }

  @Test
  void aBackendTicketComesBackAfterItsSessionEndedButNeverTwiceAtOnce() throws Exception {
    String ticket = tickets.anonymous();
    try (Router router = start()) {
      try (TestClient first = TestClient.connect(TestRouters.withTicket(router, ticket), Serializer.JSON)) {
        assertEquals("backend", first.join("realm1").details().get("authrole"));
        String meanwhile = upgrade(router, ticket);
        assertTrue(meanwhile.startsWith("HTTP/1.1 401") && meanwhile.contains("already used"),
            "while its session lives the ticket is spent: " + meanwhile);
      }
      // The release is written off the I/O thread: the reconnect succeeds once it is there.
      await().atMost(Duration.ofSeconds(5)).until(() -> upgrade(router, ticket).startsWith("HTTP/1.1 101"));
    }
  }

  @Test
  void aBackendTicketPastItsLifetimeReconnectsAfterARestartWithinTheGraceAUserTicketDoesNot() throws Exception {
    User john = addUser();
    String backend = tickets.anonymous();
    String user = tickets.forUser("john", john.passwordHash());
    try (Router before = start("auth.ticket-ttl", "1s");
        TestClient publisher = TestClient.connect(TestRouters.withTicket(before, backend), Serializer.JSON);
        TestClient page = TestClient.connect(TestRouters.withTicket(before, user), Serializer.JSON)) {
      publisher.join("realm1");
      page.join("realm1");
    }
    Thread.sleep(2_100); // both tickets are now past their 1 s lifetime
    try (Router after = start("auth.ticket-ttl", "1s")) {
      String userAgain = upgrade(after, user);
      assertTrue(userAgain.startsWith("HTTP/1.1 401") && userAgain.contains("expired"), userAgain);
      try (TestClient publisher = TestClient.connect(TestRouters.withTicket(after, backend), Serializer.JSON)) {
        assertEquals("backend", publisher.join("realm1").details().get("authrole"));
      }
    }
  }

  @Test
  void pastTheGraceABackendTicketIsRefused() throws Exception {
    String ticket = tickets.anonymous();
    try (Router router = start("auth.ticket-ttl", "1s", "auth.backend-reconnect-grace", "1s")) {
      try (TestClient first = TestClient.connect(TestRouters.withTicket(router, ticket), Serializer.JSON)) {
        first.join("realm1");
      }
      Thread.sleep(3_100);
      String late = upgrade(router, ticket);
      assertTrue(late.startsWith("HTTP/1.1 401") && late.contains("expired"), late);
    }
  }
}
