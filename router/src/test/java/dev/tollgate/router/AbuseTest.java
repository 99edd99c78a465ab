package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.Welcome;
import dev.tollgate.protocol.Yield;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a client can throw at the router on purpose, each with its defined answer: connections that never say HELLO,
 * a flood of handshakes, messages in a thousand fragments and fragments out of order, a compression offer, and a
 * session that subscribes to everything it may. Meanwhile a well-behaved client is served, and nothing leaks.
 */
class AbuseTest {

  /** A well-behaved client's round trip through the router: a call answered by a callee. */
  private static void roundTrip(TestClient caller, TestClient callee, long requestId) {
    caller.send(new Call(requestId, Map.of(), "svc.echo", Payload.of(List.of(requestId))));
    Invocation inv = callee.expect(Invocation.class);
    callee.send(new Yield(inv.requestId(), Map.of(), inv.payload()));
    assertEquals(requestId, ((Number) caller.expect(Result.class).payload().args().get(0)).longValue());
  }

  private static TestClient[] callerAndCallee(Router router) {
    TestClient callee = TestClient.connect(router, Serializer.JSON);
    callee.join("realm1");
    callee.send(new Register(1, Map.of(), "svc.echo"));
    callee.expect(Registered.class);
    TestClient caller = TestClient.connect(router, Serializer.MSGPACK);
    caller.join("realm1");
    return new TestClient[] {caller, callee};
  }

  @Test
  void twoThousandConnectionsFromOneAddressThatNeverSayHelloAreClosedWhileOthersAreServed() throws Exception {
    // long enough for all 2,000 to be open at once on a busy machine
    try (Router router = TestRouters.start(Map.of("session.hello-timeout", "8s"))) {
      TestClient[] pair = callerAndCallee(router);
      long baseline = router.metrics().openConnections();
      List<RawWebSocket> silent = new ArrayList<>();
      try {
        for (int i = 0; i < 2000; i++) {
          silent.add(RawWebSocket.connect(router.port(), "wamp.2.json", 8192));
          if (i % 500 == 0) {
            roundTrip(pair[0], pair[1], 100 + i);
          }
        }
        // all open at once (the count follows the 101 by a moment)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2))
            .until(() -> router.metrics().openConnections() == baseline + 2000);
        // each is told why and closed after session.hello-timeout; the served pair is not
        for (RawWebSocket ws : List.of(silent.get(0), silent.get(999), silent.get(1999))) {
          assertTrue(ws.readsToTheEnd(Duration.ofSeconds(20)), "a silent connection is closed");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (router.metrics().openConnections() > baseline && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertEquals(baseline, router.metrics().openConnections(), "every silent connection is gone");
        roundTrip(pair[0], pair[1], 9_999);
      } finally {
        for (RawWebSocket ws : silent) {
          ws.close();
        }
        pair[0].close();
        pair[1].close();
      }
    }
  }

  /**
   * Eight threads open and drop 2,400 connections as fast as they can: upgrades abandoned before the answer, half
   * requests, garbage, and complete upgrades closed at once. The served pair's calls keep being answered throughout,
   * and afterwards no connection is left open.
   */
  @Test
  void aHandshakeFloodLeavesTheRouterServingAndLeaksNothing() throws Exception {
    try (Router router = TestRouters.start(Map.of("session.hello-timeout", "2s"))) {
      TestClient[] pair = callerAndCallee(router);
      long baseline = router.metrics().openConnections();
      String upgrade = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Protocol: wamp.2.json\r\n\r\n";
      List<byte[]> openings = List.of(upgrade.getBytes(StandardCharsets.US_ASCII),
          upgrade.substring(0, 40).getBytes(StandardCharsets.US_ASCII),
          "\u0016\u0003\u0001 not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
      ExecutorService flood = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int thread = t;
          done.add(flood.submit(() -> {
            for (int i = 0; i < 300; i++) {
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", router.port()), 5_000);
                s.getOutputStream().write(openings.get((thread + i) % openings.size()));
                if ((thread + i) % openings.size() == 0 && i % 2 == 0) {
                  s.setSoTimeout(5_000);
                  assertEquals("HTTP/1.1 101", new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII));
                }
              }
            }
            return null;
          }));
        }
        long calls = 0;
        while (!done.stream().allMatch(Future::isDone)) {
          roundTrip(pair[0], pair[1], 1_000 + calls++);
        }
        for (Future<?> f : done) {
          f.get();
        }
        assertTrue(calls > 0);
      } finally {
        flood.shutdownNow();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (router.metrics().openConnections() > baseline && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(baseline, router.metrics().openConnections(), "no connection is left behind");
      roundTrip(pair[0], pair[1], 99_999);
      pair[0].close();
      pair[1].close();
    }
  }

  /** A PUBLISH cut into 1,000 fragments arrives whole; fragments out of order end the connection with 1002. */
  @Test
  void aMessageInAThousandFragmentsArrivesWholeAndFragmentsOutOfOrderAreRefused() throws Exception {
    try (Router router = TestRouters.start();
         TestClient subscriber = TestClient.connect(router, Serializer.JSON);
         RawWebSocket publisher = RawWebSocket.connect(router.port(), "wamp.2.json", 65536)) {
      subscriber.join("realm1");
      subscriber.send(new Subscribe(1, Map.of(), "frag"));
      subscriber.expect(Subscribed.class);
      publisher.send(new Hello("realm1", Map.of("roles", Map.of("publisher", Map.of()))));
      publisher.expect(Welcome.class);

      String text = "x".repeat(4_000);
      byte[] message = ("[16,2,{},\"frag\",[\"" + text + "\"]]").getBytes(StandardCharsets.UTF_8);
      int pieces = 1_000;
      int size = message.length / pieces; // the last piece takes the rest
      for (int i = 0; i < pieces; i++) {
        int from = i * size;
        int to = i == pieces - 1 ? message.length : from + size;
        publisher.sendRaw(RawWebSocket.frame(i == 0 ? 0x1 : 0x0, i == pieces - 1,
            java.util.Arrays.copyOfRange(message, from, to)));
      }
      assertEquals(List.of(text), subscriber.expect(Event.class).payload().args());

      // a continuation with no message begun: a protocol error (RFC 6455 section 5.4)
      publisher.sendRaw(RawWebSocket.frame(0x0, true, "[]".getBytes(StandardCharsets.US_ASCII)));
      assertEquals(1002, publisher.readCloseCode());
    }
    try (Router router = TestRouters.start();
         RawWebSocket c = RawWebSocket.connect(router.port(), "wamp.2.json", 65536)) {
      // a new text message begun before the fragmented one ended
      c.sendRaw(RawWebSocket.frame(0x1, false, "[1,".getBytes(StandardCharsets.US_ASCII)));
      c.sendRaw(RawWebSocket.frame(0x1, true, "[1,\"realm1\",{}]".getBytes(StandardCharsets.US_ASCII)));
      assertEquals(1002, c.readCloseCode());
    }
  }

  /** A message over limits.max-message-size in many small fragments is dropped and answered as a whole one is. */
  @Test
  void fragmentsAddingUpToAnOversizedMessageAreDroppedAndTheSessionGoesOn() throws Exception {
    try (Router router = TestRouters.start(Map.of("limits.max-message-size", "10000"));
         RawWebSocket c = RawWebSocket.connect(router.port(), "wamp.2.json", 65536)) {
      c.send(new Hello("realm1", Map.of("roles", Map.of("publisher", Map.of(), "caller", Map.of()))));
      c.expect(Welcome.class);
      byte[] big = ("[48,7,{},\"svc.echo\",[\"" + "y".repeat(20_000) + "\"]]").getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < big.length; i += 1_000) {
        c.sendRaw(RawWebSocket.frame(i == 0 ? 0x1 : 0x0, i + 1_000 >= big.length,
            java.util.Arrays.copyOfRange(big, i, Math.min(big.length, i + 1_000))));
      }
      ErrorMessage refused = c.expect(ErrorMessage.class);
      assertEquals(MessageCodes.CALL, refused.requestType());
      assertEquals(7, refused.requestId());
      assertTrue(String.valueOf(refused.payload().args()).contains("limits.max-message-size"), refused.toString());
      c.send(new Publish(8, Map.of("acknowledge", true), "after.the.big.one", Payload.EMPTY));
      c.expect(dev.tollgate.protocol.Published.class);
    }
  }

