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
}
