package dev.tollgate.compat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestRouters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real third-party WAMP v2 clients from npm (autobahn-js and wampy), run by Node.js against a Tollgate started
 * here, in every serializer: two sessions each, pub/sub and RPC, application errors and GOODBYE. The scripts and
 * what they check are in {@code js/README.md}. The exact npm packages come from {@code js/package-lock.json}.
 */
class JavaScriptClientsInteropTest {
  private static final Path JS = Path.of("js").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Router router;

  @BeforeAll
  static void installClientsAndStartRouter() throws Exception {
    if (!Files.exists(JS.resolve("node_modules/.package-lock.json"))) {
      // CI's .ci/run installs them first; a developer's `mvn verify` gets them here.
      Result install = run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), 300);
      assertEquals(0, install.exitCode, "npm ci failed in " + JS + ":\n" + install.stderr);
    }
    router = TestRouters.start();
  }

  @AfterAll
  static void stopRouter() {
    if (router != null) {
      router.close();
    }
  }

  @ParameterizedTest(name = "{0} over {1}")
  @CsvSource({
      "autobahn, json", "autobahn, msgpack", "autobahn, cbor",
      "wampy, json", "wampy, msgpack", "wampy, cbor"})
  void aThirdPartyClientCompletesPubSubAndRpcAgainstTollgate(String client, String serializer) throws Exception {
    Result r = run(List.of("node", client + "-interop.mjs", "--url", router.uri().toString(), "--realm", "realm1",
        "--serializer", serializer), 60);
    String[] lines = r.stdout.strip().split("\n");
    String verdict = lines[lines.length - 1];
    assertEquals(0, r.exitCode, "the " + client + " client failed: " + verdict + "\nstderr:\n" + r.stderr);
    JsonNode result = JSON.readTree(verdict);
    assertTrue(result.path("ok").asBoolean(), verdict);
    assertEquals(client, result.path("client").asText());
    assertEquals(serializer, result.path("serializer").asText());
    // autobahn also checks the Advanced Profile features Tollgate announces (pattern-based subscriptions and
    // registrations, progressive call results, call timeout and canceling, the session, subscription and registration
    // meta API, event retention, testaments), so fewer checks would mean a section was skipped
    assertTrue(result.path("checks").asInt() >= (client.equals("autobahn") ? 63 : 20), "too few checks ran: " + verdict);
    // The script's sessions left, and the router forgot them.
    await().atMost(Duration.ofSeconds(10))
        .until(() -> router.metrics().sessionsClosed() == router.metrics().sessionsOpened());
  }

  @org.junit.jupiter.api.Test
  void autobahnJsAuthenticatesWithOroTicketsBothWaysAndIsRefusedWithBadOnes() throws Exception {
    String secret = "ThisTokenIsNotSoSecretChangeIt";
    String db = dev.tollgate.router.TestRouters.newDatabaseUrl();
    try (dev.tollgate.auth.Database database = dev.tollgate.auth.Database.open(db);
        Router secured = TestRouters.start(java.util.Map.of("db.url", db, "auth.secret", secret, "rules.preset", "oro"))) {
      dev.tollgate.auth.User john = database.users()
          .addUser("john", "john@example.com", dev.tollgate.auth.Passwords.hash("pw"), List.of());
      var ticketSecret = dev.tollgate.auth.TicketSecret.of(secret);
      var now = new dev.tollgate.auth.TicketGenerator(ticketSecret, java.time.Clock.systemUTC());
      var past = new dev.tollgate.auth.TicketGenerator(ticketSecret,
          java.time.Clock.fixed(java.time.Instant.now().minusSeconds(3600), java.time.ZoneOffset.UTC));
      var forger = new dev.tollgate.auth.TicketGenerator(dev.tollgate.auth.TicketSecret.of("not-the-secret"), java.time.Clock.systemUTC());
      Result r = run(List.of("node", "autobahn-ticket.mjs", "--url", secured.uri().toString(), "--realm", "realm1",
          "--authid", "john", "--authrole", "user",
          "--url-ticket", now.forUser("john", john.passwordHash()),
          "--method-ticket", now.forUser("john", john.passwordHash()),
          "--expired-ticket", past.forUser("john", john.passwordHash()),
          "--forged-ticket", forger.forUser("john", john.passwordHash())), 60);
      String[] lines = r.stdout.strip().split("\n");
      String verdict = lines[lines.length - 1];
      assertEquals(0, r.exitCode, verdict + "\nstderr:\n" + r.stderr);
      JsonNode result = JSON.readTree(verdict);
      assertTrue(result.path("ok").asBoolean(), verdict);
      assertTrue(result.path("checks").asInt() >= 10, verdict);
      assertTrue(secured.metrics().authenticationFailures() >= 5, "refusals are counted");
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("js-client", ".out");
    Path err = Files.createTempFile("js-client", ".err");
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command))
          .directory(JS.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
