package dev.tollgate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.internal.InMemoryNonceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The checks themselves do the same work for a user that exists and one that does not: measured as medians of many
 * alternated checks in one run, compared with a generous bound (what this guards against is a whole bcrypt or a whole
 * 5,000-round digest against next to nothing, a ratio of tens). The router's NoUserOracleTest checks the same over
 * HTTP, with the answers' words and status.
 */
class NoUserOracleTest {
  private static final double BOUND = 1.5;
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final TicketSecret SECRET = TicketSecret.of("ThisTokenIsNotSoSecretChangeIt");
  private static final String ALICE_HASH = Passwords.hash("alice's password");
  private static final User ALICE = new User(41, "alice", "alice@example.com", ALICE_HASH, true, List.of("user"));
  private static final User BOB = new User(42, "bob", "bob@example.com", Passwords.hash("bob's"), false, List.of());

  private static final UserStore STORE = new UserStore() {
    @Override
    public Optional<User> find(String name) {
      return name.equals("alice") ? Optional.of(ALICE) : name.equals("bob") ? Optional.of(BOB) : Optional.empty();
    }

    @Override
    public String providerName() {
      return "test";
    }
  };

  @Test
  void aTicketForAMissingUserCostsTheSameDigestAsAWrongOne() {
    TicketVerifier verifier = new TicketVerifier(SECRET, STORE, Duration.ofSeconds(300), Duration.ofSeconds(30),
        new InMemoryNonceStore(10_000));
    TicketGenerator generator = new TicketGenerator(SECRET, Clock.fixed(T0, ZoneOffset.UTC));
    String wrongHash = Passwords.hash("not alice's");
    int rounds = 101;
    List<String> alices = new ArrayList<>();
    List<String> nobodies = new ArrayList<>();
    for (int i = 0; i < rounds + 20; i++) {
      alices.add(generator.forUser("alice", wrongHash));
      nobodies.add(generator.forUser("nobody@example.com", wrongHash));
    }
    int[] next = {0, 0};
    assertMediansClose("ticket digest", rounds,
        () -> refused(verifier.verify(alices.get(next[0]++), T0), TicketVerdict.Reason.INVALID_DIGEST),
        () -> refused(verifier.verify(nobodies.get(next[1]++), T0), TicketVerdict.Reason.UNKNOWN_USER));
  }

  @Test
  void aDisabledUsersGoodTicketIsRefusedAfterTheDigest() {
    TicketVerifier verifier = new TicketVerifier(SECRET, STORE, Duration.ofSeconds(300), Duration.ofSeconds(30),
        new InMemoryNonceStore(100));
    String good = new TicketGenerator(SECRET, Clock.fixed(T0, ZoneOffset.UTC)).forUser("bob", BOB.passwordHash());
    assertEquals(TicketVerdict.Reason.USER_DISABLED,
        assertInstanceOf(TicketVerdict.Refused.class, verifier.verify(good, T0)).reason());
    TicketVerifier.Prepared prepared = verifier.prepare(
        new TicketGenerator(SECRET, Clock.fixed(T0, ZoneOffset.UTC)).forUser("nobody", ALICE_HASH), T0);
    assertEquals(null, prepared.refused(), "an unknown user is not refused before the digest");
    assertEquals(TicketVerdict.Reason.UNKNOWN_USER, prepared.refusedAfterDigest().reason());
  }

  @Test
  void aPasswordCheckCostsTheSameBcryptForAMissingUser() {
    assertTrue(Passwords.check("alice's password", ALICE_HASH));
    assertFalse(Passwords.check("alice's password", null));
    assertFalse(Passwords.check("alice's password", "md5:5f4dcc3b5aa765d61d8327deb882cf99"), "not bcrypt: refused");
    assertMediansClose("bcrypt", 9, () -> !Passwords.check("wrong", ALICE_HASH),
        () -> !Passwords.check("wrong", null));
    assertMediansClose("bcrypt, odd hash", 3, () -> !Passwords.check("wrong", ALICE_HASH),
        () -> !Passwords.check("wrong", "md5:5f4dcc3b5aa765d61d8327deb882cf99"));
  }

  @Test
  void aBcryptHashSaysItsCost() {
    assertEquals(12, Passwords.costOf(ALICE_HASH));
    assertEquals(0, Passwords.costOf("$2y$12$short"));
    assertEquals(0, Passwords.costOf(null));
    assertEquals(0, Passwords.costOf("$2y$xx$" + "a".repeat(53)));
  }

  private static boolean refused(TicketVerdict verdict, TicketVerdict.Reason reason) {
    return verdict instanceof TicketVerdict.Refused r && r.reason() == reason;
  }

  private static void assertMediansClose(String what, int rounds, BooleanSupplier existing, BooleanSupplier missing) {
    List<Long> existingNanos = new ArrayList<>();
    List<Long> missingNanos = new ArrayList<>();
    existing.getAsBoolean(); // warm-up
    missing.getAsBoolean();
    for (int i = 0; i < rounds; i++) {
      existingNanos.add(timed(existing));
      missingNanos.add(timed(missing));
    }
    double ratio = (double) median(existingNanos) / median(missingNanos);
    String figures = String.format("%s: median %.3f ms for an existing user, %.3f ms for a missing one (ratio %.2f)",
        what, median(existingNanos) / 1e6, median(missingNanos) / 1e6, ratio);
    System.out.println(figures);
    assertTrue(ratio < BOUND && ratio > 1 / BOUND, figures);
  }

  private static long timed(BooleanSupplier check) {
    long start = System.nanoTime();
    assertTrue(check.getAsBoolean(), "the check must refuse");
    return System.nanoTime() - start;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
