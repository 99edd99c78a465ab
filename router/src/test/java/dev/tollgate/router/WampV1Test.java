package dev.tollgate.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Database;
import dev.tollgate.auth.Rule;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.Yield;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WAMP v1 peers beside WAMP v2 ones, on one broker and one dealer. */
class WampV1Test {
  private static Router router;

  @BeforeAll
  static void start() {
    String url = TestRouters.newDatabaseUrl();
    try (Database db = Database.open(url)) {
      db.rules().add(Rule.of("*", "*", "secured/", MatchPolicy.PREFIX, EnumSet.noneOf(Action.class), "test"));
    }
    router = TestRouters.start(Map.of("db.url", url, "keepalive.interval", "300ms"));
  }

  @AfterAll
  static void stop() {
    router.close();
  }

  private static void subscribeV2(TestClient c, String topic) {
    c.send(new Subscribe(1, Map.of(), topic));
    c.expect(Subscribed.class);
  }

  @Test
  void aV1PublicationReachesV1AndV2SubscribersAndAV2OneReachesV1() {
    try (V1Client page = V1Client.connect(router); TestClient backend = TestClient.connect(router, Serializer.JSON)) {
      backend.join("realm1");
      page.send(5, "oro/data/update");
      page.sync();
      subscribeV2(backend, "oro/data/update");
      page.send(7, "oro/data/update", Map.of("entity", "Order", "id", 7));
      Event e = backend.expect(Event.class);
      assertEquals(List.of(Map.of("entity", "Order", "id", 7)), e.payload().args());
      assertEquals(Arrays.asList(8, "oro/data/update", Map.of("entity", "Order", "id", 7)), page.expect(),
          "a v1 publisher receives its own event unless it excludes itself, as in Ratchet");

      backend.send(new Publish(2, Map.of(), "oro/data/update", Payload.of(List.of("one"))));
      assertEquals(List.of(8, "oro/data/update", "one"), page.expect());
      backend.send(new Publish(3, Map.of(), "oro/data/update", Payload.of(List.of(1, 2), Map.of("k", "v"))));
      assertEquals(List.of(8, "oro/data/update", Map.of("args", List.of(1, 2), "kwargs", Map.of("k", "v"))), page.expect());
      backend.send(new Publish(4, Map.of(), "oro/data/update", Payload.of(List.of(), Map.of("k", "v"))));
      assertEquals(List.of(8, "oro/data/update", Map.of("k", "v")), page.expect());
    }
  }

  @Test
  void excludeAndEligibleNameTheSameSessionIdsInBothDialects() {
    try (V1Client a = V1Client.connect(router); V1Client b = V1Client.connect(router);
        TestClient v2 = TestClient.connect(router, Serializer.JSON)) {
      long v2Id = v2.join("realm1").session();
      a.send(5, "sample/topic");
      b.send(5, "sample/topic");
      a.sync();
      b.sync();
      subscribeV2(v2, "sample/topic");
      a.send(7, "sample/topic", "only v2", List.of(), List.of(String.valueOf(v2Id)));
      assertEquals(List.of("only v2"), v2.expect(Event.class).payload().args());
      a.send(7, "sample/topic", "not b", List.of(b.sessionId()));
      assertEquals(List.of(8, "sample/topic", "not b"), a.expect());
      assertEquals(List.of("not b"), v2.expect(Event.class).payload().args());
      v2.send(new Publish(9, Map.of("eligible", List.of(Long.parseLong(b.sessionId()))), "sample/topic", Payload.of(List.of("b only"))));
      assertEquals(List.of(8, "sample/topic", "b only"), b.expect());
      a.send(7, "sample/topic", "excludeMe", true);
      assertEquals(List.of(8, "sample/topic", "excludeMe"), b.expect());
      a.expectNothing(200);
      b.expectNothing(0);
    }
  }

