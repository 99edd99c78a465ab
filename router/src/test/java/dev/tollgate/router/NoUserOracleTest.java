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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A refusal does not tell an outsider whether a user exists: not in its words, not in its status, not in the time it
 * takes. Each timing test measures many refusals for an existing and a missing user in one run, alternately, and
 * compares their medians with a generous bound: the difference it guards against is the whole cost of a bcrypt (about
 * 250 ms against 1) or of a 5,000-round digest (a few ms against well under one), not a few per cent.
 */
class NoUserOracleTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  /** How far apart the two medians may be, either way. */
  private static final double BOUND = 1.5;
  private static final TicketGenerator TICKETS = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());
  private static Router router;
  private static Database db;
  private static User john;
  private static User ann;

  @BeforeAll
  static void start() {
    String url = TestRouters.newDatabaseUrl();
    db = Database.open(url);
    john = db.users().addUser("john", "john@example.com", Passwords.hash("pa55word"), List.of());
    ann = db.users().addUser("ann", "ann@example.com", Passwords.hash("s3cret"), List.of());
    db.users().setEnabled("ann", false);
    // the per-address throttle would turn these many refusals into 429s: it is tested elsewhere
    router = TestRouters.start(Map.of("db.url", url, "auth.secret", SECRET, "rules.preset", "oro",
        "auth.failure-limit", "100000"));
  }

  @AfterAll
  static void stop() {
    router.close();
    db.close();
  }

  private static String askForTicket(String username, String password) throws Exception {
    String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    return withoutDate(RawHttp.exchange(router.port(), "POST /sync/ticket HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
        + basic + "\r\nContent-Length: 0\r\n\r\n"));
  }

  private static String connectWith(String ticket) throws Exception {
    return withoutDate(RawHttp.upgrade(router.port(), "/ws?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8),
        "wamp.2.json"));
  }

  private static String withoutDate(String response) {
    return response.replaceAll("(?m)^Date: .*\r\n", "");
  }

  @Test
  void theTicketEndpointAnswersAMissingUserAWrongPasswordAndADisabledUserAlike() throws Exception {
    String wrongPassword = askForTicket("john", "wrong");
    assertTrue(wrongPassword.startsWith("HTTP/1.1 401"), wrongPassword);
    assertEquals(wrongPassword, askForTicket("nobody@example.com", "wrong"));
    assertEquals(wrongPassword, askForTicket("ann", "s3cret"), "a disabled user, with the right password");
  }

  @Test
  void aUrlTicketForAMissingUserAWrongDigestAndADisabledUserIsRefusedAlike() throws Exception {
    String wrongDigest = connectWith(TICKETS.forUser("john", Passwords.hash("not john's")));
    assertTrue(wrongDigest.startsWith("HTTP/1.1 401"), wrongDigest);
    assertEquals(wrongDigest, connectWith(TICKETS.forUser("nobody@example.com", john.passwordHash())));
    assertEquals(wrongDigest, connectWith(TICKETS.forUser("ann", ann.passwordHash())), "a disabled user's good ticket");
  }

  @Test
  void aRefusedPasswordTakesAsLongForAMissingUserAsForAnExistingOne() throws Exception {
    askForTicket("john", "warm-up");
    askForTicket("nobody@example.com", "warm-up");
    assertMediansClose("POST /sync/ticket", 9, () -> askForTicket("john", "wrong"),
        () -> askForTicket("nobody@example.com", "wrong"));
  }

  @Test
  void aRefusedTicketTakesAsLongForAMissingUserAsForAnExistingOne() throws Exception {
    String wrongHash = Passwords.hash("not john's");
    for (int i = 0; i < 20; i++) {
      connectWith(TICKETS.forUser("john", wrongHash)); // warm-up: the JIT, and the router's pools
    }
    // made before the clock runs: making a ticket costs the same digest as checking it
    int rounds = 61;
    java.util.Iterator<String> johns = tickets("john", wrongHash, rounds);
    java.util.Iterator<String> nobodies = tickets("nobody@example.com", wrongHash, rounds);
    assertMediansClose("URL ticket", rounds, () -> connectWith(johns.next()), () -> connectWith(nobodies.next()));
  }

  private static java.util.Iterator<String> tickets(String username, String hash, int count) {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      made.add(TICKETS.forUser(username, hash));
    }
    return made.iterator();
  }

  /** Alternates the two refusals {@code rounds} times each and compares their median durations. */
  private static void assertMediansClose(String path, int rounds, ThrowingSupplier existing, ThrowingSupplier missing)
      throws Exception {
    List<Long> existingNanos = new ArrayList<>();
    List<Long> missingNanos = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      existingNanos.add(timed(existing));
      missingNanos.add(timed(missing));
    }
    double ratio = (double) median(existingNanos) / median(missingNanos);
    String figures = String.format("%s: median refusal %.2f ms for an existing user, %.2f ms for a missing one"
        + " (ratio %.2f)", path, median(existingNanos) / 1e6, median(missingNanos) / 1e6, ratio);
    System.out.println(figures);
    assertTrue(ratio < BOUND && ratio > 1 / BOUND, figures);
  }

  private interface ThrowingSupplier {
    String get() throws Exception;
  }

  private static long timed(ThrowingSupplier refusal) throws Exception {
    long start = System.nanoTime();
    String answer = refusal.get();
    long took = System.nanoTime() - start;
    assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
    return took;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
