package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tollgate behind Debian's nginx, as Oro documents its front: every browser reaches Tollgate from nginx's address.
 * Clients are told apart by their own loopback addresses (127.0.0.2, 127.0.0.3, …: Linux routes all of 127/8 to
 * the loopback interface), which nginx passes on in X-Forwarded-For; only nginx (127.0.0.1) is a trusted proxy.
 *
 * <p>What Oro saw with the old throttle: ten bad tickets from ten clients made an eleventh client's good ticket, and
 * the backend publishing directly from 127.0.0.1, get 429. Now: stale tickets are refused for free, forged ones are
 * paced per client, and no good ticket is ever refused.
 */
class BehindNginxTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";

  @TempDir
  Path dir;
  private LocalNginx nginx;
  private int nginxPort;
  private Router router;
  private Database db;
  private User john;
  private final TicketGenerator tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());

  @BeforeEach
  void start() throws Exception {
    String url = TestRouters.newDatabaseUrl();
    db = Database.open(url);
    john = db.users().addUser("john", "john@example.com", Passwords.hash("pa55word"), List.of());
    router = TestRouters.start(Map.of("db.url", url, "auth.secret", SECRET, "rules.preset", "oro",
        "server.trusted-proxies", "127.0.0.1", "auth.failure-limit", "10"));
    nginx = LocalNginx.start(dir, """
          server {
            listen 127.0.0.1:PORT;
            location / {
              proxy_pass http://127.0.0.1:%d;
              proxy_http_version 1.1;
              proxy_set_header Upgrade $http_upgrade;
              proxy_set_header Connection "upgrade";
              proxy_set_header Host $host;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            }
          }
        """.formatted(router.port()));
    nginxPort = nginx.port();
  }

  @AfterEach
  void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
    if (router != null) {
      router.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void staleAndForgedTicketsFromManyClientsNeverCostAGoodTicketItsConnection() throws Exception {
    String used = tickets.forUser("john", john.passwordHash());
    assertTrue(upgradeFrom("127.0.0.20", nginxPort, used).startsWith("HTTP/1.1 101"));
    String expired = new TicketGenerator(TicketSecret.of(SECRET), Clock.fixed(Instant.now().minusSeconds(900),
        java.time.ZoneOffset.UTC)).forUser("john", john.passwordHash());
    // Stale tabs: ten clients, each retrying its used or expired URL ticket three times (GosSocket retries 10).
    for (int client = 2; client <= 11; client++) {
      for (int retry = 0; retry < 3; retry++) {
        String answer = upgradeFrom("127.0.0." + client, nginxPort, client % 2 == 0 ? used : expired);
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
      }
    }
    // An attacker's forged tickets (a valid user, a fresh date, a wrong digest): each costs a digest, so its
    // address is paced once past auth.failure-limit.
    String forged = new TicketGenerator(TicketSecret.of("not-the-secret"), Clock.systemUTC()).forUser("john", john.passwordHash());
    for (int i = 0; i < 12; i++) {
      assertTrue(upgradeFrom("127.0.0.2", nginxPort, forged).startsWith("HTTP/1.1 401"));
    }
    long pacedBefore = router.metrics().authenticationsPaced();
    assertTrue(pacedBefore >= 1, "the attacker's address was paced");

    // An eleventh client through nginx, the attacker's own address (a colleague behind the same NAT), and the
    // backend publishing directly from nginx's own address: all get in.
    assertTrue(upgradeFrom("127.0.0.12", nginxPort, tickets.forUser("john", john.passwordHash())).startsWith("HTTP/1.1 101"));
    assertTrue(upgradeFrom("127.0.0.2", nginxPort, tickets.forUser("john", john.passwordHash())).startsWith("HTTP/1.1 101"));
    assertTrue(upgradeFrom("127.0.0.1", router.port(), tickets.anonymous()).startsWith("HTTP/1.1 101"));
    assertEquals(pacedBefore + 1, router.metrics().authenticationsPaced(), "only the attacker's address waited");
    assertEquals(0, router.metrics().authenticationsThrottled(), "nobody got 429");
    assertEquals(30 + 12, router.metrics().authenticationFailures());
  }

  @Test
  void aClientCannotNameItselfAnotherAddress() throws Exception {
    String forged = new TicketGenerator(TicketSecret.of("not-the-secret"), Clock.systemUTC()).forUser("john", john.passwordHash());
    // Directly, not through nginx, each time claiming to be someone else: the header is not believed.
    for (int i = 0; i < 11; i++) {
      String spoofed = "X-Forwarded-For: 198.51.100." + i + "\r\n";
      assertTrue(upgradeFrom("127.0.0.30", router.port(), forged, spoofed).startsWith("HTTP/1.1 401"));
    }
    assertTrue(router.metrics().authenticationsPaced() >= 1, "the failures were counted against 127.0.0.30 itself");
  }

  /** A WAMP v1 upgrade with a URL ticket, as Oro's page makes it, from a given local address. */
  private static String upgradeFrom(String localAddress, int port, String ticket, String... extraHeaders) throws Exception {
    return RawHttp.exchangeFrom(localAddress, port, "GET /ws?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8)
        + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: wamp\r\n" + String.join("", extraHeaders) + "\r\n");
  }
}
