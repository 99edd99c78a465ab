package dev.tollgate.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.protocol.Serializer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Oro's users read from a real PostgreSQL (an {@code oro_user} table shaped like Oro's), through the pooled JDBC user
 * source, with the database stopped in the middle of the run and started again.
 */
class OroDatabaseTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";

  @Test
  void ticketsForOroUsersVerifyAgainstPostgresqlAndComeBackAfterItWasDown() throws Exception {
    try (LocalPostgres pg = LocalPostgres.start()) {
      String hash = Passwords.hash("pa55word");
      johnInOroUser(pg, hash);
      TicketGenerator tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());
      try (Router router = TestRouters.start(Map.of("auth.secret", SECRET, "rules.preset", "oro",
          "users.source", "jdbc", "users.jdbc.url", pg.jdbcUrl(), "users.jdbc.user", "tollgate"))) {
        try (TestClient john = TestClient.connect(TestRouters.withTicket(router, tickets.forUser("john", hash)),
            Serializer.JSON)) {
          assertEquals("john", john.join("realm1").details().get("authid"));
        }
        String basic = Base64.getEncoder().encodeToString("john@example.com:pa55word".getBytes(StandardCharsets.UTF_8));
        String issued = RawHttp.exchange(router.port(), "POST /sync/ticket HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
            + basic + "\r\nContent-Length: 0\r\n\r\n");
        assertTrue(issued.startsWith("HTTP/1.1 200"), issued);

        pg.down();
        String refused = RawHttp.upgrade(router.port(), "/ws?ticket="
            + URLEncoder.encode(tickets.forUser("john", hash), StandardCharsets.UTF_8), "wamp.2.json");
        assertTrue(refused.startsWith("HTTP/1.1 503") && refused.contains("try again"), refused);
        String ready = RawHttp.exchange(router.port(), "GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(ready.startsWith("HTTP/1.1 503") && ready.contains("the user database (jdbc) does not answer"), ready);
        try (TestClient backend = TestClient.connect(TestRouters.withTicket(router, tickets.anonymous()),
            Serializer.JSON)) {
          assertEquals("backend", backend.join("realm1").details().get("authrole"), "the backend needs no user");
        }

        pg.up();
        await().atMost(Duration.ofSeconds(20)).until(() -> RawHttp.upgrade(router.port(), "/ws?ticket="
            + URLEncoder.encode(tickets.forUser("john", hash), StandardCharsets.UTF_8), "wamp.2.json")
            .startsWith("HTTP/1.1 101"));
        String readyAgain = RawHttp.exchange(router.port(),
            "GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(readyAgain.startsWith("HTTP/1.1 200"), readyAgain);
      }
    }
  }

  /** Oro's database down when Tollgate starts: it starts all the same, refuses user logins saying why, and recovers. */
  @Test
  void aRouterStartedWhileTheUserDatabaseIsDownServesBackendsAndTakesUsersOnceItIsUp() throws Exception {
    try (LocalPostgres pg = LocalPostgres.start()) {
      String hash = Passwords.hash("pa55word");
      johnInOroUser(pg, hash);
      pg.down();
      TicketGenerator tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());
      long started = System.nanoTime();
      try (Router router = TestRouters.start(Map.of("auth.secret", SECRET, "rules.preset", "oro",
          "users.source", "jdbc", "users.jdbc.url", pg.jdbcUrl(), "users.jdbc.user", "tollgate"))) {
        assertTrue(System.nanoTime() - started < java.util.concurrent.TimeUnit.SECONDS.toNanos(10),
            "the start does not wait for the user database");
        String refused = RawHttp.upgrade(router.port(), "/ws?ticket="
            + URLEncoder.encode(tickets.forUser("john", hash), StandardCharsets.UTF_8), "wamp.2.json");
        assertTrue(refused.startsWith("HTTP/1.1 503") && refused.contains("try again"), refused);
        try (TestClient backend = TestClient.connect(TestRouters.withTicket(router, tickets.anonymous()),
            Serializer.JSON)) {
          assertEquals("backend", backend.join("realm1").details().get("authrole"));
        }
        pg.up();
        await().atMost(Duration.ofSeconds(20)).until(() -> RawHttp.upgrade(router.port(), "/ws?ticket="
            + URLEncoder.encode(tickets.forUser("john", hash), StandardCharsets.UTF_8), "wamp.2.json")
            .startsWith("HTTP/1.1 101"));
      }
    }
  }

  /** An {@code oro_user} table shaped like Oro's (the columns Tollgate reads among others it does not), with john. */
  private static void johnInOroUser(LocalPostgres pg, String hash) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "tollgate", ""); Statement s = c.createStatement()) {
      // the columns Oro's oro_user has that Tollgate reads, among others it does not
      s.execute("CREATE TABLE oro_user (id SERIAL PRIMARY KEY, username VARCHAR(255) NOT NULL UNIQUE, "
          + "email VARCHAR(255) NOT NULL UNIQUE, first_name VARCHAR(255), last_name VARCHAR(255), "
          + "enabled BOOLEAN NOT NULL, salt VARCHAR(255), password VARCHAR(255) NOT NULL, "
          + "last_login TIMESTAMP(0) WITHOUT TIME ZONE, createdat TIMESTAMP(0) WITHOUT TIME ZONE NOT NULL)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO oro_user (username, email, first_name, enabled, "
          + "password, createdat) VALUES ('john', 'john@example.com', 'John', TRUE, ?, now())")) {
        ps.setString(1, hash);
        ps.executeUpdate();
      }
    }
  }
}
