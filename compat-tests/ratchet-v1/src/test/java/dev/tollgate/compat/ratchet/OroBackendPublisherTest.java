package dev.tollgate.compat.ratchet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestClient;
import dev.tollgate.router.TestRouters;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Oro's PHP backend publisher, emulated as {@code ../shared/compat/oro-backend-client.md} describes it, publishes
 * through Tollgate to a WAMP v2 subscriber, connect after connect. Ratchet passes this 201 times in 201 with both
 * clients because it writes the 101 and the WELCOME in one TCP segment; a server that writes them apart fails a few
 * percent of connects (26 % with the 5.0 client), silently. So: a thousand in a row, none may fail.
 */
class OroBackendPublisherTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  private static final String TOPIC = "oro/data/update";
  private static final int CONNECTS = 1000;

  private static Router router;
  private static TicketGenerator tickets;

  @BeforeAll
  static void startTollgateWithOroRules() {
    // The document must be there: it is the specification this test emulates.
    assertTrue(Files.isRegularFile(CompatData.file("oro-backend-client.md")));
    // The subscriber stands for a page; it joins without a ticket, which a router with a secret refuses by default.
    router = TestRouters.start(Map.of("auth.secret", SECRET, "rules.preset", "oro", "auth.allow-anonymous", "true"));
    tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());
  }

  @AfterAll
  static void stopTollgate() {
    if (router != null) {
      router.close();
    }
  }

  @Test
  void aThousandOro7PublishesInARowAreAllWelcomedAndDelivered() throws Exception {
    assertEveryPublishArrives(OroBackendPublisher.Reading.ORO_7);
  }

  @Test
  void aThousandOro50PublishesInARowAreAllWelcomedAndDelivered() throws Exception {
    assertEveryPublishArrives(OroBackendPublisher.Reading.ORO_5_0);
  }

  @Test
  void theClientSeesNoWelcomeWhenAnythingFollowsItInTheSameBurst() {
    // The emulation's own check must be able to fail: a WELCOME followed by an EVENT is "not connected" for Oro.
    String head = "Sec-WebSocket-Protocol: wamp\r\n\r\n";
    String welcome = "\u0081\u0020[0,\"1\",1,\"Tollgate/0.1\"]";
    assertEquals("1", assertDoesNotThrowNotConnected(head + welcome));
    assertThrows(OroBackendPublisher.NotConnectedException.class,
        () -> OroBackendPublisher.welcomeSessionId(head + welcome + "\u0081\u0010[8,\"oro/ping\",\"x\"]"));
    assertThrows(OroBackendPublisher.NotConnectedException.class,
        () -> OroBackendPublisher.welcomeSessionId("X-Thing: [1]\r\n\r\n" + welcome));
    assertThrows(OroBackendPublisher.NotConnectedException.class, () -> OroBackendPublisher.welcomeSessionId(head));
  }

  @Test
  void theClientConnectsWhenTheHundredAndOneAndTheWelcomeLeaveInOneWrite() throws Exception {
    for (OroBackendPublisher.Reading reading : OroBackendPublisher.Reading.values()) {
      assertEquals("6285725196b0306b333fa6213092756", publishToFakeServer(reading, 0), reading.name());
    }
  }

  @Test
  void theClientIsNotConnectedWhenTheWelcomeFollows50msAfterTheHundredAndOne() {
    // As measured against Oro's own clients: the emulation must fail where they fail.
    for (OroBackendPublisher.Reading reading : OroBackendPublisher.Reading.values()) {
      assertThrows(OroBackendPublisher.NotConnectedException.class, () -> publishToFakeServer(reading, 50),
          reading.name());
    }
  }

  /** Publishes to a server answering with Ratchet's recorded bytes, the WELCOME {@code delayMs} after the head. */
  private static String publishToFakeServer(OroBackendPublisher.Reading reading, long delayMs) throws Exception {
    byte[] head = ("HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Protocol: wamp\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Accept: x\r\nX-Powered-By: Ratchet/0.4.4\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] welcome = HexFormat.of().parseHex("81385b302c2236323835373235313936623033303662333333666136323133303932373536"
        + "222c312c22526174636865745c2f302e342e34225d");
    try (ServerSocket server = new ServerSocket(0)) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (Socket s = server.accept()) {
          s.setTcpNoDelay(true);
          InputStream in = s.getInputStream();
          for (int matched = 0; matched < 4; ) {
            int b = in.read();
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
          }
          OutputStream out = s.getOutputStream();
          if (delayMs == 0) {
            byte[] both = Arrays.copyOf(head, head.length + welcome.length);
            System.arraycopy(welcome, 0, both, head.length, welcome.length);
            out.write(both);
          } else {
            out.write(head);
            out.flush();
            Thread.sleep(delayMs);
            out.write(welcome);
          }
          in.readAllBytes(); // until the client drops the connection
        } catch (java.io.IOException clientGone) {
          // A client that found no WELCOME has already left.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      try {
        return OroBackendPublisher.publish("127.0.0.1", server.getLocalPort(), "/ws", "dGlja2V0+/=", reading, TOPIC,
            "{}");
      } finally {
        served.get(5, TimeUnit.SECONDS);
      }
    }
  }

  private static String assertDoesNotThrowNotConnected(String answer) {
    try {
      return OroBackendPublisher.welcomeSessionId(answer);
    } catch (OroBackendPublisher.NotConnectedException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static void assertEveryPublishArrives(OroBackendPublisher.Reading reading) throws Exception {
    try (TestClient subscriber = TestClient.connect(router, Serializer.JSON)) {
      subscriber.join("realm1");
      subscriber.send(new Subscribe(1, Map.of(), TOPIC));
      subscriber.expect(Subscribed.class);
      List<String> failures = new ArrayList<>();
      int delivered = 0;
      for (int i = 0; i < CONNECTS; i++) {
        try {
          OroBackendPublisher.publish("127.0.0.1", router.port(), "/ws", tickets.anonymous(), reading,
              TOPIC, "{\"i\":" + i + ",\"text\":" + OroBackendPublisher.phpString("caf\u00e9 / \u2713") + "}");
        } catch (OroBackendPublisher.NotConnectedException e) {
          failures.add("connect " + i + ": " + e.getMessage());
          continue;
        }
        Event event = subscriber.expect(Event.class);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("i", i);
        expected.put("text", "caf\u00e9 / \u2713");
        assertEquals(List.of(expected), normalized(event.payload().args()), "publish " + i + " as the subscriber got it");
        delivered++;
      }
      System.out.printf("Oro %s-style backend publisher: %d of %d connects welcomed, %d publishes delivered%n",
          reading == OroBackendPublisher.Reading.ORO_7 ? "7.x" : "5.0.x", CONNECTS - failures.size(), CONNECTS,
          delivered);
      assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())),
          failures.size() + " of " + CONNECTS + " connects failed as Oro's client sees them; the first ten");
      subscriber.expectNothing(200);
    }
  }

  /** Numbers as ints where they fit, so that a decoded Long equals the Integer the test wrote. */
  private static Object normalized(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(OroBackendPublisherTest::normalized).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, normalized(v)));
      return copy;
    }
    if (value instanceof Long l && l == l.intValue()) {
      return l.intValue();
    }
    return value;
  }
}
