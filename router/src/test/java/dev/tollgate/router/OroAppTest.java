package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.protocol.Serializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate oro-config DIR} and {@code serve --oro-app=DIR}, run as the command line runs them. */
class OroAppTest {

  private static Path tree(String version) throws Exception {
    return Path.of(OroAppTest.class.getResource("/oro-apps/" + version).toURI());
  }

  /** Runs the CLI and returns [exit code, stdout + stderr]. */
  private static Object[] cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      int code = Main.run(args);
      return new Object[] {code, captured.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void oroConfigWritesTheSettingsAndPrintsWhatItFoundWithSecretsMasked(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tollgate.properties");
    Object[] result = cli("oro-config", tree("5.1").toString(), "--output", file.toString());
    String printed = (String) result[1];
    assertEquals(0, result[0], printed);
    assertFalse(printed.contains("a long local secret") || printed.contains("pa$$"), printed);
    assertTrue(printed.contains("users.jdbc.url = jdbc:postgresql://10.0.0.5:5433/oro_prod"), printed);
    assertTrue(printed.contains("run: tollgate serve --config " + file), printed);
    RouterConfig config = Main.configFrom(file, List.of("--server.port=0"));
    assertEquals("jdbc", config.get("users.source"));
    assertEquals("0", config.get("server.port"), "flags win over the file");

    Object[] again = cli("oro-config", tree("5.1").toString(), "--output", file.toString());
    assertEquals(2, again[0]);
    assertTrue(((String) again[1]).contains("exists; give --force"), (String) again[1]);
    assertEquals(0, cli("oro-config", tree("5.1").toString(), "--output", file.toString(), "--force")[0]);

    Object[] missing = cli("oro-config", tree("no-secret").toString(), "--output", dir.resolve("x").toString());
    assertEquals(2, missing[0]);
    assertTrue(((String) missing[1]).startsWith("tollgate: oro application "), (String) missing[1]);
    assertFalse(Files.exists(dir.resolve("x")));
  }

  /**
   * With Oro's database out of reach Tollgate still starts: anonymous backend tickets work (they need no user), a
   * user's ticket is refused with a reason that says to try again, and /ready says why.
   */
  @Test
  void serveWithTheOroAppStartsThoughOrosDatabaseIsDown() throws Exception {
    RouterConfig config = Main.configFrom(tree("6.1"), null, List.of("--server.host=127.0.0.1", "--server.port=0",
        "--db.url=" + TestRouters.newDatabaseUrl(), "--users.jdbc.url=jdbc:postgresql://127.0.0.1:1/oro_db"));
    assertEquals("ThisTokenIsNotSoSecretChangeIt", config.get("auth.secret"));
    try (Router router = Router.start(config)) {
      TicketGenerator tickets = new TicketGenerator(TicketSecret.of("ThisTokenIsNotSoSecretChangeIt"), Clock.systemUTC());
      try (TestClient backend = TestClient.connect(TestRouters.withTicket(router, tickets.anonymous()), Serializer.JSON)) {
        assertEquals("backend", backend.join("realm1").details().get("authrole"));
      }
      String user = RawHttp.upgrade(router.port(), "/ws?ticket="
          + URLEncoder.encode(tickets.forUser("john", Passwords.hash("x")), StandardCharsets.UTF_8), "wamp.2.json");
      assertTrue(user.startsWith("HTTP/1.1 503") && user.contains("try again"), user);
      String ready = RawHttp.exchange(router.port(), "GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertTrue(ready.startsWith("HTTP/1.1 503") && ready.contains("the user database (jdbc) does not answer"), ready);
    }
  }
}
