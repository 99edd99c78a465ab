package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.protocol.Serializer;
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




  @Test
  void oroConfigWritesTheSettingsAndPrintsWhatItFoundWithSecretsMasked(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tollgate.properties");
    Cli.Result result = Cli.run("oro-config", tree("5.1").toString(), "--output", file.toString());
    String printed = result.printed();
    assertEquals(0, result.code(), printed);
    assertFalse(printed.contains("a long local secret") || printed.contains("pa$$"), printed);
    assertTrue(printed.contains("users.jdbc.url = jdbc:postgresql://10.0.0.5:5433/oro_prod"), printed);
    assertTrue(printed.contains("run: tollgate serve --config " + file), printed);
    RouterConfig config = Main.configFrom(file, List.of("--server.port=0"));
    assertEquals("jdbc", config.get("users.source"));
    assertEquals("0", config.get("server.port"), "flags win over the file");

    Cli.Result again = Cli.run("oro-config", tree("5.1").toString(), "--output", file.toString());
    assertEquals(2, again.code());
    assertTrue(again.printed().contains("exists; give --force"), again.printed());
    assertEquals(0, Cli.run("oro-config", tree("5.1").toString(), "--output", file.toString(), "--force").code());

    Cli.Result missing = Cli.run("oro-config", tree("no-secret").toString(), "--output", dir.resolve("x").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.printed().startsWith("tollgate: oro application "), missing.printed());
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
