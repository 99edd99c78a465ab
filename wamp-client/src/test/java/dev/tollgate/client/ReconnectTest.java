package dev.tollgate.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestRouters;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The client against a router that goes away and comes back, with Oro tickets that are one-time. */
class ReconnectTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  private final TicketGenerator tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());

  private static Router start(int port, String db) {
    return TestRouters.start(Map.of("server.port", String.valueOf(port), "db.url", db, "auth.secret", SECRET,
        "rules.preset", "open"));
  }

  @Test
  void afterTheRouterRestartsSubscriptionsAndRegistrationsAreBackWithFreshTickets() throws Exception {
    String db = TestRouters.newDatabaseUrl();
    Router first = start(0, db);
    int port = first.port();
    AtomicInteger ticketsAsked = new AtomicInteger();
    List<WampClient.State> states = new CopyOnWriteArrayList<>();
    WampClient backend = WampClient.builder().uri(first.uri()).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .urlTicket(() -> {
          ticketsAsked.incrementAndGet();
          return tickets.anonymous();
        })
        .listener(new WampClient.Listener() {
          @Override
          public void onStateChanged(WampClient.State state, Throwable cause) {
            states.add(state);
          }
        }).build();
    WampClient caller = WampClient.builder().uri(first.uri()).ticket(null, tickets::anonymous)
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
    backend.connect().join();
    caller.connect().join();
    List<Values> events = new CopyOnWriteArrayList<>();
    backend.subscribe("com.example.restart", events::add).join();
    backend.register("com.example.echo", call -> call.args().get(0)).join();
    java.util.concurrent.CountDownLatch invoked = new java.util.concurrent.CountDownLatch(1);
    Registration blocking = backend.register("com.example.never", call -> {
      invoked.countDown();
      return new CompletableFuture<>();
    }).join();
    CompletableFuture<Values> inFlight = caller.call("com.example.never");
    // The call is in flight once the callee has it; closing sooner could find the callee gone and the call refused.
    assertTrue(invoked.await(5, java.util.concurrent.TimeUnit.SECONDS), "the callee was never invoked");

    first.close();
    CompletionException lost = assertThrows(CompletionException.class, inFlight::join);
    assertInstanceOf(ConnectionLostException.class, lost.getCause(), "a call in flight fails clearly: " + lost.getCause());

    try (Router second = start(port, db)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> backend.state() == WampClient.State.CONNECTED
          && caller.state() == WampClient.State.CONNECTED);
      // A fresh one-time ticket at every attempt: attempts made while the router was down asked too, and the second
      // router shares the first one's database, where a ticket used before is refused.
      assertTrue(ticketsAsked.get() >= 2, "tickets asked: " + ticketsAsked.get());
      assertTrue(states.contains(WampClient.State.RECONNECTING), states.toString());
      assertEquals("again", caller.call("com.example.echo", "again").join().as(String.class));
      caller.publish("com.example.restart", List.of("after"), Map.of(), Options.Publish.ACKNOWLEDGED).join();
      await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
      assertEquals(List.of("after"), events.get(0).args());
      blocking.unregister().join();
      backend.close();
      caller.close();
    }
  }

  /** Counts the listener's reconnection news and keeps the states it went through. */
  private static final class Watcher implements WampClient.Listener {
    final List<WampClient.State> states = new CopyOnWriteArrayList<>();
    final AtomicInteger scheduled = new AtomicInteger();
    final List<Object> lost = new CopyOnWriteArrayList<>();
    volatile long connectedAt;

    @Override
    public void onStateChanged(WampClient.State state, Throwable cause) {
      states.add(state);
      if (state == WampClient.State.CONNECTED) {
        connectedAt = System.nanoTime();
      }
    }

    @Override
    public void onReconnectScheduled(int attempt, Duration delay, Throwable cause) {
      scheduled.incrementAndGet();
    }

    @Override
    public void onSubscriptionLost(Subscription subscription, Throwable cause) {
      lost.add(subscription.topic());
    }

    @Override
    public void onRegistrationLost(Registration registration, Throwable cause) {
      lost.add(registration.procedure());
    }
  }

  @Test
  void aTicketSupplierThatThrowsWhileTheRouterIsDownDoesNotStopReconnection() throws Exception {
    String db = TestRouters.newDatabaseUrl();
    Router first = start(0, db);
    int port = first.port();
    java.util.concurrent.atomic.AtomicBoolean ticketsAvailable = new java.util.concurrent.atomic.AtomicBoolean(true);
    AtomicInteger supplierFailures = new AtomicInteger();
    Watcher watcher = new Watcher();
    WampClient backend = WampClient.builder().uri(first.uri()).listener(watcher)
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .urlTicket(() -> {
          if (!ticketsAvailable.get()) {
            supplierFailures.incrementAndGet();
            throw new IllegalStateException("the ticket endpoint is down too"); // as Oro's would be, mid-restart
          }
          return tickets.anonymous();
        }).build();
    backend.connect().join();
    List<Values> events = new CopyOnWriteArrayList<>();
    backend.subscribe("com.example.after-outage", events::add).join();

    ticketsAvailable.set(false);
    first.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> supplierFailures.get() >= 3);
    assertEquals(WampClient.State.RECONNECTING, backend.state());
    try (Router second = start(port, db)) {
      long back = System.nanoTime();
      ticketsAvailable.set(true);
      await().atMost(Duration.ofSeconds(10)).until(() -> backend.state() == WampClient.State.CONNECTED);
      long recoveredMillis = (watcher.connectedAt - back) / 1_000_000;
      System.out.printf("reconnected %d ms after the router and its tickets were back (backoff 50..200 ms; %d "
          + "attempts failed on the supplier)%n", recoveredMillis, supplierFailures.get());
      assertTrue(watcher.scheduled.get() >= 3, "each failed attempt scheduled the next: " + watcher.scheduled);
      try (WampClient publisher = WampClient.builder().uri(second.uri()).urlTicket(tickets::anonymous).build()) {
        publisher.connect().join();
        publisher.publish("com.example.after-outage", List.of(1), Map.of(), Options.Publish.ACKNOWLEDGED).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
      }
      backend.close();
      assertEquals(WampClient.State.CLOSED, backend.state());
    }
  }

  @Test
  void whatTheRouterRefusesToRestoreIsReportedAndTheRestWorks() throws Exception {
    String db = TestRouters.newDatabaseUrl();
    Router first = start(0, db);
    int port = first.port();
    java.util.concurrent.atomic.AtomicBoolean ticketsAvailable = new java.util.concurrent.atomic.AtomicBoolean(true);
    Watcher watcher = new Watcher();
    WampClient backend = WampClient.builder().uri(first.uri()).listener(watcher)
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .urlTicket(() -> {
          if (!ticketsAvailable.get()) {
            throw new IllegalStateException("not yet");
          }
          return tickets.anonymous();
        }).build();
    backend.connect().join();
    Registration unique = backend.register("com.example.unique", call -> "mine").join();
    backend.register("com.example.other", call -> "still here").join();

    ticketsAvailable.set(false);
    first.close();
    try (Router second = start(port, db);
        WampClient rival = WampClient.builder().uri(second.uri()).urlTicket(tickets::anonymous).build()) {
      rival.connect().join();
      rival.register("com.example.unique", call -> "the rival's").join(); // took it while the backend was away
      ticketsAvailable.set(true);
      await().atMost(Duration.ofSeconds(10)).until(() -> backend.state() == WampClient.State.CONNECTED);

      ApplicationException refused = assertInstanceOf(ApplicationException.class,
          assertThrows(java.util.concurrent.ExecutionException.class,
              () -> unique.ended().get(5, java.util.concurrent.TimeUnit.SECONDS)).getCause());
      assertEquals("wamp.error.procedure_already_exists", refused.uri());
      await().atMost(Duration.ofSeconds(5)).until(() -> watcher.lost.equals(List.of("com.example.unique")));
      assertEquals("still here", rival.call("com.example.other").join().as(String.class));
      assertEquals("the rival's", backend.call("com.example.unique").join().as(String.class));
      backend.close();
    }
  }

  @Test
  void closeWinsWhileReconnecting() throws Exception {
    Router first = start(0, TestRouters.newDatabaseUrl());
    Watcher watcher = new Watcher();
    WampClient backend = WampClient.builder().uri(first.uri()).listener(watcher)
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(100)).urlTicket(tickets::anonymous).build();
    backend.connect().join();
    first.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.scheduled.get() >= 2);
    backend.closeAsync().get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(WampClient.State.CLOSED, backend.state());
    int attempts = watcher.scheduled.get();
    Thread.sleep(300);
    assertEquals(attempts, watcher.scheduled.get(), "no attempt after close()");
    assertEquals(WampClient.State.CLOSED, watcher.states.get(watcher.states.size() - 1));
  }

  @Test
  void withoutReconnectionALostSessionEndsTheClientWithItsCause() throws Exception {
    Router first = start(0, TestRouters.newDatabaseUrl());
    List<Throwable> causes = new CopyOnWriteArrayList<>();
    List<WampClient.State> states = new CopyOnWriteArrayList<>();
    WampClient backend = WampClient.builder().uri(first.uri()).reconnect(false).urlTicket(tickets::anonymous)
        .listener(new WampClient.Listener() {
          @Override
          public void onStateChanged(WampClient.State state, Throwable cause) {
            states.add(state);
            if (cause != null) {
              causes.add(cause);
            }
          }
        }).build();
    backend.connect().join();
    first.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> backend.state() == WampClient.State.CLOSED);
    await().atMost(Duration.ofSeconds(5)).until(() -> states.size() == 3);
    assertEquals(List.of(WampClient.State.CONNECTING, WampClient.State.CONNECTED, WampClient.State.CLOSED), states);
    assertEquals(1, causes.size());
    assertInstanceOf(ConnectionLostException.class, causes.get(0), "the router's shutdown, as the client saw it");
    backend.closeAsync().get(5, java.util.concurrent.TimeUnit.SECONDS); // closing a closed client completes at once
  }

  @Test
  void closeWinsOverAFirstConnectStillUnderWay() throws Exception {
    try (Router router = start(0, TestRouters.newDatabaseUrl())) {
      java.util.concurrent.CountDownLatch supplierEntered = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      WampClient backend = WampClient.builder().uri(router.uri()).urlTicket(() -> {
        supplierEntered.countDown();
        try {
          release.await(); // a ticket fetch that hangs
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return tickets.anonymous();
      }).build();
      CompletableFuture<SessionDetails> connecting = backend.connect();
      assertTrue(supplierEntered.await(5, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(WampClient.State.CONNECTING, backend.state());
      backend.closeAsync().get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(WampClient.State.CLOSED, backend.state());
      assertInstanceOf(ConnectionLostException.class,
          assertThrows(java.util.concurrent.ExecutionException.class,
              () -> connecting.get(5, java.util.concurrent.TimeUnit.SECONDS)).getCause());
      release.countDown(); // the supplier returns: the abandoned attempt must not join now
      Thread.sleep(300);
      assertEquals(WampClient.State.CLOSED, backend.state());
    }
  }
}
