package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three Tollgate nodes as three processes on 127.0.0.1, joined by a real {@code redis-server}: what a client on one
 * node publishes reaches the subscribers of every node, and a ticket is one-time across them. The Redis restart runs
 * last, since it disturbs the others.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  private static final String SECRET = ThreeNodes.SECRET;
  private static final String TOPIC = "com.example.news";

  @RegisterExtension
  static final ThreeNodes cluster = new ThreeNodes();
  private final AtomicLong requests = new AtomicLong();

  private static URI uri(int node) {
    return cluster.uri(node);
  }

  private static TestClient join(int node, Serializer serializer) {
    TestClient c = TestClient.connect(uri(node), serializer);
    c.join("realm1");
    return c;
  }

  private long subscribe(TestClient c, String topic, Map<String, Object> options) {
    long request = requests.incrementAndGet();
    c.send(new Subscribe(request, options, topic));
    return c.expect(Subscribed.class).subscriptionId();
  }

  private long publish(TestClient c, String topic, Map<String, Object> options, Object arg) {
    Map<String, Object> acknowledged = new HashMap<>(options);
    acknowledged.put("acknowledge", true);
    long request = requests.incrementAndGet();
    c.send(new Publish(request, acknowledged, topic, Payload.of(List.of(arg))));
    return c.expect(Published.class).publicationId();
  }

  /**
   * A node hears of a subscription on another only once that one has told Redis, just after SUBSCRIBED: warm-ups are
   * published until every receiver has one, and then drained.
   */
  private void warmUp(TestClient publisher, String topic, List<TestClient> receivers, V1Client v1) throws Exception {
    List<Object> pending = new ArrayList<>(receivers);
    if (v1 != null) {
      pending.add(v1);
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!pending.isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "a subscriber on another node had no event within 10 s: " + pending);
      publish(publisher, topic, Map.of(), "warm-up");
      Thread.sleep(100);
      pending.removeIf(r -> r instanceof TestClient c ? c.poll(Event.class, 50) != null
          : ((V1Client) r).next(50) != null);
    }
    Thread.sleep(300);
    for (TestClient r : receivers) {
      while (r.poll(Event.class, 50) != null) {
        // drained
      }
    }
    if (v1 != null) {
      while (v1.next(50) != null) {
        // drained
      }
    }
  }

  @Test
  @Order(1)
  void aPublicationOnOneNodeReachesExactAndPatternSubscribersOfV2AndV1OnTheOthersOnceEachInOrder() throws Exception {
    try (TestClient exact1 = join(1, Serializer.JSON);
        TestClient patterns3 = join(3, Serializer.MSGPACK);
        V1Client page1 = V1Client.connect(uri(1));
        TestClient publisher2 = join(2, Serializer.CBOR)) {
      long exact = subscribe(exact1, TOPIC, Map.of());
      long prefix = subscribe(patterns3, "com.example", Map.of("match", "prefix"));
      long wildcard = subscribe(patterns3, "com..news", Map.of("match", "wildcard"));
      page1.send(5, TOPIC);
      warmUp(publisher2, TOPIC, List.of(exact1, patterns3), page1);
      // The publisher hears itself once (its own node), not a second time through Redis.
      long own = subscribe(publisher2, TOPIC, Map.of());

      int count = 40;
      for (int i = 0; i < count; i++) {
        publisher2.send(new Publish(requests.incrementAndGet(), Map.of("exclude_me", false), TOPIC,
            Payload.of(List.of(i))));
      }
      for (int i = 0; i < count; i++) {
        Event e = exact1.expect(Event.class);
        assertEquals(exact, e.subscriptionId());
        assertEquals(List.of(i), e.payload().args(), "in the order published");
        List<?> v1 = page1.expect();
        assertEquals(List.of(8, TOPIC, i), v1, "a WAMP v1 page on node 1 receives it as v1's EVENT");
        Event mine = publisher2.expect(Event.class);
        assertEquals(own, mine.subscriptionId());
        assertEquals(List.of(i), mine.payload().args());
      }
      // On node 3, one event per matching subscription, each once, each in order (they may interleave).
      Map<Long, List<Object>> byPattern = new HashMap<>();
      for (int i = 0; i < 2 * count; i++) {
        Event e = patterns3.expect(Event.class);
        assertEquals(TOPIC, e.details().get("topic"), "a pattern subscription is told the topic");
        byPattern.computeIfAbsent(e.subscriptionId(), k -> new ArrayList<>()).add(e.payload().args().get(0));
      }
      List<Object> expected = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        expected.add(i);
      }
      assertEquals(Map.of(prefix, expected, wildcard, expected), byPattern);
      assertNull(exact1.poll(Event.class, 300), "nothing twice");
      assertNull(patterns3.poll(Event.class, 100), "nothing twice, though node 3 hears the topic by two patterns");
      assertNull(publisher2.poll(Event.class, 100), "the publisher's own node does not deliver its event again");
    }
  }

  @Test
  @Order(2)
  void exclusionEligibilityAndDisclosureHoldAcrossNodes() throws Exception {
    try (TestClient a1 = TestClient.connect(uri(1), Serializer.JSON);
        TestClient b3 = TestClient.connect(uri(3), Serializer.JSON);
        TestClient publisher2 = TestClient.connect(uri(2), Serializer.JSON)) {
      long aId = a1.join("realm1").session();
      long bId = b3.join("realm1").session();
      long publisherId = publisher2.join("realm1").session();
      subscribe(a1, TOPIC, Map.of());
      subscribe(b3, TOPIC, Map.of());
      warmUp(publisher2, TOPIC, List.of(a1, b3), null);

      publish(publisher2, TOPIC, Map.of("eligible", List.of(bId), "disclose_me", true), "to b only");
      Event toB = b3.expect(Event.class);
      assertEquals(List.of("to b only"), toB.payload().args());
      assertEquals(publisherId, ((Number) toB.details().get("publisher")).longValue(),
          "the publisher's session id, as its node gave it");
      assertEquals("anonymous", toB.details().get("publisher_authrole"));

      publish(publisher2, TOPIC, Map.of("exclude", List.of(bId)), "not to b");
      assertEquals(List.of("not to b"), a1.expect(Event.class).payload().args());
      assertNull(a1.poll(Event.class, 300), "eligible kept a out of the first one");
      assertNull(b3.poll(Event.class, 100), "exclude kept b out of the second one");
      assertTrue(aId != bId && aId != publisherId);
    }
  }

  @Test
  @Order(6)
  void anEventRetainedOnOneNodeIsGivenToALaterSubscriberOnAnother() throws Exception {
    String topic = "com.example.retained";
    try (TestClient publisher2 = join(2, Serializer.JSON); TestClient late3 = join(3, Serializer.JSON)) {
      publish(publisher2, topic, Map.of("retain", true), "kept");
      // No node listens to the topic: the event reaches node 3 only as one to retain.
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (true) {
        long subscription = subscribe(late3, topic, Map.of("get_retained", true));
        Event retained = late3.poll(Event.class, 200);
        if (retained != null) {
          assertEquals(List.of("kept"), retained.payload().args());
          assertEquals(true, retained.details().get("retained"));
          break;
        }
        late3.send(new dev.tollgate.protocol.Unsubscribe(requests.incrementAndGet(), subscription));
        late3.expect(dev.tollgate.protocol.Unsubscribed.class);
        assertTrue(System.nanoTime() < deadline, "node 3 did not keep the retained event within 5 s");
      }
    }
  }

  @Test
  @Order(3)
  void aTicketUsedOnOneNodeIsRefusedOnAnother() throws Exception {
    String ticket = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC()).anonymous();
    String query = "/ws?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8);
    try (TestClient backend = TestClient.connect(URI.create(uri(1) + query.substring(3)), Serializer.JSON)) {
      assertEquals("backend", backend.join("realm1").details().get("authrole"));
      String second = RawHttp.upgrade(cluster.port(2), query, "wamp.2.json");
      assertTrue(second.startsWith("HTTP/1.1 401"), second);
      assertTrue(second.contains("already used"), second);
      String third = RawHttp.upgrade(cluster.port(3), query, "wamp.2.json");
      assertTrue(third.startsWith("HTTP/1.1 401"), third);
    }
  }

  @Test
  @Order(4)
  void aNodeWhoseRedisCannotBeReachedDoesNotStartAndSaysWhyWithoutThePassword() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Process p = RouterProcess.launch(List.of(), "--cluster.redis.url=redis://:hunter2@127.0.0.1:" + closed,
        "--cluster.redis.timeout=1s", "--data.dir=" + cluster.dir().resolve("unreachable"));
    assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the node gave up");
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, p.exitValue(), output);
    assertTrue(output.contains("tollgate: cluster.redis.url: Redis at redis://***@127.0.0.1:" + closed
        + " cannot be reached"), output);
    assertTrue(!output.contains("hunter2"), "the password is never printed: " + output);
    assertTrue(!output.contains("Tollgate listening"), output);
  }

  @Test
  @Order(5)
  void behindTheShippedNginxSampleThreeClientsLandOnThreeNodesAndStillSeeOneRouter() throws Exception {
    String sample = java.nio.file.Files.readString(Path.of("src/dist/nginx/tollgate-cluster.conf"));
    for (int n = 1; n <= 3; n++) {
      sample = sample.replace("127.0.0.1:808" + n, "127.0.0.1:" + cluster.port(n));
    }
    sample = sample.replace("listen 80;", "listen 127.0.0.1:PORT;");
    // The earlier tests' connections are closed by now (or soon): from none, each node takes one.
    for (int n = 1; n <= 3; n++) {
      awaitMetric(n, "tollgate_connections", 0);
    }
    try (LocalNginx nginx = LocalNginx.start(cluster.dir().resolve("nginx"), sample)) {
      URI front = URI.create("ws://127.0.0.1:" + nginx.port() + "/ws");
      try (TestClient a = TestClient.connect(front, Serializer.JSON);
          TestClient b = TestClient.connect(front, Serializer.MSGPACK);
          TestClient publisher = TestClient.connect(front, Serializer.JSON)) {
        for (int n = 1; n <= 3; n++) {
          awaitMetric(n, "tollgate_connections", 1);
        }
        a.join("realm1");
        b.join("realm1");
        publisher.join("realm1");
        subscribe(a, TOPIC, Map.of());
        subscribe(b, TOPIC, Map.of());
        warmUp(publisher, TOPIC, List.of(a, b), null);
        publish(publisher, TOPIC, Map.of(), "through nginx");
        assertEquals(List.of("through nginx"), a.expect(Event.class).payload().args());
        assertEquals(List.of("through nginx"), b.expect(Event.class).payload().args());
      }

      String ticket = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC()).forUser("nobody", "x");
      String anonymous = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC()).anonymous();
      String query = "/ws?ticket=" + URLEncoder.encode(anonymous, StandardCharsets.UTF_8);
      try (TestClient first = TestClient.connect(URI.create("ws://127.0.0.1:" + nginx.port() + query),
          Serializer.JSON)) {
        first.join("realm1");
        for (int i = 0; i < 3; i++) {
          String again = RawHttp.upgrade(nginx.port(), query, "wamp.2.json");
          assertTrue(again.startsWith("HTTP/1.1 401") && again.contains("already used"),
              "whichever node nginx picks refuses it: " + again);
        }
      }
      String unknownUser = RawHttp.upgrade(nginx.port(), "/ws?ticket=" + URLEncoder.encode(ticket,
          StandardCharsets.UTF_8), "wamp.2.json");
      assertTrue(unknownUser.startsWith("HTTP/1.1 401"), unknownUser);
    }
  }

  @Test
  @Order(7)
  void forgedTicketsSpreadOverTheNodesArePacedOnEveryNode() throws Exception {
    String forged = new TicketGenerator(TicketSecret.of("not-the-secret"), Clock.systemUTC()).anonymous();
    String attacker = "127.0.0.7"; // Linux routes all of 127/8 to loopback: a client address of its own
    assertEquals(0, metric(2, "tollgate_throttled_addresses"));
    int limit = 10; // auth.failure-limit's default
    for (int i = 0; i < limit; i++) {
      String answer = upgradeFrom(attacker, cluster.port(1), forged);
      assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
    }
    // Node 2 never saw this address fail, yet paces it: the failures on node 1 count there too.
    awaitMetric(2, "tollgate_throttled_addresses", 1);
    awaitMetric(3, "tollgate_throttled_addresses", 1);
    long pacedBefore = metric(2, "tollgate_authentications_paced_total");
    assertTrue(upgradeFrom(attacker, cluster.port(2), forged).startsWith("HTTP/1.1 401"));
    assertEquals(pacedBefore + 1, metric(2, "tollgate_authentications_paced_total"));
  }

  /** A WebSocket upgrade with a URL ticket from a given local address, straight to a node. */
  private static String upgradeFrom(String localAddress, int port, String ticket) throws Exception {
    return RawHttp.exchangeFrom(localAddress, port, "GET /ws?ticket=" + URLEncoder.encode(ticket,
        StandardCharsets.UTF_8) + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: wamp.2.json\r\n\r\n");
  }

  @Test
  @Order(10)
  void whenRedisRestartsLocalDeliveryGoesOnLossesAreCountedAndTheNodesHearEachOtherAgainByThemselves()
      throws Exception {
    try (TestClient remote1 = join(1, Serializer.JSON);
        TestClient local2 = join(2, Serializer.JSON);
        TestClient publisher2 = join(2, Serializer.JSON)) {
      subscribe(remote1, TOPIC, Map.of());
      subscribe(local2, TOPIC, Map.of());
      warmUp(publisher2, TOPIC, List.of(remote1, local2), null);
      long lostBefore = metric(2, "tollgate_cluster_messages_lost_total");

      cluster.redis.down();
      publish(publisher2, TOPIC, Map.of(), "while Redis is away");
      assertEquals(List.of("while Redis is away"), local2.expect(Event.class).payload().args(),
          "the node's own subscribers are served meanwhile");
      assertNull(remote1.poll(Event.class, 500), "nothing can cross");
      awaitMetricAbove(2, "tollgate_cluster_messages_lost_total", lostBefore);
      String ticket = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC()).anonymous();
      String refused = RawHttp.upgrade(cluster.port(1),
          "/ws?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8), "wamp.2.json");
      assertTrue(refused.startsWith("HTTP/1.1 503"), "a ticket cannot be checked as one-time: fail closed; " + refused);
      publisher2.send(new dev.tollgate.protocol.Register(requests.incrementAndGet(), Map.of(), "com.example.p"));
      dev.tollgate.protocol.ErrorMessage notNow = publisher2.expect(dev.tollgate.protocol.ErrorMessage.class);
      assertEquals("tollgate.error.cluster_unavailable", notNow.error(),
          "a registration cannot be checked against the other nodes': refused, with a reason");

      cluster.redis.up();
      warmUp(publisher2, TOPIC, List.of(remote1), null);
      while (local2.poll(Event.class, 50) != null) {
        // its warm-ups
      }
      publish(publisher2, TOPIC, Map.of(), "after");
      assertEquals(List.of("after"), remote1.expect(Event.class).payload().args());
      assertEquals(List.of("after"), local2.expect(Event.class).payload().args());
      try (TestClient backend = TestClient.connect(URI.create(uri(1) + "?ticket="
          + URLEncoder.encode(ticket, StandardCharsets.UTF_8)), Serializer.JSON)) {
        assertEquals("backend", backend.join("realm1").details().get("authrole"), "tickets are checked again");
      }
    }
  }

  private static long metric(int node, String name) throws Exception {
    return cluster.metric(node, name);
  }

  private static void awaitMetric(int node, String name, long value) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long now;
    while ((now = metric(node, name)) != value) {
      assertTrue(System.nanoTime() < deadline, name + " of node " + node + " stayed at " + now + ", not " + value);
      Thread.sleep(50);
    }
  }

  private static void awaitMetricAbove(int node, String name, long value) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (metric(node, name) <= value) {
      assertTrue(System.nanoTime() < deadline, name + " stayed at " + value);
      Thread.sleep(50);
    }
  }
}
