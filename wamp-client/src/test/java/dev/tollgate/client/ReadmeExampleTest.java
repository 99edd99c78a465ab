package dev.tollgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestRouters;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The README's two client examples, as written there, against a real router. */
class ReadmeExampleTest {

  @Test
  void theReadmeExamplesWork() {
    String secret = "ThisTokenIsNotSoSecretChangeIt";
    // The first example joins without a ticket: a router with a secret lets it in only when told to.
    try (Router router = TestRouters.start(Map.of("auth.secret", secret, "auth.allow-anonymous", "true"))) {
      String url = router.uri().toString();
      List<String> printed = new CopyOnWriteArrayList<>();
      int sum;
      try (WampClient client = WampClient.builder().uri(url).realm("realm1").build()) {
        client.connect().join();
        client.subscribe("com.example.orders", event -> printed.add("order " + event.arg(0, String.class))).join();
        client.register("com.example.add", call -> call.arg(0, Integer.class) + call.arg(1, Integer.class)).join();
        sum = client.call("com.example.add", 2, 3).join().as(Integer.class);

        var tickets = new TicketGenerator(TicketSecret.of(secret), Clock.systemUTC());
        var oro = WampClient.builder().uri(url).urlTicket(tickets::anonymous).build();
        oro.connect().thenCompose(x -> oro.publish("com.example.orders", List.of("o-1"), Map.of(), Options.Publish.ACKNOWLEDGED)).join();
        oro.close();
        Awaitility.await().until(() -> printed.size() == 1);
      }
      assertEquals(5, sum);
      assertEquals(List.of("order o-1"), printed);
    }
  }

  /** The Advanced Profile example, as written there; only the callee of com.example.report and the checks are added. */
  @Test
  void theAdvancedProfileExampleWorks() throws Exception {
    try (Router router = TestRouters.start(); WampClient client = WampClient.builder().uri(router.uri()).build();
        WampClient reporter = WampClient.builder().uri(router.uri()).build()) {
      client.connect().join();
      reporter.connect().join();
      reporter.registerProgressive("com.example.report", invocation -> {
        invocation.progress(List.of(1), Map.of());
        invocation.progress(List.of(2), Map.of());
        return "2 pages of " + invocation.call().arg(0, Integer.class);
      }, Options.Register.DEFAULT).join();
      List<String> printed = new CopyOnWriteArrayList<>();
      reporter.subscribe("oro/data/update", event -> { }).join();

      CallFuture report = client.call("com.example.report", List.of(2026), Map.of(), Options.Call.DEFAULT
          .withTimeout(Duration.ofSeconds(30)).withProgress(partial -> printed.add("page " + partial.args())));
      // report.cancel(Options.CancelMode.KILL) would interrupt the callee; report.cancel(true) gives up at once
      String summary = report.join().as(String.class);

      client.registerProgressive("com.example.upload", invocation -> {
        invocation.progress(List.of("started"), Map.of());           // sent only if the caller asked
        var whole = new CompletableFuture<Object>();
        var bytes = new StringBuilder(invocation.call().arg(0, String.class));
        if (!invocation.hasMoreInput()) return bytes.length();
        invocation.onInput(piece -> { bytes.append(piece.arg(0, String.class)); if (!piece.isProgress()) whole.complete(bytes.length()); });
        return whole;
      }, Options.Register.DEFAULT);
      ProgressiveCall upload = client.callInPieces("com.example.upload", Options.Call.DEFAULT);
      upload.send(List.of("ab"), Map.of());
      int length = upload.finish(List.of("cd"), Map.of()).join().as(Integer.class);   // 4

      client.addTestament("com.example.presence.offline", List.of("backend-1"), Map.of(), Options.Publish.DEFAULT,
          Options.TestamentScope.DESTROYED).join();

      client.meta().onSessionJoin(info -> printed.add(info.authid() + " joined as " + info.authrole()));
      int sessions = client.meta().sessionCount().join();
      Long id = client.meta().subscriptions().lookup("oro/data/update", null).join();   // null: nobody subscribed
      List<Long> subscribers = client.meta().subscriptions().members(id).join();

      assertEquals("2 pages of 2026", summary);
      assertEquals(List.of("page [1]", "page [2]"), printed);
      assertEquals(4, length);
      assertEquals(2, sessions);
      assertEquals(List.of(reporter.sessionId()), subscribers);
    }
  }
}
