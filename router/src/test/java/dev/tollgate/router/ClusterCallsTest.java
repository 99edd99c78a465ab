package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.Interrupt;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.Welcome;
import dev.tollgate.protocol.Yield;
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
 * Calls across three Tollgate nodes (processes, one Redis): a caller on one node reaches a callee on another, with
 * what the Advanced Profile adds to a call, and a node killed mid-call leaves its callers an ERROR. The kill runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCallsTest {
  /** What a callee and a caller announce beyond the Basic Profile. */
  private static final Map<String, Object> ADVANCED_ROLES = Map.of(
      "caller", Map.of("features", Map.of("progressive_call_results", true, "call_canceling", true)),
      "callee", Map.of("features", Map.of("progressive_call_results", true, "call_canceling", true)),
      "publisher", Map.of(), "subscriber", Map.of());

  @RegisterExtension
  static final ThreeNodes cluster = new ThreeNodes();
  private final AtomicLong requests = new AtomicLong();

  private TestClient join(int node) {
    TestClient c = TestClient.connect(cluster.uri(node), Serializer.JSON);
    c.send(new Hello("realm1", Map.of("roles", ADVANCED_ROLES)));
    lastWelcome.put(c, c.expect(Welcome.class).session());
    return c;
  }

  private long register(TestClient callee, String procedure, Map<String, Object> options) {
    callee.send(new Register(requests.incrementAndGet(), options, procedure));
    return callee.expect(Registered.class).registrationId();
  }

  /**
   * Probes until the procedure is known on the caller's node (other nodes learn of a registration just after
   * REGISTERED): each probe either reaches one of {@code callees}, which answers it, or is refused with
   * {@code no_such_procedure}. Returns the callee that answered.
   */
  private TestClient callOnceKnown(TestClient caller, String procedure, TestClient... callees) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      assertTrue(System.nanoTime() < deadline, procedure + " did not become known within 10 s");
      long request = requests.incrementAndGet();
      caller.send(new Call(request, Map.of(), procedure, Payload.of(List.of("probe"))));
      long answerBy = System.nanoTime() + 5_000_000_000L;
      while (System.nanoTime() < answerBy) {
        ErrorMessage refused = caller.poll(ErrorMessage.class, 10);
        if (refused != null) {
          assertEquals("wamp.error.no_such_procedure", refused.error());
          break;
        }
        for (TestClient callee : callees) {
          Invocation probe = callee.poll(Invocation.class, 10);
          if (probe != null) {
            callee.send(new Yield(probe.requestId(), Map.of(), Payload.of(List.of("probed"))));
            assertEquals(request, caller.expect(Result.class).requestId());
            return callee;
          }
        }
      }
      Thread.sleep(50);
    }
  }

  @Test
  @Order(1)
  void aCallOnOneNodeReachesItsCalleeOnAnotherAndTheResultComesBack() throws Exception {
    try (TestClient callee3 = join(3); TestClient caller1 = join(1)) {
      register(callee3, "com.example.add", Map.of());
      callOnceKnown(caller1, "com.example.add", callee3);

      long request = requests.incrementAndGet();
      caller1.send(new Call(request, Map.of("disclose_me", true), "com.example.add",
          Payload.of(List.of(2, 3), Map.of("unit", "apples"))));
      Invocation invocation = callee3.expect(Invocation.class);
      assertEquals(List.of(2, 3), invocation.payload().args());
      assertEquals(Map.of("unit", "apples"), invocation.payload().kwargs());
      assertEquals("anonymous", invocation.details().get("caller_authrole"), "the caller is disclosed across nodes");
      callee3.send(new Yield(invocation.requestId(), Map.of(), Payload.of(List.of(5))));
      Result result = caller1.expect(Result.class);
      assertEquals(request, result.requestId());
      assertEquals(List.of(5), result.payload().args());

      request = requests.incrementAndGet();
      caller1.send(new Call(request, Map.of(), "com.example.add", Payload.of(List.of("x"))));
      Invocation bad = callee3.expect(Invocation.class);
      callee3.send(new ErrorMessage(dev.tollgate.protocol.MessageCodes.INVOCATION, bad.requestId(), Map.of(),
          "com.example.error.not_a_number", Payload.of(List.of("x is not a number"))));
      ErrorMessage error = caller1.expect(ErrorMessage.class);
      assertEquals(request, error.requestId());
      assertEquals("com.example.error.not_a_number", error.error(), "the callee's error crosses back as it was");
      assertEquals(List.of("x is not a number"), error.payload().args());
    }
  }

  @Test
  @Order(2)
  void aSingleRegistrationIsUniqueInTheWholeCluster() throws Exception {
    try (TestClient first2 = join(2); TestClient second3 = join(3); TestClient third1 = join(1)) {
      register(first2, "com.example.unique", Map.of());
      second3.send(new Register(requests.incrementAndGet(), Map.of(), "com.example.unique"));
      assertEquals("wamp.error.procedure_already_exists", second3.expect(ErrorMessage.class).error());
      third1.send(new Register(requests.incrementAndGet(), Map.of("invoke", "roundrobin"), "com.example.unique"));
      assertEquals("wamp.error.procedure_already_exists", third1.expect(ErrorMessage.class).error());
    }
    // Its callee gone, the procedure is free again on every node.
    try (TestClient again3 = join(3)) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (true) {
        again3.send(new Register(requests.incrementAndGet(), Map.of(), "com.example.unique"));
        WampMessage answer = again3.poll(WampMessage.class, 5_000);
        if (answer instanceof Registered) {
          break;
        }
        assertInstanceOf(ErrorMessage.class, answer);
        assertTrue(System.nanoTime() < deadline, "still registered 10 s after its callee left");
        Thread.sleep(100);
      }
    }
  }

  @Test
  @Order(3)
  void roundrobinTakesCalleesOnTwoNodesInTurn() throws Exception {
    try (TestClient a2 = join(2); TestClient b3 = join(3); TestClient caller1 = join(1)) {
      register(a2, "com.example.rr", Map.of("invoke", "roundrobin"));
      register(b3, "com.example.rr", Map.of("invoke", "roundrobin"));
      a2.send(new Register(requests.incrementAndGet(), Map.of("invoke", "random"), "com.example.rr2"));
      a2.expect(Registered.class);
      b3.send(new Register(requests.incrementAndGet(), Map.of("invoke", "single"), "com.example.rr2"));
      assertEquals("wamp.error.procedure_already_exists", b3.expect(ErrorMessage.class).error());
      b3.send(new Register(requests.incrementAndGet(), Map.of("invoke", "first"), "com.example.rr2"));
      assertEquals("wamp.error.procedure_exists_with_different_invocation_policy",
          b3.expect(ErrorMessage.class).error());

      // Both callees known on node 1: each has answered a probe.
      List<TestClient> unprobed = new ArrayList<>(List.of(a2, b3));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!unprobed.isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "node 1 did not learn of both callees within 10 s");
        unprobed.remove(callOnceKnown(caller1, "com.example.rr", a2, b3));
      }
      Map<TestClient, Integer> served = new HashMap<>();
      for (int i = 0; i < 6; i++) {
        caller1.send(new Call(requests.incrementAndGet(), Map.of(), "com.example.rr", Payload.of(List.of(i))));
        TestClient callee = null;
        Invocation inv = null;
        while (inv == null) {
          for (TestClient c : List.of(a2, b3)) {
            inv = c.poll(Invocation.class, 50);
            if (inv != null) {
              callee = c;
              break;
            }
          }
        }
        callee.send(new Yield(inv.requestId(), Map.of(), Payload.of(List.of(i))));
        assertEquals(List.of(i), caller1.expect(Result.class).payload().args());
        served.merge(callee, 1, Integer::sum);
      }
      assertEquals(3, served.get(a2), "in turn: " + served);
      assertEquals(3, served.get(b3), "in turn: " + served);
    }
  }

  @Test
  @Order(4)
  void progressiveResultsCancelAndTimeoutWorkAcrossNodes() throws Exception {
    try (TestClient callee3 = join(3); TestClient caller1 = join(1)) {
      register(callee3, "com.example.slow", Map.of());
      callOnceKnown(caller1, "com.example.slow", callee3);

      long request = requests.incrementAndGet();
      caller1.send(new Call(request, Map.of("receive_progress", true), "com.example.slow", Payload.EMPTY));
      Invocation streamed = callee3.expect(Invocation.class);
      assertEquals(true, streamed.details().get("receive_progress"));
      for (int i = 1; i <= 2; i++) {
        callee3.send(new Yield(streamed.requestId(), Map.of("progress", true), Payload.of(List.of(i))));
        Result partial = caller1.expect(Result.class);
        assertEquals(true, partial.details().get("progress"));
        assertEquals(List.of(i), partial.payload().args());
      }
      callee3.send(new Yield(streamed.requestId(), Map.of(), Payload.of(List.of("done"))));
      Result last = caller1.expect(Result.class);
      assertEquals(request, last.requestId());
      assertNull(last.details().get("progress"));

      request = requests.incrementAndGet();
      caller1.send(new Call(request, Map.of(), "com.example.slow", Payload.EMPTY));
      Invocation canceled = callee3.expect(Invocation.class);
      caller1.send(new Cancel(request, Map.of("mode", "killnowait")));
      ErrorMessage gaveUp = caller1.expect(ErrorMessage.class);
      assertEquals("wamp.error.canceled", gaveUp.error());
      Interrupt interrupt = callee3.expect(Interrupt.class);
      assertEquals(canceled.requestId(), interrupt.requestId(), "the callee on the other node is interrupted");
      callee3.send(new Yield(canceled.requestId(), Map.of(), Payload.of(List.of("too late"))));
      assertNull(caller1.poll(Result.class, 300), "a late answer is dropped");

      request = requests.incrementAndGet();
      caller1.send(new Call(request, Map.of("timeout", 300), "com.example.slow", Payload.EMPTY));
      Invocation timedOut = callee3.expect(Invocation.class);
      ErrorMessage timeout = caller1.expect(ErrorMessage.class);
      assertEquals("wamp.error.timeout", timeout.error());
      assertEquals(timedOut.requestId(), callee3.expect(Interrupt.class).requestId());
    }
  }

  @Test
  @Order(5)
  void theSessionAndSubscriptionMetaApisAnswerForEveryNodeAndSessionIdsCarryTheirNode() throws Exception {
    try (TestClient watcher1 = join(1)) {
      watcher1.send(new dev.tollgate.protocol.Subscribe(requests.incrementAndGet(), Map.of(), "wamp.session.on_join"));
      watcher1.expect(dev.tollgate.protocol.Subscribed.class);
      Thread.sleep(300); // the on_join subscription reaches Redis
      TestClient other2 = TestClient.connect(cluster.uri(2), Serializer.JSON);
      TestClient other3 = TestClient.connect(cluster.uri(3), Serializer.JSON);
      try (other2; other3) {
        long id2 = other2.join("realm1").session();
        long id3 = other3.join("realm1").session();
        List<Long> joined = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          dev.tollgate.protocol.Event e = watcher1.expect(dev.tollgate.protocol.Event.class);
          joined.add(((Number) ((Map<?, ?>) e.payload().args().get(0)).get("session")).longValue());
        }
        assertTrue(joined.containsAll(List.of(id2, id3)), "on_join of other nodes' sessions: " + joined);
        long[] ids = {lastWelcome.get(watcher1), id2, id3};
        java.util.Set<Long> nodesOfIds = new java.util.HashSet<>();
        for (long id : ids) {
          nodesOfIds.add(id >>> 43);
          assertTrue(id > 0 && id <= 1L << 53, "a WAMP id: " + id);
        }
        assertEquals(3, nodesOfIds.size(), "each node gives ids under its own number");
        assertTrue(!nodesOfIds.contains(0L));

        List<Object> count = callForArgs(watcher1, "wamp.session.count", List.of());
        assertTrue(((Number) count.get(0)).intValue() >= 3, "every node's sessions count: " + count);
        assertEquals(List.of(List.of()), callForArgs(watcher1, "wamp.session.list", List.of(List.of("nobody"))),
            "a role filter applies to every node's sessions");
        List<?> list = (List<?>) callForArgs(watcher1, "wamp.session.list", List.of()).get(0);
        assertTrue(list.stream().map(o -> ((Number) o).longValue()).toList().containsAll(List.of(id2, id3)), "" + list);
        Map<?, ?> details = (Map<?, ?>) callForArgs(watcher1, "wamp.session.get", List.of(id3)).get(0);
        assertEquals(id3, ((Number) details.get("session")).longValue());
        assertEquals("anonymous", details.get("authrole"));

        // A subscription's subscribers, counted on every node.
        for (TestClient c : List.of(watcher1, other2, other3)) {
          c.send(new dev.tollgate.protocol.Subscribe(requests.incrementAndGet(), Map.of(), "com.example.counted"));
          c.expect(dev.tollgate.protocol.Subscribed.class);
        }
        Object subscription = callForArgs(watcher1, "wamp.subscription.lookup", List.of("com.example.counted")).get(0);
        awaitSubscribers(watcher1, subscription, 3);
        List<?> subscribers = (List<?>) callForArgs(watcher1, "wamp.subscription.list_subscribers",
            List.of(subscription)).get(0);
        assertEquals(java.util.Set.of(lastWelcome.get(watcher1), id2, id3),
            new java.util.HashSet<>(subscribers.stream().map(o -> ((Number) o).longValue()).toList()));

        callForArgs(watcher1, "wamp.session.kill", List.of(id2));
        assertEquals("wamp.close.normal", other2.expect(dev.tollgate.protocol.Goodbye.class).reason(),
            "a session on another node is ended by its own node");
        watcher1.send(new Call(requests.incrementAndGet(), Map.of(), "wamp.session.kill", Payload.of(List.of(12345L))));
        assertEquals("wamp.error.no_such_session", watcher1.expect(ErrorMessage.class).error());
        awaitSubscribers(watcher1, subscription, 2);
      }
    }
  }

  private final Map<TestClient, Long> lastWelcome = new HashMap<>();

  /** Every node's subscribers are counted within 5 s (each node writes its own to Redis just after SUBSCRIBED). */
  private void awaitSubscribers(TestClient caller, Object subscription, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    int counted;
    while ((counted = ((Number) callForArgs(caller, "wamp.subscription.count_subscribers", List.of(subscription))
        .get(0)).intValue()) != expected) {
      assertTrue(System.nanoTime() < deadline, "counted " + counted + " subscribers, not " + expected + ", after 5 s");
      Thread.sleep(50);
    }
  }

  private List<Object> callForArgs(TestClient c, String procedure, List<Object> args) {
    long request = requests.incrementAndGet();
    c.send(new Call(request, Map.of(), procedure, Payload.of(args)));
    Result r = c.expect(Result.class);
    assertEquals(request, r.requestId());
    return r.payload().argsOrEmpty();
  }

  @Test
  @Order(10)
  void aNodeKilledMidCallLeavesItsCallersAnErrorItsProceduresGoAndItsBackendMayReconnectElsewhere()
      throws Exception {
    RouterProcess doomed = cluster.add("node4");
    String ticket = new dev.tollgate.auth.TicketGenerator(dev.tollgate.auth.TicketSecret.of(ThreeNodes.SECRET),
        java.time.Clock.systemUTC()).anonymous();
    String withTicket = "/ws?ticket=" + java.net.URLEncoder.encode(ticket, java.nio.charset.StandardCharsets.UTF_8);
    try (TestClient callee4 = TestClient.connect(java.net.URI.create("ws://127.0.0.1:" + doomed.port() + "/ws"),
        Serializer.JSON); TestClient caller1 = join(1);
        TestClient backend4 = TestClient.connect(java.net.URI.create("ws://127.0.0.1:" + doomed.port() + withTicket),
            Serializer.JSON)) {
      assertEquals("backend", backend4.join("realm1").details().get("authrole"));
      assertTrue(RawHttp.upgrade(cluster.port(1), withTicket, "wamp.2.json").startsWith("HTTP/1.1 401"),
          "held by the backend's session on node 4");
      callee4.send(new Hello("realm1", Map.of("roles", ADVANCED_ROLES)));
      callee4.expect(Welcome.class);
      register(callee4, "com.example.doomed", Map.of());
      callOnceKnown(caller1, "com.example.doomed", callee4);

      long request = requests.incrementAndGet();
      caller1.send(new Call(request, Map.of(), "com.example.doomed", Payload.EMPTY));
      callee4.expect(Invocation.class);
      long killed = System.nanoTime();
      doomed.kill9();
      ErrorMessage error = caller1.poll(ErrorMessage.class, 15_000);
      assertTrue(error != null, "the caller got no answer within 15 s of the callee's node dying");
      long waitedMillis = (System.nanoTime() - killed) / 1_000_000;
      assertEquals(request, error.requestId());
      assertEquals("wamp.error.canceled", error.error());
      assertTrue(waitedMillis < 10_000, "ended within the heartbeat's expiry and two checks: " + waitedMillis + " ms");

      caller1.send(new Call(requests.incrementAndGet(), Map.of(), "com.example.doomed", Payload.EMPTY));
      assertEquals("wamp.error.no_such_procedure", caller1.expect(ErrorMessage.class).error());

      // Oro's backend publisher, cut off, reconnects through the front to another node with the ticket it has.
      String again = RawHttp.upgrade(cluster.port(1), withTicket, "wamp.2.json");
      assertTrue(again.startsWith("HTTP/1.1 101"), "the dead node's backend ticket is released: " + again);
    }
  }
}