  @Test
  void aV1CallReachesAV2CalleeAndItsAnswersComeBackInV1Shapes() throws Exception {
    try (V1Client page = V1Client.connect(router); TestClient callee = TestClient.connect(router, Serializer.MSGPACK)) {
      callee.join("realm1");
      callee.send(new Register(1, Map.of(), "sample/sum"));
      callee.expect(Registered.class);
      page.send(2, "c-1", "sample/sum", 1, 2, 3);
      Invocation inv = callee.expect(Invocation.class);
      assertEquals(List.of(1L, 2L, 3L), inv.payload().args().stream().map(o -> ((Number) o).longValue()).toList());
      callee.send(new Yield(inv.requestId(), Map.of(), Payload.of(List.of(Map.of("result", 6)))));
      assertEquals(List.of(3, "c-1", Map.of("result", 6)), page.expect());

      page.send(2, 42, "sample/sum", "x");
      inv = callee.expect(Invocation.class);
      callee.send(new ErrorMessage(MessageCodes.INVOCATION, inv.requestId(), Map.of(), "sample/sum",
          Payload.of(List.of("Not a number"), Map.of("code", 42))));
      assertEquals(List.of(4, 42, "sample/sum", "Not a number", Map.of("code", 42)), page.expect());

      page.send(2, "c-3", "sample/none", 1);
      assertEquals(List.of(4, "c-3", "sample/none", "A RPC handler for the \"sample/none\" route has not been registered.",
          Map.of("code", 404, "rpc", Map.of(), "params", List.of(1))), page.expect());

      page.send(2, "c-4");
      List<?> missing = page.expect();
      assertEquals(List.of(4, "c-4", "wamp.error.invalid_argument"), missing.subList(0, 3));
      page.send(2, "c-5", "sample/sum", 2);
      inv = callee.expect(Invocation.class);
      callee.send(new Yield(inv.requestId(), Map.of(), Payload.of(List.of(Map.of("result", 2)))));
      assertEquals(List.of(3, "c-5", Map.of("result", 2)), page.expect(), "the connection lives on");
    }
  }

  @Test
  void aCallIdIsEchoedWhenAStringOrANumberAndClosesWith1007OtherwiseAsRatchetDoes() {
    try (V1Client page = V1Client.connect(router); TestClient callee = TestClient.connect(router, Serializer.JSON)) {
      callee.join("realm1");
      callee.send(new Register(1, Map.of(), "sample/echo-id"));
      callee.expect(Registered.class);
      // Ratchet echoes a numeric id (recorded: call-success, [2,12345,"sample/sum",40,2] -> [3,12345,...]).
      page.send(2, 42, "sample/echo-id", 1);
      Invocation inv = callee.expect(Invocation.class);
      callee.send(new Yield(inv.requestId(), Map.of(), Payload.of(List.of("ok"))));
      assertEquals(List.of(3, 42, "ok"), page.expect());
      page.sendText("[2,null,\"sample/echo-id\",1]");
      inv = callee.expect(Invocation.class);
      callee.send(new Yield(inv.requestId(), Map.of(), Payload.of(List.of("ok"))));
      assertEquals(Arrays.asList(3, null, "ok"), page.expect(), "Ratchet's isset() lets a null id through too");
    }
    for (String call : List.of("[2,true,\"sample/echo-id\",1]", "[2,[42],\"sample/echo-id\",1]",
        "[2,{\"id\":42},\"sample/echo-id\",1]")) {
      try (V1Client page = V1Client.connect(router)) {
        page.sendText(call);
        assertEquals(1007, page.awaitClose(), call);
      }
    }
  }

  @Test
  void aForbiddenSubscribeGetsOrosRefusalAndTheConnectionStays() {
    try (V1Client page = V1Client.connect(router); V1Client other = V1Client.connect(router)) {
      page.send(5, "secured/user/1");
      assertEquals("You are not allowed to subscribe on topic \"secured/user/1\".", page.expectText());
      other.send(7, "secured/user/1", "not delivered");
      page.expectNothing(300);
      page.send(5, "sample/alive");
      page.sync();
      other.send(7, "sample/alive", "yes");
      assertEquals(List.of(8, "sample/alive", "yes"), page.expect());
    }
  }

  @Test
  void curiesResolveAsPrefixPlusSuffix() {
    try (V1Client page = V1Client.connect(router); V1Client publisher = V1Client.connect(router)) {
      page.send(1, "event", "http://example.com/event#");
      page.send(5, "event:news");
      page.sync();
      publisher.send(7, "http://example.com/event#news", "full uri");
      assertEquals(List.of(8, "http://example.com/event#news", "full uri"), page.expect());
    }
  }

  @Test
  void malformedInputClosesWith1007AndLeavesOthersAlone() {
    try (V1Client bad = V1Client.connect(router); V1Client bystander = V1Client.connect(router)) {
      bad.sendText("[5, \"sample/topic\"");
      assertEquals(1007, bad.awaitClose());
      bystander.send(5, "sample/topic");
      bystander.sync();
      bystander.send(7, "sample/topic", "still here");
      assertEquals(List.of(8, "sample/topic", "still here"), bystander.expect());
      for (String input : List.of("{}", "[99,\"x\"]", "[8,\"t\",\"e\"]")) {
        try (V1Client c = V1Client.connect(router)) {
          c.sendText(input);
          assertEquals(1007, c.awaitClose(), input);
        }
      }
      try (V1Client lenient = V1Client.connect(router)) {
        lenient.sendText("[\"5\",\"sample/topic\"]");
        lenient.sync();
        bystander.send(7, "sample/topic", "string type id");
        assertEquals(List.of(8, "sample/topic", "string type id"), lenient.expect());
      }
    }
  }

