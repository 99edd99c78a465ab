package dev.tollgate.router.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Coverage-guided fuzzing of what the HTTP side reads from a client before any check: the {@code Authorization: Basic}
 * header of the ticket endpoint (and of the admin API and /metrics), and the {@code Forwarded} / {@code X-Forwarded-For}
 * headers that name the client's address for the throttle and the logs.
 */
class HttpInputFuzzTest {
  private static final ClientAddress BEHIND_LOCAL_PROXY = new ClientAddress(List.of("127.0.0.1", "::1", "10.0.0.0/8"));

  /** Any header: credentials or null, never an exception; well-formed credentials come back as they were sent. */
  @FuzzTest(maxDuration = "30s")
  void basicCredentials(FuzzedDataProvider data) {
    String user = data.consumeString(64).replace(":", "");
    String password = data.consumeString(64);
    String header = data.consumeRemainingAsString();
    String[] parsed = TicketEndpoint.basicCredentials(header);
    if (parsed != null) {
      assertEquals(2, parsed.length);
    }
    String sent = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    if (new String((user + password).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(user + password)) {
      String[] back = TicketEndpoint.basicCredentials(sent);
      assertNotNull(back, sent);
      assertEquals(user, back[0]);
      assertEquals(password, back[1]);
    }
  }

  /**
   * Whatever the forwarding headers say, the address is the TCP peer's or an IP address literal from them: never a
   * name, never garbage a client wrote, so that it can key the throttle and appear in logs.
   */
  @FuzzTest(maxDuration = "30s")
  void forwardedAddress(FuzzedDataProvider data) {
    String peer = data.pickValue(new String[] {"127.0.0.1", "::1", "10.1.2.3", "203.0.113.7"});
    String forwarded = data.consumeBoolean() ? data.consumeString(300) : null;
    String xForwardedFor = data.consumeBoolean() ? data.consumeRemainingAsString() : null;
    String client = BEHIND_LOCAL_PROXY.resolve(peer, forwarded, xForwardedFor);
    assertNotNull(client);
    assertTrue(client.equals(peer) || ClientAddress.literal(client) != null,
        "not an address: '" + client + "' from " + forwarded + " / " + xForwardedFor);
    if (!BEHIND_LOCAL_PROXY.isTrusted(peer)) {
      assertEquals(peer, client, "headers from an untrusted peer are ignored");
    }
  }

  /** The trusted-proxies setting: ranges or a refusal naming the entry. */
  @FuzzTest(maxDuration = "30s")
  void trustedProxies(FuzzedDataProvider data) {
    String entry = data.consumeRemainingAsString();
    try {
      assertEquals(1, ClientAddress.parseRanges(List.of(entry)).size());
    } catch (IllegalArgumentException refused) {
      assertTrue(refused.getMessage().contains(entry), refused.getMessage());
    }
  }
}
