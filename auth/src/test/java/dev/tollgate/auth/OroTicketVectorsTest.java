package dev.tollgate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.auth.internal.InMemoryNonceStore;
import dev.tollgate.auth.internal.Php;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every ticket vector made and judged by Oro's own PHP classes (platform 7.0.4) gets Oro's verdict from Tollgate:
 * accepted with the same identity, or refused for the same reason. Valid tickets are also re-made by Tollgate's
 * generator from the same inputs, byte for byte.
 */
class OroTicketVectorsTest {
  private static final Map<String, TicketVerdict.Reason> ORO_MESSAGES = Map.of(
      "Authentication ticket has invalid format", TicketVerdict.Reason.INVALID_FORMAT,
      "is expired", TicketVerdict.Reason.EXPIRED,
      "is in future", TicketVerdict.Reason.FROM_THE_FUTURE,
      "user was not found", TicketVerdict.Reason.UNKNOWN_USER,
      "invalid digest", TicketVerdict.Reason.INVALID_DIGEST);

  @TestFactory
  Stream<DynamicTest> everyVectorGetsOrosVerdict() throws Exception {
    JsonNode root = new ObjectMapper().readTree(vectorsFile().toFile());
    JsonNode config = root.get("config");
    Duration ttl = Duration.ofSeconds(config.get("ticket_ttl_s").asLong());
    Duration future = Duration.ofSeconds(config.get("future_tolerance_s").asLong());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode v : root.get("vectors")) {
      tests.add(DynamicTest.dynamicTest(v.get("id").asText() + ": " + v.get("description").asText(),
          () -> check(v, ttl, future)));
    }
    assertTrue(tests.size() >= 36, "expected the 36 published vectors, found " + tests.size());
    return tests.stream();
  }

  private static void check(JsonNode v, Duration ttl, Duration future) {
    JsonNode inputs = v.get("inputs");
    JsonNode expected = v.get("expected");
    String secretText = inputs.get("secret").asText();
    if ("error".equals(expected.get("verdict").asText())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TicketSecret.of(secretText));
      assertTrue(e.getMessage().contains(expected.get("message").asText()), e.getMessage());
      return;
    }
    TicketSecret secret = TicketSecret.of(secretText);
    String username = inputs.path("username").asText("");
    boolean known = v.path("user_known_to_verifier").asBoolean(true);
    UserStore store = new UserStore() {
      @Override
      public Optional<User> find(String name) {
        if (known && !username.isEmpty() && name.equals(username)) {
          return Optional.of(new User(7, username, null, inputs.get("user_password").asText(), true, List.of("user")));
        }
        return Optional.empty();
      }

      @Override
      public String providerName() {
        return "vectors";
      }
    };
    String ticket = Php.parseQuery(v.get("request_query").asText()).getOrDefault("ticket", "");
    Instant now = Instant.ofEpochSecond(v.get("verify_at").get("unix").asLong());
    TicketVerdict verdict = new TicketVerifier(secret, store, ttl, future, new InMemoryNonceStore(10)).verify(ticket, now);

    if ("valid".equals(expected.get("verdict").asText())) {
      TicketVerdict.Accepted accepted = assertInstanceOf(TicketVerdict.Accepted.class, verdict, String.valueOf(verdict));
      String identifier = expected.get("user_identifier").asText();
      if ("AnonymousTicketToken".equals(expected.get("token_class").asText())) {
        assertNull(accepted.user());
        assertTrue(identifier.startsWith("anonymous-"));
      } else {
        assertEquals(identifier, accepted.user().username());
      }
      assertEquals(expected.get("ticket_id_attribute").asText(), accepted.ticket().digest());
      // The generator makes the very same bytes from the same inputs.
      String password = inputs.get("user_password").isNull() ? null : inputs.get("user_password").asText();
      TicketGenerator generator = new TicketGenerator(secret, java.time.Clock.systemUTC());
      String made = username.isEmpty()
          ? generator.generate("", secretText, inputs.get("nonce").asText(), inputs.get("created").asText())
          : generator.generate(username, password, inputs.get("nonce").asText(), inputs.get("created").asText());
      assertEquals(v.get("ticket").asText(), made);
    } else {
      TicketVerdict.Refused refused = assertInstanceOf(TicketVerdict.Refused.class, verdict, String.valueOf(verdict));
      String message = expected.get("message").asText();
      TicketVerdict.Reason want = ORO_MESSAGES.entrySet().stream()
          .filter(e -> message.contains(e.getKey())).map(Map.Entry::getValue).findFirst()
          .orElseThrow(() -> new AssertionError("no reason known for Oro's message: " + message));
      assertEquals(want, refused.reason(), refused.detail());
      assertFalse(refused.detail().contains(OroTicket.decode(ticket).map(OroTicket::digest).filter(d -> !d.isEmpty()).orElse("\u0000")),
          "a refusal must not quote the digest: " + refused.detail());
    }
  }

  static Path vectorsFile() {
    String configured = System.getProperty("tollgate.compat.dir");
    Path root = configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "compat");
    Path file = root.resolve("oro-tickets").resolve("vectors.json");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("reference data missing: " + file.toAbsolutePath()
          + " (the tests read ../shared/compat beside the project root)");
    }
    return file;
  }
}
