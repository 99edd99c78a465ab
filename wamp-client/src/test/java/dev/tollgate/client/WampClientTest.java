package dev.tollgate.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.Serializer;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestRouters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WampClientTest {
  private static Router router;

  @BeforeAll
  static void start() {
    router = TestRouters.start();
  }

  @AfterAll
  static void stop() {
    router.close();
  }

  private static WampClient client(Serializer serializer) {
    WampClient c = WampClient.builder().uri(router.uri()).realm("realm1").serializer(serializer).build();
    c.connect().join();
    return c;
  }

  /** An order, as a backend would map an event's payload. */
  public record Order(String id, int quantity) {}

  private static Throwable failureOf(CompletableFuture<?> future) {
    CompletionException e = assertThrows(CompletionException.class, future::join);
    return e.getCause();
  }

  @ParameterizedTest
  @EnumSource(Serializer.class)
  void eventsArriveInOrderAndMapToTypes(Serializer serializer) throws Exception {
    try (WampClient sub = client(serializer); WampClient pub = client(serializer)) {
      List<Object> received = new CopyOnWriteArrayList<>();
      CountDownLatch all = new CountDownLatch(100);
      sub.subscribe("com.example.orders", event -> {
        received.add(event.arg(0, Order.class));
        all.countDown();
      }).join();
      for (int i = 0; i < 100; i++) {
        pub.publish("com.example.orders", List.of(Map.of("id", "o-" + i, "quantity", i)), Map.of(), Options.Publish.DEFAULT);
      }
      assertTrue(all.await(10, TimeUnit.SECONDS), "received " + received.size());
      for (int i = 0; i < 100; i++) {
        assertEquals(new Order("o-" + i, i), received.get(i));
      }
    }
  }

  @Test
  void aPublisherDoesNotGetItsOwnEventUnlessItAsks() throws Exception {
    try (WampClient c = client(Serializer.JSON)) {
      List<Values> got = new CopyOnWriteArrayList<>();
      c.subscribe("com.example.self", got::add).join();
      c.publish("com.example.self", List.of("excluded"), Map.of(), Options.Publish.ACKNOWLEDGED).join();
      c.publish("com.example.self", List.of("mine"), Map.of(), Options.Publish.ACKNOWLEDGED.withExcludeMe(false)).join();
      await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
      assertEquals(List.of("mine"), got.get(0).args());
    }
  }

  @Test
  void aSubscriptionEndsWhenUnsubscribed() throws Exception {
    try (WampClient sub = client(Serializer.JSON); WampClient pub = client(Serializer.JSON)) {
      List<Values> got = new CopyOnWriteArrayList<>();
      Subscription s = sub.subscribe("com.example.unsub", got::add).join();
      pub.publish("com.example.unsub", List.of(1), Map.of(), Options.Publish.ACKNOWLEDGED).join();
      await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
      s.unsubscribe().join();
      pub.publish("com.example.unsub", List.of(2), Map.of(), Options.Publish.ACKNOWLEDGED).join();
      Thread.sleep(200);
      assertEquals(1, got.size());
    }
  }

  @Test
  void callsReachHandlersThatReturnValuesFuturesOrErrors() {
    try (WampClient callee = client(Serializer.MSGPACK); WampClient caller = client(Serializer.JSON)) {
      callee.register("com.example.add", call -> call.arg(0, Integer.class) + call.arg(1, Integer.class)).join();
      callee.register("com.example.later", call -> CompletableFuture.supplyAsync(() -> "done")).join();
      callee.register("com.example.both", call -> new Values(List.of(1, 2), Map.of("k", "v"), null)).join();
      callee.register("com.example.fail", call -> {
        throw new ApplicationException("com.example.error.bad", List.of("why"), Map.of("code", 7));
      }).join();
      callee.register("com.example.crash", call -> {
        throw new IllegalStateException("boom");
      }).join();

      assertEquals(5, caller.call("com.example.add", 2, 3).join().as(Integer.class));
      assertEquals("done", caller.call("com.example.later").join().as(String.class));
      Values both = caller.call("com.example.both").join();
      assertEquals(List.of(1, 2), both.args());
      assertEquals(Map.of("k", "v"), both.kwargs());

      ApplicationException bad = assertInstanceOf(ApplicationException.class, failureOf(caller.call("com.example.fail")));
      assertEquals("com.example.error.bad", bad.uri());
      assertEquals(List.of("why"), bad.args());
      assertEquals(Map.of("code", 7), bad.kwargs());
      ApplicationException crash = assertInstanceOf(ApplicationException.class, failureOf(caller.call("com.example.crash")));
      assertEquals("wamp.error.runtime_error", crash.uri());
      assertEquals(List.of("boom"), crash.args());
      callee.register("com.example.unsendable", call -> new Object()).join();
      ApplicationException unsendable = assertInstanceOf(ApplicationException.class,
          failureOf(caller.call("com.example.unsendable")));
      assertEquals("wamp.error.runtime_error", unsendable.uri(), "a result Jackson cannot write is answered, not dropped");
      ApplicationException none = assertInstanceOf(ApplicationException.class, failureOf(caller.call("com.example.nobody")));
      assertEquals("wamp.error.no_such_procedure", none.uri());
    }
  }

  @Test
  void aCallTimesOutAndAnUnregisteredProcedureIsGone() {
    try (WampClient callee = client(Serializer.JSON); WampClient caller = client(Serializer.JSON)) {
      Registration slow = callee.register("com.example.slow", call -> new CompletableFuture<>()).join();
      ApplicationException timeout = assertInstanceOf(ApplicationException.class, failureOf(
          caller.call("com.example.slow", List.of(), Map.of(), Options.Call.DEFAULT.withTimeout(Duration.ofMillis(200)))));
      assertEquals("wamp.error.timeout", timeout.uri());
      slow.unregister().join();
      assertEquals("wamp.error.no_such_procedure",
          ((ApplicationException) failureOf(caller.call("com.example.slow"))).uri());
    }
  }

  @Test
  void aRefusedAcknowledgedPublishFails() {
    try (WampClient c = client(Serializer.JSON)) {
      ApplicationException e = assertInstanceOf(ApplicationException.class,
          failureOf(c.publish("bad uri", List.of(), Map.of(), Options.Publish.ACKNOWLEDGED)));
      assertEquals("wamp.error.invalid_uri", e.uri());
    }
  }

  @Test
  void anUnreachableRouterFailsConnectAndTheClientIsClosed() {
    WampClient c = WampClient.builder().uri("ws://127.0.0.1:1/ws").connectTimeout(Duration.ofSeconds(2)).build();
    assertInstanceOf(ConnectionLostException.class, failureOf(c.connect()));
    await().atMost(Duration.ofSeconds(2)).until(() -> c.state() == WampClient.State.CLOSED);
    assertInstanceOf(ConnectionLostException.class, failureOf(c.publish("com.example.x")));
  }

  @Test
  void theBuilderChecksItsArgumentsAtOnce() {
    assertEquals("uri: expected a ws:// or wss:// URL but was http://x",
        assertThrows(IllegalArgumentException.class, () -> WampClient.builder().uri("http://x")).getMessage());
    assertThrows(IllegalStateException.class, () -> WampClient.builder().build());
    assertThrows(IllegalArgumentException.class,
        () -> WampClient.builder().reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }

  @Test
  void stateChangesAreObservable() {
    List<WampClient.State> states = Collections.synchronizedList(new ArrayList<>());
    WampClient c = WampClient.builder().uri(router.uri()).listener(new WampClient.Listener() {
      @Override
      public void onStateChanged(WampClient.State state, Throwable cause) {
        states.add(state);
      }
    }).build();
    c.connect().join();
    c.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(WampClient.State.CLOSED));
    assertEquals(List.of(WampClient.State.CONNECTING, WampClient.State.CONNECTED, WampClient.State.CLOSED), states);
  }
}
