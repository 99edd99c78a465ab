package dev.tollgate.router.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  private final ClientAddress behindNginx = new ClientAddress(List.of("127.0.0.1", "::1", "10.0.0.0/8"));

  @Test
  void theHeadersOfAPeerThatIsNotTrustedAreIgnored() {
    assertEquals("203.0.113.9", behindNginx.resolve("203.0.113.9", "for=10.1.1.1", "198.51.100.7"));
  }

  @Test
  void fromATrustedProxyTheRightmostAddressThatIsNotAProxyIsTheClient() {
    // The client wrote "1.2.3.4" itself; nginx appended what it saw. Only what trusted proxies appended counts.
    assertEquals("198.51.100.7", behindNginx.resolve("127.0.0.1", null, "1.2.3.4, 198.51.100.7"));
    assertEquals("198.51.100.7", behindNginx.resolve("127.0.0.1", null, "1.2.3.4, 198.51.100.7, 10.2.3.4"));
    assertEquals("2001:db8:0:0:0:0:0:1", behindNginx.resolve("::1", null, "[2001:db8::1]:4711"));
    assertEquals("198.51.100.7", behindNginx.resolve("127.0.0.1", null, "198.51.100.7:5555"));
  }

  @Test
  void rfc7239ForwardedIsReadAndWinsOverXForwardedFor() {
    assertEquals("192.0.2.60", behindNginx.resolve("127.0.0.1",
        "for=192.0.2.43, for=\"192.0.2.60\";proto=http;by=203.0.113.43", "1.1.1.1"));
    assertEquals("2001:db8:cafe:0:0:0:0:17", behindNginx.resolve("127.0.0.1", "For=\"[2001:db8:cafe::17]:4711\"", null));
  }

  @Test
  void aProxyWithoutHeadersOrWithAnUnreadableEntryIsItsOwnClient() {
    assertEquals("127.0.0.1", behindNginx.resolve("127.0.0.1", null, null));
    assertEquals("127.0.0.1", behindNginx.resolve("127.0.0.1", "for=unknown", null));
    assertEquals("127.0.0.1", behindNginx.resolve("127.0.0.1", null, "evil.example.com"));
    assertEquals("10.0.0.5", behindNginx.resolve("127.0.0.1", null, "10.0.0.5"), "only proxies: the first one");
  }

  @Test
  void rangesAreCheckedAtStart() {
    assertEquals("'10.0.0.0/33' has a bad prefix length",
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.parseRanges(List.of("10.0.0.0/33"))).getMessage());
    assertEquals("'nginx.local' is not an IP address or CIDR range",
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.parseRanges(List.of("nginx.local"))).getMessage());
  }
}
