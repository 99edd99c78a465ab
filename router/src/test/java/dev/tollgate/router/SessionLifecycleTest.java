package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import dev.tollgate.protocol.Abort;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.Welcome;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SessionLifecycleTest {
  private static Router router;

  @BeforeAll
  static void start() {
    router = TestRouters.start(Map.of("realms", "realm1,other"));
  }

  @AfterAll
  static void stop() {
    router.close();
  }

  @AfterEach
  void noSessionLeaks() {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertEquals(router.metrics().sessionsOpened(), router.metrics().sessionsClosed(), "sessions leaked"));
  }

  @Test
  void welcomeAnnouncesExactlyTheImplementedRolesAndAnAnonymousIdentity() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      Welcome w = c.join("realm1");
      assertTrue(w.session() >= 1 && w.session() <= Ids.MAX);
      assertEquals("anonymous", w.details().get("authmethod"));
      assertEquals("anonymous", w.details().get("authrole"));
      assertEquals(String.valueOf(w.session()), w.details().get("authid"));
      @SuppressWarnings("unchecked")
      Map<String, Object> roles = (Map<String, Object>) w.details().get("roles");
      assertEquals(java.util.Set.of("broker", "dealer"), roles.keySet());
      assertEquals(Map.of("features", Map.of(
          "publisher_exclusion", true, "publisher_identification", true, "subscriber_blackwhite_listing", true,
          "pattern_based_subscription", true, "session_meta_api", true, "subscription_meta_api", true,
          "event_retention", true)),
          roles.get("broker"));
      assertEquals(Map.of("features", Map.of(
          "caller_identification", true, "shared_registration", true, "pattern_based_registration", true,
          "progressive_call_results", true, "progressive_call_invocations", true, "call_canceling", true,
          "call_timeout", true, "session_meta_api", true, "registration_meta_api", true, "testament_meta_api", true)),
          roles.get("dealer"));
      c.send(new Goodbye(Map.of(), WampErrors.CLOSE_NORMAL));
      c.expect(Goodbye.class);
    }
  }

  @Test
  void jettysDumpShowsTheWritersTheConnectionsAndTheirQueues() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      long session = c.join("realm1").session();
      String dump = router.dump();
      assertTrue(dump.contains("tollgate-writer-0"), dump);
      assertTrue(dump.contains("connections: 1 open"), dump);
      assertTrue(dump.contains("JSON connection from /127.0.0.1:"), dump);
      assertTrue(dump.contains("(session " + session + ", queued 0/"), dump);
      assertTrue(dump.contains("realm realm1 (1 sessions)"), dump);
    }
  }

  @Test
  void unknownRealmIsAbortedAndClosed() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.send(new Hello("nowhere", Map.of("roles", Map.of("subscriber", Map.of()))));
      Abort abort = c.expect(Abort.class);
      assertEquals(WampErrors.NO_SUCH_REALM, abort.reason());
      assertTrue(String.valueOf(abort.details().get("message")).contains("nowhere"));
      assertEquals(1000, c.awaitClose());
    }
  }

  @Test
  void goodbyeIsAnsweredAndTheTransportCanJoinAgain() {
    try (TestClient c = TestClient.connect(router, Serializer.MSGPACK)) {
      long first = c.join("realm1").session();
      c.send(new Goodbye(Map.of(), WampErrors.CLOSE_NORMAL));
      assertEquals(WampErrors.CLOSE_GOODBYE_AND_OUT, c.expect(Goodbye.class).reason());
      long second = c.join("other").session();
      assertNotEquals(first, second);
      c.send(new Goodbye(Map.of(), WampErrors.CLOSE_NORMAL));
      c.expect(Goodbye.class);
    }
  }

  @Test
  void aMessageBeforeHelloIsAProtocolViolation() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.send(new Subscribe(1, Map.of(), "com.example.topic"));
      Abort abort = c.expect(Abort.class);
      assertEquals(WampErrors.PROTOCOL_VIOLATION, abort.reason());
      assertEquals("expected HELLO but was SUBSCRIBE", abort.details().get("message"));
      assertEquals(1000, c.awaitClose());
    }
  }

  @Test
  void aSecondHelloIsAProtocolViolation() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.join("realm1");
      c.send(new Hello("realm1", Map.of("roles", Map.of("caller", Map.of()))));
      assertEquals(WampErrors.PROTOCOL_VIOLATION, c.expect(Abort.class).reason());
      c.awaitClose();
    }
  }

  @Test
  void helloWithoutRolesIsAProtocolViolation() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.send(new Hello("realm1", Map.of()));
      Abort abort = c.expect(Abort.class);
      assertEquals(WampErrors.PROTOCOL_VIOLATION, abort.reason());
      assertTrue(String.valueOf(abort.details().get("message")).contains("roles"));
    }
  }

  @Test
  void malformedJsonIsAbortedWithAReadableReason() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.join("realm1");
      c.sendText("[16, 1, {}, \"com.example\"");
      Abort abort = c.expect(Abort.class);
      assertEquals(WampErrors.PROTOCOL_VIOLATION, abort.reason());
      assertTrue(String.valueOf(abort.details().get("message")).startsWith("malformed JSON message"),
          String.valueOf(abort.details().get("message")));
      assertEquals(1000, c.awaitClose());
    }
  }

  @Test
  void aWrongMessageShapeIsAbortedNamingTheElement() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.join("realm1");
      c.sendText("[32, 1, {}, 42]");
      assertEquals("SUBSCRIBE element 3 (Topic|uri): expected string but was integer 42",
          c.expect(Abort.class).details().get("message"));
    }
  }

  @Test
  void aBinaryFrameOnAJsonSessionIsAProtocolViolation() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.join("realm1");
      c.sendBinary(new byte[] {1, 2, 3});
      Abort abort = c.expect(Abort.class);
      assertEquals("wamp.2.json expects text frames but a binary frame arrived", abort.details().get("message"));
    }
  }

  @Test
  void theFirstSpokenSubprotocolInTheClientsOrderIsChosen() {
    try (TestClient c = TestClient.connectOffering(router, Serializer.CBOR,
        List.of("wamp.2.flatbuffers", "wamp.2.cbor", "wamp.2.json"))) {
      assertEquals("wamp.2.cbor", c.subprotocol());
      c.join("realm1");
      c.send(new Goodbye(Map.of(), WampErrors.CLOSE_NORMAL));
      c.expect(Goodbye.class);
    }
  }

  @Test
  void noAcceptableSubprotocolIsRefusedWithHttp400AndAReadableBody() throws Exception {
    String response = rawHttp("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: wamp.2.ubjson\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 400"), response);
    assertTrue(response.contains("the client offered [wamp.2.ubjson]; Tollgate speaks wamp.2.json, wamp.2.msgpack, wamp.2.cbor"), response);
  }

  @Test
  void plainHttpToTheEndpointIsToldToUpgrade() throws Exception {
    String response = rawHttp("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 426"), response);
    assertTrue(response.contains("This is a WAMP endpoint"), response);
  }

  @Test
  void noHelloWithinTheTimeoutIsAbortedAndClosed() {
    try (Router quick = TestRouters.start(Map.of("session.hello-timeout", "300ms"));
        TestClient c = TestClient.connect(quick, Serializer.JSON)) {
      Abort abort = c.expect(Abort.class);
      assertEquals(WampErrors.PROTOCOL_VIOLATION, abort.reason());
      assertTrue(String.valueOf(abort.details().get("message")).startsWith("no HELLO within"));
      assertEquals(1000, c.awaitClose());
    }
  }

  @Test
  void aPeerThatNeverAnswersTheRoutersCloseIsResetAfterTheCloseGrace() throws Exception {
    try (Router quick = TestRouters.start(Map.of("session.hello-timeout", "200ms"));
        RawWebSocket mute = RawWebSocket.connect(quick.port(), "wamp.2.json", 8 * 1024)) {
      // It sends no HELLO and reads nothing, so it never answers the close that follows the ABORT; without the reset
      // (after session.close-grace, 2 s) the connection would stay until Jetty's idle timeout, 300 s by default.
      await().atMost(Duration.ofSeconds(4)).until(() -> quick.metrics().openConnections() == 0);
      assertTrue(mute.readsToTheEnd(Duration.ofSeconds(2)), "the peer's connection did not end");
    }
  }

  @Test
  void shutdownSaysGoodbyeToEverySessionAndClosesOnTheirAnswer() {
    Router doomed = TestRouters.start(Map.of("server.shutdown-grace", "5s"));
    try (TestClient a = TestClient.connect(doomed, Serializer.JSON);
        TestClient b = TestClient.connect(doomed, Serializer.MSGPACK)) {
      a.join("realm1");
      b.join("realm1");
      Thread closer = new Thread(doomed::close);
      closer.start();
      for (TestClient c : List.of(a, b)) {
        Goodbye goodbye = c.expect(Goodbye.class);
        assertEquals(WampErrors.CLOSE_SYSTEM_SHUTDOWN, goodbye.reason());
        c.send(new Goodbye(Map.of(), WampErrors.CLOSE_GOODBYE_AND_OUT));
        assertEquals(1000, c.awaitClose());
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> !closer.isAlive());
      assertEquals(0, doomed.metrics().openConnections());
      assertEquals(2, doomed.metrics().sessionsClosed());
    }
  }

  private static String rawHttp(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", router.port())) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      StringBuilder sb = new StringBuilder();
      int n;
      while ((n = in.read(buf)) > 0) {
        sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        if (sb.indexOf("\r\n\r\n") > 0 && sb.toString().contains("\n") && (sb.indexOf("speaks") > 0 || sb.indexOf("endpoint") > 0 || sb.indexOf("Not found") > 0)) {
          break;
        }
      }
      return sb.toString();
    }
  }
}
