package dev.tollgate.router;

import static dev.tollgate.router.TestClient.assertError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.Welcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsTest {

  @Test
  void aMessageOverTheSizeLimitIsDroppedAndAnsweredAndWhatFollowsIsDelivered() {
    try (Router router = TestRouters.start(Map.of("limits.max-message-size", "100000"));
        TestClient c = TestClient.connect(router, Serializer.JSON);
        TestClient sub = TestClient.connect(router, Serializer.JSON)) {
      c.join("realm1");
      sub.join("realm1");
      sub.send(new Subscribe(1, Map.of(), "com.example"));
      sub.expect(Subscribed.class);
      // Larger than Jetty's 64 KiB pieces, so it also arrives in several.
      String big = "x".repeat(300_000);
      c.sendText("[16,1,{\"acknowledge\":true},\"com.example\",[\"" + big + "\"]]");
      ErrorMessage publishRefused = c.expect(ErrorMessage.class);
      assertError(publishRefused, MessageCodes.PUBLISH, 1, WampErrors.PAYLOAD_SIZE_EXCEEDED);
      assertTrue(String.valueOf(publishRefused.payload().args()).contains("limits.max-message-size"));
      c.sendText("[48,2,{},\"com.example.proc\",[\"" + big + "\"]]");
      assertError(c.expect(ErrorMessage.class), MessageCodes.CALL, 2, WampErrors.PAYLOAD_SIZE_EXCEEDED);
      c.sendText("[16,3,{},\"com.example\",[\"" + big + "\"]]"); // no acknowledge: no answer
      c.send(new Publish(4, Map.of("acknowledge", true), "com.example", Payload.of(List.of("after"))));
      c.expect(dev.tollgate.protocol.Published.class);
      assertEquals(List.of("after"), sub.expect(Event.class).payload().args(), "only the small one reached anyone");
      sub.expectNothing(200);
      assertEquals(3, router.metrics().oversizedMessages());
      assertTrue(!c.isClosed() && router.metrics().sessionsClosed() == 0, "the connection stays open");
    }
  }

  /**
   * Large frames reach the router in 64 KiB pieces, so a header that claims 2 GiB allocates nothing; one with a
   * reserved opcode is refused at once (a Jetty parser without that check allocated the claimed size first).
   */
  @Test
  void aFrameClaimingTwoGibibytesWithAReservedOpcodeIsRefusedAtOnce() throws Exception {
    try (Router router = TestRouters.start();
        RawWebSocket hostile = RawWebSocket.connect(router.port(), "wamp.2.json", 64 * 1024);
        TestClient other = TestClient.connect(router, Serializer.JSON)) {
      java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(15);
      header.put((byte) 0x83).put((byte) (0x80 | 127)).putLong(0x7FFF_FFF0L).putInt(0).put((byte) 'x');
      hostile.sendRaw(header.array());
      assertEquals(1002, hostile.readCloseCode(), "RFC 6455 7.4.1: 1002 for a protocol error");
      other.join("realm1"); // the router goes on serving others
      other.send(new Subscribe(1, Map.of(), "com.example.still"));
      other.expect(Subscribed.class);
    }
  }

  @Test
  void subscriptionsAndRegistrationsPerSessionAreBounded() {
    try (Router router = TestRouters.start(Map.of(
            "limits.max-subscriptions-per-session", "2", "limits.max-registrations-per-session", "1"));
        TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.join("realm1");
      c.send(new Subscribe(1, Map.of(), "a.one"));
      long first = c.expect(Subscribed.class).subscriptionId();
      c.send(new Subscribe(2, Map.of(), "a.two"));
      c.expect(Subscribed.class);
      c.send(new Subscribe(3, Map.of(), "a.three"));
      ErrorMessage e = c.expect(ErrorMessage.class);
      assertError(e, MessageCodes.SUBSCRIBE, 3, WampErrors.NOT_AUTHORIZED);
      assertTrue(String.valueOf(e.payload().args()).contains("limits.max-subscriptions-per-session"));
      c.send(new Subscribe(4, Map.of(), "a.one"));
      assertEquals(first, c.expect(Subscribed.class).subscriptionId(), "subscribing again to a held topic is fine");
      c.send(new Register(5, Map.of(), "p.one"));
      c.expect(Registered.class);
      c.send(new Register(6, Map.of(), "p.two"));
      assertError(c.expect(ErrorMessage.class), MessageCodes.REGISTER, 6, WampErrors.NOT_AUTHORIZED);
    }
  }

  @Test
  void aSlowConsumerIsDisconnectedAndCountedWhileOthersReceiveEverything() {
    try (Router router = TestRouters.start(Map.of(
            "limits.outbound-queue-bytes", String.valueOf(1 << 20), "limits.outbound-queue-messages", "100000"));
        TestClient slow = TestClient.connectNotReading(router, Serializer.JSON);
        TestClient fast = TestClient.connect(router, Serializer.JSON);
        TestClient pub = TestClient.connect(router, Serializer.JSON)) {
      slow.join("realm1"); // the WELCOME is read before the client stops reading
      fast.join("realm1");
      pub.join("realm1");
      slow.send(new Subscribe(1, Map.of(), "com.example.firehose"));
      fast.send(new Subscribe(1, Map.of(), "com.example.firehose"));
      fast.expect(Subscribed.class);
      await().atMost(Duration.ofSeconds(5)).until(() -> router.metrics().eventsDelivered() == 0);

      String chunk = "y".repeat(4096);
      int batches = 60;
      int perBatch = 100;
      for (int b = 0; b < batches; b++) {
        for (int i = 0; i < perBatch; i++) {
          pub.send(new Publish(b * perBatch + i + 1, Map.of(), "com.example.firehose", Payload.of(List.of(b * perBatch + i, chunk))));
        }
        for (int i = 0; i < perBatch; i++) {
          Event e = fast.expect(Event.class);
          assertEquals(b * perBatch + i, ((Number) e.payload().args().get(0)).intValue(), "events arrive in order");
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> router.metrics().slowConsumerDisconnects() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> router.metrics().openConnections() == 2);
      fast.expectNothing(100);
    }
  }

  @Test
  void aSubscriberThatNeverReadsIsResetSoItsKernelBufferIsFreedAndItSeesTheEnd() throws Exception {
    assumeTrue(KernelSockets.available(), "needs Linux's /proc/net/tcp to see the router's side of the socket");
    try (Router router = TestRouters.start(Map.of(
            "limits.outbound-queue-bytes", String.valueOf(256 * 1024), "limits.outbound-queue-messages", "100000"));
        RawWebSocket stuck = RawWebSocket.connect(router.port(), "wamp.2.json", 8 * 1024);
        TestClient fast = TestClient.connect(router, Serializer.JSON);
        TestClient pub = TestClient.connect(router, Serializer.JSON)) {
      stuck.send(new Hello("realm1", Map.of("roles", TestClient.ROLES)));
      stuck.expect(Welcome.class);
      stuck.send(new Subscribe(1, Map.of(), "com.example.firehose"));
      stuck.expect(Subscribed.class); // the last thing it reads until it is cut off
      fast.join("realm1");
      fast.send(new Subscribe(1, Map.of(), "com.example.firehose"));
      fast.expect(Subscribed.class);
      pub.join("realm1");

      int sendBuffer = router.config().socketSendBuffer();
      String chunk = "y".repeat(4096);
      long published = 0;
      long mostQueuedInKernel = 0;
      // At most 16 MB, far past the 256 KB bound plus what the kernel takes, so a router that never cuts it off fails.
      for (int batch = 0; batch < 200 && router.metrics().slowConsumerDisconnects() == 0; batch++) {
        for (int i = 0; i < 20; i++) {
          pub.send(new Publish(++published, Map.of(), "com.example.firehose", Payload.of(List.of(published, chunk))));
        }
        for (int i = 0; i < 20; i++) {
          fast.expect(Event.class);
        }
        for (KernelSockets.Entry e : KernelSockets.between(router.port(), stuck.localPort())) {
          mostQueuedInKernel = Math.max(mostQueuedInKernel, e.sendQueue());
        }
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> router.metrics().slowConsumerDisconnects() == 1);
      assertTrue(mostQueuedInKernel > 0, "the router's socket to the stuck reader never held unsent bytes: the test "
          + "proves nothing");
      // Linux doubles SO_SNDBUF for its bookkeeping and may take one more segment of up to 64 KiB past it.
      assertTrue(mostQueuedInKernel <= 2L * sendBuffer + 64 * 1024, "the kernel held " + mostQueuedInKernel
          + " bytes for one connection, more than server.socket-send-buffer=" + sendBuffer + " allows");

      // Others are served while the cut-off connection waits out its grace.
      pub.send(new Publish(++published, Map.of(), "com.example.firehose", Payload.of(List.of(published))));
      assertEquals(published, ((Number) fast.expect(Event.class).payload().args().get(0)).longValue());

      // The router's socket goes with everything it held, before the stuck client does anything at all: a graceful
      // close would leave it in FIN-WAIT-1 holding its send queue for as long as the client does not read.
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
        for (KernelSockets.Entry e : KernelSockets.between(router.port(), stuck.localPort())) {
          assertTrue(e.sendQueue() == 0 && !e.state().equals("FIN_WAIT1"), "the router's socket is still " + e);
        }
      });
      await().atMost(Duration.ofSeconds(2)).until(() -> router.metrics().openConnections() == 2);

      // The client learns: once it reads, what had arrived comes out and then the end, not a wait for more.
      assertTrue(stuck.readsToTheEnd(Duration.ofSeconds(5)), "the stuck client's connection did not end");

      pub.send(new Publish(++published, Map.of(), "com.example.firehose", Payload.of(List.of(published))));
      assertEquals(published, ((Number) fast.expect(Event.class).payload().args().get(0)).longValue());
      fast.expectNothing(100);
    }
  }

  @Test
  void aSubscriberThatSendsNothingNotEvenPongsIsClosedAfterTheIdleTimeout() {
    // The live subscriber must answer PINGs within the idle timeout even on a loaded machine: a second is ample.
    try (Router router = TestRouters.start(Map.of("session.ping-interval", "200ms", "session.idle-timeout", "1s"));
        TestClient silent = TestClient.connectNotReading(router, Serializer.JSON);
        TestClient alive = TestClient.connect(router, Serializer.JSON)) {
      silent.join("realm1");
      silent.send(new Subscribe(1, Map.of(), "com.example.news"));
      alive.join("realm1");
      alive.send(new Subscribe(1, Map.of(), "com.example.news"));
      alive.expect(Subscribed.class);
      await().atMost(Duration.ofSeconds(5)).until(() -> router.metrics().openConnections() == 1);
      await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> !alive.isClosed());
    }
  }

  /**
   * Oro's backend publishers keep one connection for the life of a process and never read from it, so they never
   * answer a PING: such a connection is never closed for silence, and its publication after a long pause arrives.
   */
  @Test
  void aPublisherThatNeverReadsIsNotClosedForSilenceAndItsNextPublicationArrives() throws Exception {
    // The subscriber must answer PINGs within the idle timeout even on a loaded machine: a second is ample.
    try (Router router = TestRouters.start(Map.of("session.ping-interval", "200ms", "session.idle-timeout", "1s"));
        TestClient publisher = TestClient.connectNotReading(router, Serializer.JSON);
        TestClient subscriber = TestClient.connect(router, Serializer.JSON)) {
      publisher.join("realm1");
      subscriber.join("realm1");
      subscriber.send(new Subscribe(1, Map.of(), "oro/data/update"));
      subscriber.expect(Subscribed.class);
      publisher.send(new Publish(1, Map.of(), "oro/data/update", Payload.of(List.of("first"))));
      assertEquals(List.of("first"), subscriber.expect(Event.class).payload().args());
      Thread.sleep(3_000); // three idle timeouts
      publisher.send(new Publish(2, Map.of(), "oro/data/update", Payload.of(List.of("after the pause"))));
      assertEquals(List.of("after the pause"), subscriber.expect(Event.class).payload().args());
      assertEquals(2, router.metrics().openConnections());
      // What finds such a peer when it is gone instead: every accepted socket runs TCP keep-alive.
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        List<String> timers = KernelSockets.all().stream()
            .filter(e -> e.localPort() == router.port() && e.state().equals("ESTABLISHED"))
            .map(KernelSockets.Entry::timer).toList();
        assertEquals(List.of("02", "02"), timers, "/proc/net/tcp timer of each accepted socket (02: keep-alive)");
      });
    }
  }

}