  @Test
  void theKeepaliveArrivesOnOroPing() {
    try (V1Client page = V1Client.connect(router)) {
      page.send(5, "oro/ping");
      assertEquals(List.of(8, "oro/ping", "Connection keep alive"), page.expect());
    }
  }

  @Test
  void the101AndTheWelcomeArriveInOneRead() throws Exception {
    for (int i = 0; i < 50; i++) {
      try (Socket s = new Socket("127.0.0.1", router.port())) {
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        out.write(("GET ws://127.0.0.1:" + router.port() + "/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: WebSocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: wamp\r\nOrigin: 127.0.0.1\r\n\r\n").replace("Host: 127.0.0.1", i % 2 == 0
            ? "Host: 127.0.0.1" : "Host: 127.0.0.1:" + router.port()).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        s.setSoTimeout(5_000);
        int n = in.read(buf);
        String got = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        assertTrue(got.startsWith("HTTP/1.1 101 "), got);
        int head = got.indexOf("\r\n\r\n");
        assertTrue(head > 0 && got.substring(0, head).indexOf('[') < 0 && got.substring(0, head).indexOf(']') < 0, got);
        String body = got.substring(head + 4);
        assertTrue(body.length() > 2 && body.charAt(0) == (char) 0x81, "a WELCOME text frame follows in the same read: " + got);
        String welcome = body.substring(2);
        assertTrue(welcome.startsWith("[0,\"") && welcome.endsWith(",1,\"Tollgate/0.1\"]"), welcome);
      }
    }
  }

  @Test
  void originsNotAllowedAreRefusedBeforeTheUpgradeAndNoSubprotocolMeansV1() throws Exception {
    String refused = RawHttp.exchange(router.port(), "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: wamp\r\nOrigin: https://evil.example\r\n\r\n");
    assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
    String lenient = RawHttp.exchange(router.port(), "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Origin: http://localhost:8080\r\n\r\n");
    assertTrue(lenient.startsWith("HTTP/1.1 101") && lenient.contains("[0,\""), lenient);
    try (Router strict = TestRouters.start(Map.of("v1.allow-no-subprotocol", "false"))) {
      String answer = RawHttp.exchange(strict.port(), "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 426"), answer);
    }
  }

  @Test
  void shutdownDropsV1ConnectionsWithoutACloseHandshake() {
    Router doomed = TestRouters.start(Map.of());
    try (V1Client page = V1Client.connect(doomed)) {
      Thread closer = new Thread(doomed::close);
      closer.start();
      assertEquals(1006, page.awaitClose(), "an unclean close makes AutobahnJS 0.8 reconnect");
      await().atMost(Duration.ofSeconds(5)).until(() -> !closer.isAlive());
    }
  }

  @Test
  void aV1PeerThatDoesNotReadIsResetOnceTheCloseGraceHasPassed() throws Exception {
    assumeTrue(KernelSockets.available(), "needs Linux's /proc/net/tcp to see the router's side of the socket");
    Router doomed = TestRouters.start(Map.of("server.shutdown-grace", "5s", "session.close-grace", "500ms"));
    try (RawWebSocket stuck = RawWebSocket.connect(doomed.port(), "wamp", 8 * 1024)) {
      assertTrue(stuck.readText().startsWith("[0,"), "expected WELCOME");
      stuck.sendText("[5,\"com.example.news\"]");
      long queued = 0;
      try (TestClient pub = TestClient.connect(doomed, Serializer.JSON)) {
        pub.join("realm1");
        String chunk = "z".repeat(4096);
        for (int i = 0; i < 2_000 && queued < 64 * 1024; i++) {
          pub.send(new Publish(i + 1, Map.of(), "com.example.news", Payload.of(List.of(chunk))));
          for (KernelSockets.Entry e : KernelSockets.between(doomed.port(), stuck.localPort())) {
            queued = Math.max(queued, e.sendQueue());
          }
        }
      }
      assertTrue(queued >= 64 * 1024, "the router's socket to the peer never held much to send: the test proves nothing");

      // Shutdown ends a v1 session without a close handshake: a FIN, which waits behind the unread bytes, so the
      // socket would sit in FIN-WAIT-1 holding them; after session.close-grace it is reset.
      Thread closer = new Thread(doomed::close);
      closer.start();
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
        for (KernelSockets.Entry e : KernelSockets.between(doomed.port(), stuck.localPort())) {
          assertTrue(e.sendQueue() == 0 && !e.state().equals("FIN_WAIT1"), "the router's socket is still " + e);
        }
      });
      assertTrue(stuck.readsToTheEnd(Duration.ofSeconds(2)), "the peer's connection did not end");
      // Gone, it no longer holds the shutdown for the rest of server.shutdown-grace.
      await().atMost(Duration.ofSeconds(2)).until(() -> !closer.isAlive());
    }
  }

}
