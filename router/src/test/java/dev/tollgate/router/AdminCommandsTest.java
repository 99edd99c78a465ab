package dev.tollgate.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.WampMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin verbs, run as the command line runs them, on a database file a live router is using. */
class AdminCommandsTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";

  /** Runs the CLI and returns [exit code, stdout + stderr]. */
  private static Object[] cli(String... args) {
    Cli.Result r = Cli.run(args);
    return new Object[] {r.code(), r.printed()};
  }

  @Test
  void everyCommandAnswersHelp() {
    for (String[] command : new String[][] {{"ticket", "issue", "-h"}, {"serve", "--help"}, {"user", "add", "-h"},
        {"rule", "add", "--help"}, {"settings", "-h"}, {"oro-config", "-h"}}) {
      Object[] result = cli(command);
      assertEquals(0, result[0], String.join(" ", command) + ": " + result[1]);
      assertTrue(((String) result[1]).startsWith("Usage: tollgate " + command[0]), String.join(" ", command) + ": " + result[1]);
    }
  }

  @Test
  void adminVerbsWorkOnTheDatabaseOfARunningRouter(@TempDir Path dir) throws Exception {
    String data = "--data.dir=" + dir;
    String secret = "--auth.secret=" + SECRET;
    try (Router router = Router.start(TestRouters.config(Map.of("db.url", "", "data.dir", dir.toString(),
        "auth.secret", SECRET, "rules.preset", "oro")))) {
      Object[] added = cli("user", "add", "maria", "--email", "maria@example.com", "--password", "s3cret", data);
      assertEquals(0, added[0], (String) added[1]);
      assertTrue(((String) added[1]).startsWith("added user maria (id "), (String) added[1]);
      assertEquals(0, cli("role", "add", "editor", data)[0]);
      assertEquals(0, cli("role", "grant", "maria", "editor", data)[0]);
      String users = (String) cli("user", "list", data)[1];
      assertTrue(users.contains("maria") && users.contains("editor,user"), users);

      Object[] issued = cli("ticket", "issue", "maria", data, secret);
      assertEquals(0, issued[0], (String) issued[1]);
      String ticket = ((String) issued[1]).strip();
      URI uri = URI.create(router.uri() + "?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8));
      try (TestClient c = TestClient.connect(uri, Serializer.JSON)) {
        assertEquals("maria", c.join("realm1").details().get("authid"));
        c.send(new Subscribe(1, Map.of(), "editor.news"));
        assertEquals(dev.tollgate.protocol.ErrorMessage.class, c.expect(WampMessage.class).getClass());

        Object[] rule = cli("rule", "add", "--role", "editor", "--pattern", "editor.", "--match", "prefix",
            "--actions", "subscribe,publish", data);
        assertEquals(0, rule[0], (String) rule[1]);
        long[] request = {2};
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
          c.send(new Subscribe(request[0]++, Map.of(), "editor.news"));
          return c.expect(WampMessage.class) instanceof Subscribed;
        });
      }
      String rules = (String) cli("rule", "list", data)[1];
      assertTrue(rules.contains("editor.") && rules.contains("subscribe,publish") && rules.contains("oro/ping"), rules);

      Object[] anonymous = cli("ticket", "issue", "--anonymous", data, secret);
      assertEquals(0, anonymous[0]);
      Object[] verify = cli("ticket", "verify", ((String) anonymous[1]).strip(), data, secret);
      assertEquals(0, verify[0], (String) verify[1]);
      assertTrue(((String) verify[1]).contains("username: (empty: anonymous ticket)"), (String) verify[1]);
      assertTrue(((String) verify[1]).contains("verdict:  ACCEPTED"), (String) verify[1]);

      assertEquals(0, cli("user", "remove", "maria", data)[0]);
      assertEquals(1, cli("user", "remove", "maria", data)[0]);
    }
  }

  @Test
  void ticketVerbsFindUsersWhereUsersSourceSays(@TempDir Path dir) throws Exception {
    // An H2 database laid out like Oro's stands in for the application's; oro-admin exists only there.
    String oro = "jdbc:h2:mem:admin-commands-oro;DB_CLOSE_DELAY=-1";
    String storedHash = "$2y$13$thisIsTheHashInOrosOwnTable";
    try (Connection c = DriverManager.getConnection(oro, "sa", ""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE oro_user (id INT PRIMARY KEY, username VARCHAR(255), email VARCHAR(255),"
          + " password VARCHAR(255), enabled BOOLEAN)");
      s.execute("INSERT INTO oro_user VALUES (7, 'oro-admin', 'admin@example.com', '" + storedHash + "', TRUE)");
      String data = "--data.dir=" + dir;
      String secret = "--auth.secret=" + SECRET;
      String[] jdbc = {"--users.source=jdbc", "--users.jdbc.url=" + oro, "--users.jdbc.user=sa"};

      Object[] issued = cli("ticket", "issue", "oro-admin", data, secret, jdbc[0], jdbc[1], jdbc[2]);
      assertEquals(0, issued[0], (String) issued[1]);
      // The ticket is the last line: opening the new data.dir's database logs its migrations first.
      String[] lines = ((String) issued[1]).strip().split("\n");
      String ticket = lines[lines.length - 1].strip();
      Object[] verified = cli("ticket", "verify", ticket, data, secret, jdbc[0], jdbc[1], jdbc[2]);
      assertEquals(0, verified[0], (String) verified[1]);
      assertTrue(((String) verified[1]).contains("verdict:  ACCEPTED"), (String) verified[1]);
      Object[] keyed = cli("ticket", "verify", ticket, data, secret, "--password-hash=" + storedHash);
      assertEquals(0, keyed[0], "the ticket is keyed by the hash in the JDBC database: " + keyed[1]);

      // Tollgate's own database, the default source, has no such user.
      Object[] ownIssue = cli("ticket", "issue", "oro-admin", data, secret);
      assertEquals(1, ownIssue[0], (String) ownIssue[1]);
      assertTrue(((String) ownIssue[1]).contains("no user oro-admin"), (String) ownIssue[1]);
      Object[] ownVerify = cli("ticket", "verify", ticket, data, secret);
      assertTrue(((String) ownVerify[1]).contains("REFUSED UNKNOWN_USER"), (String) ownVerify[1]);
    }
  }

  @Test
  void ticketVerifySaysExactlyWhyATicketIsRefused(@TempDir Path dir) {
    String data = "--data.dir=" + dir;
    // user-02 of Oro's vectors: valid at 2026-01-01T13:00:00Z, made with this secret and hash
    String ticket = "bEtEcUgxN0ZwRnp0TmFmeFlQcXdDM0EweGhZZzRLVmN6Z210eGJNZ0dHRi9Wd0VISnN3MndFdUNlY2tiaVhBK3ZOV1VibTVHMWpTa2g5TGlSVEZkU3c9PTtqb2huLmRvZUBleGFtcGxlLmNvbTsyNjMzOGZiOTIzOTVmYTU5OzIwMjYtMDEtMDFUMTI6NTk6NTkrMDA6MDA=";
    String secret = "--secret=a3f5c0e9b1d2478f9e6c3b2a1d0f9e8c7b6a5d4c";
    String hash = "--password-hash=$2y$04$hInjHlJu7DnYS0TMiau8f.qSnMv8lY/rxSf3ku1NSdTGnD.WH.Z0C";
    Object[] ok = cli("ticket", "verify", ticket, secret, hash, "--at=2026-01-01T13:00:00Z", data);
    assertEquals(0, ok[0], (String) ok[1]);
    assertTrue(((String) ok[1]).contains("username: john.doe@example.com"), (String) ok[1]);
    Object[] late = cli("ticket", "verify", ticket, secret, hash, "--at=2026-01-01T13:10:00Z", data);
    assertEquals(1, late[0]);
    assertTrue(((String) late[1]).contains("verdict:  REFUSED EXPIRED: expired by 301 s (lifetime 300 s)"), (String) late[1]);
    Object[] early = cli("ticket", "verify", ticket, secret, hash, "--at=2026-01-01T12:58:00Z", data);
    assertTrue(((String) early[1]).contains("REFUSED FROM_THE_FUTURE: created 119 s in the future"), (String) early[1]);
    Object[] wrongHash = cli("ticket", "verify", ticket, secret, "--password-hash=other", "--at=2026-01-01T13:00:00Z", data);
    assertTrue(((String) wrongHash[1]).contains("REFUSED INVALID_DIGEST: digest mismatch"), (String) wrongHash[1]);
    Object[] spaces = cli("ticket", "verify", ticket.replace('+', ' ').substring(0, 40), secret, hash, data);
    assertTrue(((String) spaces[1]).contains("REFUSED INVALID_FORMAT"), (String) spaces[1]);
    Object[] braces = cli("ticket", "verify", ticket, "--secret=bad{secret}", hash, data);
    assertEquals(2, braces[0]);
    assertTrue(((String) braces[1]).contains("must not contain { or }"), (String) braces[1]);
  }
}
