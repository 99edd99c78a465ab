package dev.tollgate.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.User;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connecting, who the client is, closing, refusals and the threading contract, against a real router. */
class LifecycleTest {
  private static final String SECRET = RouterWithJohn.SECRET;
  private static final TicketGenerator TICKETS = RouterWithJohn.TICKETS;
  private static RouterWithJohn fixture;
  private static Router router;
  private static User john;

  @BeforeAll
  static void start() {
    fixture = new RouterWithJohn();
    router = fixture.router;
    john = fixture.john;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static Throwable failureOf(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  /** Records the listener's calls as words, in the order they came. */
  private static final class Recorder implements WampClient.Listener {
    final List<String> heard = new CopyOnWriteArrayList<>();
    final List<Throwable> causes = new CopyOnWriteArrayList<>();

    @Override
    public void onStateChanged(WampClient.State state, Throwable cause) {
      heard.add(state.name());
      if (cause != null) {
        causes.add(cause);
      }
    }

    @Override
    public void onJoined(SessionDetails session) {
      heard.add("joined " + session.sessionId());
    }
  }

  @Test
  void connectCompletesWithWhoTheClientIsAfterTheListenerHeardTheJoin() throws Exception {
    Recorder recorder = new Recorder();
    try (WampClient c = WampClient.builder().uri(router.uri()).listener(recorder)
        .urlTicket(() -> fixture.johnsTicket()).build()) {
      List<String> whenConnected = new ArrayList<>();
      SessionDetails session = c.connect().thenApply(d -> {
        whenConnected.addAll(recorder.heard); // what the listener had heard when connect() completed
        return d;
      }).get(10, TimeUnit.SECONDS);
      assertEquals("john", session.authid());
      assertEquals("user", session.authrole());
      assertEquals("ticket", session.authmethod());
      assertEquals("realm1", session.realm());
      assertEquals(Map.of("user_id", john.id()), Map.of("user_id", ((Number) session.authextra().get("user_id")).longValue()));
      assertEquals(c.sessionId(), session.sessionId());
      assertEquals(session, c.session());
      assertEquals(List.of("CONNECTING", "joined " + session.sessionId(), "CONNECTED"), whenConnected);
    }
  }

  @Test
  void closeEndsTheSessionAndTheClientsOwnGoodbyeIsNoFailure() throws Exception {
    Recorder recorder = new Recorder();
    WampClient c = WampClient.builder().uri(router.uri()).listener(recorder).build();
    long id = c.connect().get(10, TimeUnit.SECONDS).sessionId();
    CompletableFuture<Void> closed = c.closeAsync();
    closed.get(5, TimeUnit.SECONDS);
    assertEquals(WampClient.State.CLOSED, c.state());
    assertEquals(closed, c.closeAsync(), "one close, one future");
    assertNull(c.session());
    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.heard.contains("CLOSED"));
    assertEquals(List.of("CONNECTING", "joined " + id, "CONNECTED", "CLOSED"), recorder.heard);
    assertEquals(List.of(), recorder.causes, "closing is not a lost connection");
    assertInstanceOf(ConnectionLostException.class, failureOf(c.publish("com.example.after")));
    assertInstanceOf(IllegalStateException.class, failureOf(c.connect()), "a closed client stays closed");
    try (WampClient admin = WampClient.builder().uri(router.uri()).build()) {
      admin.connect().join();
      assertEquals("wamp.error.no_such_session", ((ApplicationException) failureOf(admin.meta().session(id))).uri(),
          "the router has let the session go by the time close() completed");
    }
  }

  @Test
  void closeBeforeConnectAndCloseTwiceAreHarmless() throws Exception {
    WampClient c = WampClient.builder().uri(router.uri()).build();
    c.close();
    c.close();
    assertEquals(WampClient.State.CLOSED, c.state());
    assertInstanceOf(IllegalStateException.class, failureOf(c.connect()));
  }

  @Test
  void aRefusedTicketSaysWhyInATypedException() {
    WampClient c = WampClient.builder().uri(router.uri()).urlTicket(() -> "not-a-ticket").build();
    SessionRefusedException refused = assertInstanceOf(SessionRefusedException.class, failureOf(c.connect()));
    assertEquals(401, refused.httpStatus());
    assertEquals("wamp.error.authentication_failed", refused.reason());
    assertNotNull(refused.routerMessage(), "the router's own words, from the 401's body");
    assertTrue(refused.getMessage().contains(refused.routerMessage()), refused.getMessage());
    assertEquals(WampClient.State.CLOSED, c.state());
  }

  @Test
  void anAbortSaysWhyInATypedException() {
    WampClient c = WampClient.builder().uri(router.uri()).realm("no.such.realm").build();
    SessionRefusedException refused = assertInstanceOf(SessionRefusedException.class, failureOf(c.connect()));
    assertEquals(0, refused.httpStatus());
    assertEquals("wamp.error.no_such_realm", refused.reason());
    assertNotNull(refused.routerMessage());
  }

  @Test
  void aTicketSupplierThatThrowsFailsTheFirstConnectWithItsCause() {
    IllegalStateException broken = new IllegalStateException("ticket endpoint down");
    WampClient c = WampClient.builder().uri(router.uri()).urlTicket(() -> {
      throw broken;
    }).build();
    ConnectionLostException lost = assertInstanceOf(ConnectionLostException.class, failureOf(c.connect()));
    assertEquals(broken, lost.getCause());
    assertEquals(WampClient.State.CLOSED, c.state());
  }

  @Test
  void futuresAndHandlersRunOnTheClientsOwnThreadsAndMayBlockOnTheClient() throws Exception {
    try (WampClient callee = WampClient.builder().uri(router.uri()).build(); WampClient c = WampClient.builder()
        .uri(router.uri()).build()) {
      callee.connect().join();
      callee.register("com.example.echo", call -> call.args().get(0)).join();
      List<String> threads = Collections.synchronizedList(new ArrayList<>());
      // blocking on the client inside the future connect() completes: the call's answer comes on another thread
      String echoed = c.connect().thenApply(d -> {
        threads.add(Thread.currentThread().getName());
        return c.call("com.example.echo", "from connect").join().as(String.class);
      }).get(10, TimeUnit.SECONDS);
      assertEquals("from connect", echoed);
      // and inside an event handler
      CompletableFuture<String> fromHandler = new CompletableFuture<>();
      c.subscribe("com.example.blocking", event -> {
        threads.add(Thread.currentThread().getName());
        fromHandler.complete(c.call("com.example.echo", "from a handler").join().as(String.class));
      }).join();
      c.publish("com.example.blocking", List.of(), Map.of(), Options.Publish.ACKNOWLEDGED.withExcludeMe(false)).join();
      assertEquals("from a handler", fromHandler.get(10, TimeUnit.SECONDS));
      // a call's future completes on the client's threads (the dependent is attached before the answer can come)
      CompletableFuture<Object> gate = new CompletableFuture<>();
      callee.register("com.example.gated", call -> gate).join();
      CompletableFuture<Void> done = c.call("com.example.gated").thenRun(() -> threads.add(Thread.currentThread().getName()));
      gate.complete("now");
      done.get(10, TimeUnit.SECONDS);
      assertEquals(3, threads.size());
      assertTrue(threads.stream().allMatch(t -> t.startsWith("wamp-client-")), threads.toString());
    }
  }

  @Test
  void aGivenExecutorRunsEverything() throws Exception {
    var executor = Executors.newCachedThreadPool(r -> new Thread(r, "app-thread"));
    try (WampClient c = WampClient.builder().uri(router.uri()).executor(executor).build()) {
      String thread = c.connect().thenApply(d -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
      assertEquals("app-thread", thread);
      CompletableFuture<Object> gate = new CompletableFuture<>();
      c.register("com.example.gated-failure", call -> gate).join();
      CompletableFuture<String> failed = new CompletableFuture<>();
      c.call("com.example.gated-failure").whenComplete((v, e) -> failed.complete(Thread.currentThread().getName()));
      gate.completeExceptionally(new ApplicationException("com.example.error.late"));
      assertEquals("app-thread", failed.get(10, TimeUnit.SECONDS), "a failure too is delivered on the executor");
    } finally {
      executor.shutdown();
    }
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheClient() throws Exception {
    try (WampClient c = WampClient.builder().uri(router.uri()).listener(new WampClient.Listener() {
      @Override
      public void onJoined(SessionDetails session) {
        throw new IllegalStateException("a careless listener");
      }
    }).build()) {
      c.connect().get(10, TimeUnit.SECONDS);
      assertEquals(WampClient.State.CONNECTED, c.state());
    }
  }

  @Test
  void publishNeverThrowsItFailsItsFuture() {
    try (WampClient c = WampClient.builder().uri(router.uri()).build()) {
      c.connect().join();
      CompletableFuture<Void> f = c.publish("com.example.x", List.of(new Object()), Map.of(), Options.Publish.DEFAULT);
      assertInstanceOf(IllegalArgumentException.class, failureOf(f));
      CompletionException e = assertThrows(CompletionException.class,
          () -> c.call("com.example.x", List.of(new Object()), Map.of(), Options.Call.DEFAULT).join());
      assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }
  }
}
