package dev.tollgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestRouters;
import java.time.Clock;
import java.util.List;
import java.util.Map;
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
}
