package dev.tollgate.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestRouters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Application values through Jackson in both directions: what is sent is what arrives, in every serializer. */
class ValuesTest {
  private static Router router;

  @BeforeAll
  static void start() {
    router = TestRouters.start();
  }

  @AfterAll
  static void stop() {
    router.close();
  }

  public record Line(String sku, int quantity) {}

  public record Order(String orderId, List<Line> lines, Status status) {}

  public enum Status { OPEN, SHIPPED }

  /** A bean, for the POJO path. */
  public static final class Customer {
    private String name;

    public Customer() {}

    Customer(String name) {
      this.name = name;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }
  }

  private static final Order ORDER = new Order("o-1", List.of(new Line("sku-1", 2), new Line("sku-2", 1)), Status.OPEN);

  private static WampClient client(Serializer serializer) {
    WampClient c = WampClient.builder().uri(router.uri()).serializer(serializer).build();
    c.connect().join();
    return c;
  }

  @ParameterizedTest
  @EnumSource(Serializer.class)
  void recordsBeansAndEnumsGoOutAsArgumentsKwargsAndResultsAndComeBackAsTheyWere(Serializer serializer) {
    try (WampClient callee = client(serializer); WampClient caller = client(Serializer.JSON)) {
      callee.register("com.example.orders.ship", call -> {
        Order order = call.arg(0, Order.class);
        Customer customer = call.kwargs(CustomerKwargs.class).customer();
        // a handler returns a record, and Values may hold records too
        return new Values(List.of(new Order(order.orderId(), order.lines(), Status.SHIPPED)),
            Map.of("customer", customer, "lines", order.lines().size()), null);
      }).join();
      Values result = caller.call("com.example.orders.ship", List.of(ORDER),
          Map.of("customer", new Customer("Ada")), Options.Call.DEFAULT).join();
      assertEquals(new Order("o-1", ORDER.lines(), Status.SHIPPED), result.as(Order.class));
      assertEquals("Ada", result.kwargs(CustomerKwargs.class).customer().getName());
      assertEquals(2, result.kwargs().get("lines"));

      callee.register("com.example.orders.first", call -> call.arg(0, Order.class).lines().get(0)).join();
      assertEquals(new Line("sku-1", 2), caller.call("com.example.orders.first", ORDER).join().as(Line.class));
    }
  }

  public record CustomerKwargs(Customer customer) {}

  @ParameterizedTest
  @EnumSource(Serializer.class)
  void aPublishedRecordArrivesAsOne(Serializer serializer) {
    try (WampClient sub = client(serializer); WampClient pub = client(Serializer.MSGPACK)) {
      List<Values> got = new CopyOnWriteArrayList<>();
      sub.subscribe("com.example.orders", got::add).join();
      pub.publish("com.example.orders", List.of(ORDER, List.of(ORDER)), Map.of("by", new Customer("Ada")),
          Options.Publish.ACKNOWLEDGED).join();
      await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
      assertEquals(ORDER, got.get(0).arg(0, Order.class));
      assertEquals(List.of(ORDER), got.get(0).arg(1, new TypeReference<List<Order>>() {}));
      assertEquals(Map.of("by", Map.of("name", "Ada")), got.get(0).kwargs(), "a bean arrives as the dict it was written as");
    }
  }

  @Test
  void theBuildersMapperDecidesTheShapeBothWays() {
    ObjectMapper snake = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    try (WampClient sub = WampClient.builder().uri(router.uri()).objectMapper(snake).build();
        WampClient raw = client(Serializer.JSON)) {
      sub.connect().join();
      List<Values> typed = new CopyOnWriteArrayList<>();
      List<Values> plain = new CopyOnWriteArrayList<>();
      sub.subscribe("com.example.snake", typed::add).join();
      raw.subscribe("com.example.snake", plain::add).join();
      sub.publish("com.example.snake", List.of(new Line("sku-9", 3)), Map.of(),
          Options.Publish.ACKNOWLEDGED.withExcludeMe(false)).join();
      await().atMost(Duration.ofSeconds(5)).until(() -> typed.size() == 1 && plain.size() == 1);
      assertEquals(new Line("sku-9", 3), typed.get(0).as(Line.class));
      assertEquals(List.of(Map.of("sku", "sku-9", "quantity", 3)), plain.get(0).args());

      Order order = new Order("o-2", List.of(), Status.OPEN);
      sub.publish("com.example.snake", List.of(order), Map.of(), Options.Publish.ACKNOWLEDGED).join();
      await().atMost(Duration.ofSeconds(5)).until(() -> plain.size() == 2);
      assertEquals(Map.of("order_id", "o-2", "lines", List.of(), "status", "OPEN"), plain.get(1).args().get(0));
    }
  }

  @Test
  void aValueThatDoesNotConvertSaysWhichAndWhere() {
    Values v = new Values(List.of("not a number"), Map.of(), Map.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.arg(0, Integer.class));
    assertEquals(true, e.getMessage().contains("not a number"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> v.arg(1, String.class));
  }
}
