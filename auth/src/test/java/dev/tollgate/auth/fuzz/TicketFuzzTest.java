package dev.tollgate.auth.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.auth.OroTicket;
import dev.tollgate.auth.TicketInspection;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.TicketVerdict;
import dev.tollgate.auth.TicketVerifier;
import dev.tollgate.auth.User;
import dev.tollgate.auth.UserStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing of what reads a ticket: Oro's lenient Base64 and field split, the {@code ticket} query
 * parameter as PHP's parse_str reads it, the verifier's cheap checks, and the operator's inspection (CLI and admin
 * page). Whatever the text, each gives an answer (a verdict, a refusal, empty), never an exception; a refusal names
 * its reason; the inspection's fields are the decoder's.
 */
class TicketFuzzTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  /** One known user, so that the fuzzer can reach the user-dependent checks (its name is a dictionary word away). */
  private static final UserStore USERS = new UserStore() {
    @Override
    public Optional<User> find(String name) {
      return name.equals("john") || name.equals("john@example.com")
          ? Optional.of(new User(1, "john", "john@example.com", "$2y$04$hInjHlJu7DnYS0TMiau8f.qSnMv8lY/rxSf3ku1NSdTGnD.WH.Z0C",
              true, List.of("user")))
          : Optional.empty();
    }

    @Override
    public String providerName() {
      return "fuzz";
    }
  };
  private static final TicketVerifier VERIFIER = new TicketVerifier(TicketSecret.of("ThisTokenIsNotSoSecretChangeIt"),
      USERS, Duration.ofSeconds(300), Duration.ofSeconds(30), null);

  @FuzzTest(maxDuration = "30s")
  void ticket(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Optional<OroTicket> decoded = OroTicket.decode(text);
    int fields = OroTicket.fieldCount(text);
    assertEquals(fields >= 4, decoded.isPresent(), "four fields decode, fewer do not");

    TicketVerifier.Prepared prepared = VERIFIER.prepare(text, NOW);
    assertNotNull(prepared);
    if (prepared.refused() != null) {
      assertNotNull(prepared.refused().reason());
      assertNotNull(prepared.refused().detail());
    } else {
      TicketVerdict verdict = VERIFIER.finish(prepared, NOW);
      assertNotNull(verdict);
    }

    TicketInspection inspection = TicketInspection.of(text, VERIFIER, null, NOW);
    assertNotNull(inspection.verdict());
    assertTrue(inspection.fieldCount() >= 1, "a text always has at least one field");
  }

  /** Any query parses; a ticket URL-encoded as Oro's JavaScript and PHP encode it comes back as it was. */
  @FuzzTest(maxDuration = "30s")
  void queryParameter(FuzzedDataProvider data) {
    String value = data.consumeString(200);
    String query = data.consumeRemainingAsString();
    OroTicket.queryParameter(query);
    if (new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(value)) {
      String url = "a=1&ticket=" + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&b=2";
      assertEquals(Optional.of(value), OroTicket.queryParameter(url), url);
    }
  }
}