  /** permessage-deflate is declined (no extension in the 101), and the session works uncompressed. */
  @Test
  void aCompressionOfferIsDeclined() throws Exception {
    try (Router router = TestRouters.start(); Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", router.port()), 5_000);
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Protocol: wamp.2.json\r\n"
          + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-webkit-deflate-frame\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.read());
      }
      assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
      assertFalse(head.toString().toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-extensions"),
          "no extension accepted: " + head);
      // an uncompressed HELLO (RSV1 clear) is answered with an uncompressed WELCOME
      out.write(RawWebSocket.frame(0x1, true, "[1,\"realm1\",{\"roles\":{\"subscriber\":{}}}]".getBytes(StandardCharsets.US_ASCII)));
      int b0 = in.read();
      assertEquals(0x81, b0, "FIN, text, RSV1 (compressed) clear");
    }
  }

  /** The default subscription limit (1,000) is reachable, and the next subscription is refused saying why. */
  @Test
  void aSessionMaySubscribeUpToTheDefaultLimitAndNotOnePast() {
    try (Router router = TestRouters.start(); TestClient c = TestClient.connect(router, Serializer.CBOR)) {
      c.join("realm1");
      int limit = router.config().maxSubscriptionsPerSession();
      assertEquals(1000, limit);
      for (int i = 0; i < limit; i++) {
        c.send(new Subscribe(i + 1, Map.of(), "many.topic" + i));
      }
      for (int i = 0; i < limit; i++) {
        c.expect(Subscribed.class);
      }
      c.send(new Subscribe(limit + 1, Map.of(), "many.one.past"));
      ErrorMessage refused = c.expect(ErrorMessage.class);
      TestClient.assertError(refused, MessageCodes.SUBSCRIBE, limit + 1, WampErrors.NOT_AUTHORIZED);
      assertTrue(String.valueOf(refused.payload().args()).contains("limits.max-subscriptions-per-session"));
    }
  }
}
