package dev.tollgate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an operator is shown of a ticket: the CLI's `ticket verify` and the admin page's debugger read this. */
class TicketInspectionTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final TicketSecret SECRET = TicketSecret.of("ThisTokenIsNotSoSecretChangeIt");
  private static final User JOHN = new User(1, "john", "john@example.com", Passwords.hash("pa55word"), true,
      List.of("user"));
  private static final UserStore USERS = new UserStore() {
    @Override
    public Optional<User> find(String name) {
      return name.equals("john") ? Optional.of(JOHN) : Optional.empty();
    }

    @Override
    public String providerName() {
      return "test";
    }
  };
  private static final TicketVerifier VERIFIER = new TicketVerifier(SECRET, USERS, Duration.ofSeconds(300),
      Duration.ofSeconds(30), null);

  @Test
  void aUrlEncodedTicketIsDecodedFirstAndJudgedWithItsFieldsShown() {
    String ticket = new TicketGenerator(SECRET, Clock.fixed(NOW, ZoneOffset.UTC)).forUser("john", JOHN.passwordHash());
    TicketInspection i = TicketInspection.of(URLEncoder.encode(ticket, StandardCharsets.UTF_8), VERIFIER, null, NOW);
    assertTrue(i.accepted(), i.verdict().toString());
    assertEquals("john", i.decoded().username());
    assertEquals(4, i.fieldCount());
    assertTrue(i.digestShown().matches(".{8}… \\(88 chars\\)"), i.digestShown());
    assertTrue(i.notes().contains("URL-decoded first: the text held %-escapes"), i.notes().toString());
    assertNull(i.used(), "not looked up without a nonce store");
  }

  /** Found by TicketFuzzTest: a '%' starting no escape made the inspection throw. */
  @Test
  void aPercentThatStartsNoEscapeIsNotedAndTheTextJudgedAsPasted() {
    TicketInspection i = TicketInspection.of("abc%", VERIFIER, null, NOW);
    assertEquals(TicketVerdict.Reason.INVALID_FORMAT, ((TicketVerdict.Refused) i.verdict()).reason());
    assertTrue(i.notes().stream().anyMatch(n -> n.startsWith("holds a '%' that starts no URL escape")), i.notes().toString());
    assertNull(i.decoded());
  }
}
