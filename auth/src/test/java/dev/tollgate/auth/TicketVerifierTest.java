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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TicketVerifierTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final TicketSecret SECRET = TicketSecret.of("ThisTokenIsNotSoSecretChangeIt");
  private static final User ALICE = new User(41, "alice", "alice@example.com", "$2y$04$storedhashofalice", true, List.of("user"));

  private static final UserStore STORE = new UserStore() {
    @Override
    public Optional<User> find(String name) {
      return name.equals("alice") || name.equals("alice@example.com") ? Optional.of(ALICE) : Optional.empty();
    }

    @Override
    public String providerName() {
      return "test";
    }
  };

  private static TicketVerifier verifier(Duration future) {
    return new TicketVerifier(SECRET, STORE, Duration.ofSeconds(300), future, new InMemoryNonceStore(100));
  }

  private static String ticketAt(Instant created, String user) {
    TicketGenerator g = new TicketGenerator(SECRET, Clock.fixed(created, ZoneOffset.UTC));
    return user == null ? g.anonymous() : g.forUser(user, ALICE.passwordHash());
  }

  @Test
  void aGeneratedTicketIsAcceptedOnceAndReplayedTicketIsRefused() {
    TicketVerifier v = verifier(Duration.ofSeconds(30));
    String ticket = ticketAt(T0, "alice");
    TicketVerdict.Accepted first = assertInstanceOf(TicketVerdict.Accepted.class, v.verify(ticket, T0.plusSeconds(2)));
    assertEquals(ALICE, first.user());
    TicketVerdict.Refused again = assertInstanceOf(TicketVerdict.Refused.class, v.verify(ticket, T0.plusSeconds(3)));
    assertEquals(TicketVerdict.Reason.REPLAYED, again.reason());
  }

  @Test
  void theUserMayBeNamedByEmail() {
    String ticket = ticketAt(T0, "alice@example.com");
    TicketVerdict.Accepted ok = assertInstanceOf(TicketVerdict.Accepted.class, verifier(Duration.ofSeconds(30)).verify(ticket, T0));
    assertEquals(41, ok.user().id());
  }

  @Test
  void anAnonymousTicketNamesNoUser() {
    TicketVerdict.Accepted ok = assertInstanceOf(TicketVerdict.Accepted.class,
        verifier(Duration.ofSeconds(30)).verify(ticketAt(T0, null), T0.plusSeconds(299)));
    assertTrue(ok.isAnonymous());
  }

  @Test
  void limitsAreInclusiveAndTheDetailSaysByHowMuch() {
    TicketVerifier v = verifier(Duration.ofSeconds(30));
    assertInstanceOf(TicketVerdict.Accepted.class, v.verify(ticketAt(T0, null), T0.plusSeconds(300)));
    TicketVerdict.Refused late = assertInstanceOf(TicketVerdict.Refused.class, v.verify(ticketAt(T0, null), T0.plusSeconds(312)));
    assertEquals(TicketVerdict.Reason.EXPIRED, late.reason());
    assertEquals("expired by 12 s (lifetime 300 s)", late.detail());
    TicketVerdict.Refused early = assertInstanceOf(TicketVerdict.Refused.class, v.verify(ticketAt(T0, null), T0.minusSeconds(31)));
    assertEquals(TicketVerdict.Reason.FROM_THE_FUTURE, early.reason());
    assertTrue(early.detail().startsWith("created 31 s in the future"), early.detail());
  }

  @Test
  void oroUpTo503ToleratedNoFutureAtAll() {
    TicketVerifier strict = verifier(Duration.ZERO);
    assertEquals(TicketVerdict.Reason.FROM_THE_FUTURE,
        ((TicketVerdict.Refused) strict.verify(ticketAt(T0, null), T0.minusSeconds(1))).reason());
    assertInstanceOf(TicketVerdict.Accepted.class, strict.verify(ticketAt(T0, null), T0));
  }

  @Test
  void aDisabledUserIsRefusedAfterTheDigestCheck() {
    User disabled = new User(41, "alice", null, ALICE.passwordHash(), false, List.of("user"));
    UserStore store = new UserStore() {
      @Override
      public Optional<User> find(String name) {
        return Optional.of(disabled);
      }

      @Override
      public String providerName() {
        return "test";
      }
    };
    TicketVerifier v = new TicketVerifier(SECRET, store, Duration.ofSeconds(300), Duration.ofSeconds(30), null);
    assertEquals(TicketVerdict.Reason.USER_DISABLED, ((TicketVerdict.Refused) v.verify(ticketAt(T0, "alice"), T0)).reason());
  }

  @Test
  void aSecretOfZeroOrEmptyIsNotBracedAndBracesAreRefused() {
    assertEquals("x", TicketSecret.of("0").salt("x"));
    assertEquals("x", TicketSecret.of("").salt("x"));
    assertEquals("x{s}", TicketSecret.of("s").salt("x"));
    assertFalse(TicketSecret.of("s").toString().contains("s)"));
  }
}
