package dev.tollgate.compat.ratchet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestClient;
import dev.tollgate.router.TestRouters;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where Oro actually runs its backend publisher, beyond one publish per connection: a path-less DSN, a connection
 * kept for the life of a message-queue consumer that never reads, and a mass update past 1 MiB. With Ratchet none of
 * these loses an event; with Tollgate's defaults none may either.
 */
class OroPublisherDropInTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  private static final String TOPIC = "oro/data/update";
  private final TicketGenerator tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());

  private static Router oroRouter(String... settings) {
    // The subscriber stands for a page; it joins without a ticket, which a router with a secret refuses by default.
    Map<String, String> s = new HashMap<>(Map.of("auth.secret", SECRET, "rules.preset", "oro", "auth.allow-anonymous", "true"));
    for (int i = 0; i < settings.length; i += 2) {
      s.put(settings[i], settings[i + 1]);
    }
    return TestRouters.start(s);
  }

  private static TestClient subscriber(Router router) {
    TestClient c = TestClient.connect(router, Serializer.JSON);
    c.join("realm1");
    c.send(new Subscribe(1, Map.of(), TOPIC));
    c.expect(Subscribed.class);
    return c;
  }

  /**
   * Oro documents ORO_WEBSOCKET_BACKEND_DSN=tcp://127.0.0.1:8080 (and websocket_backend_path defaults to "" up to
   * 5.0): its publisher then asks for "/" or names no path at all. Ratchet accepted any path; so does Tollgate.
   */
  @Test
  void aPathlessDsnAndAnyOtherPathAreWelcomedByDefault() throws Exception {
    try (Router router = oroRouter(); TestClient page = subscriber(router)) {
      int i = 0;
      for (String path : List.of("", "/", "/ws", "/websocket")) {
        for (OroBackendPublisher.Reading reading : OroBackendPublisher.Reading.values()) {
          for (int n = 0; n < 25; n++, i++) {
            OroBackendPublisher.publish("127.0.0.1", router.port(), path, tickets.anonymous(), reading, TOPIC,
                "{\"i\":" + i + "}");
            assertEquals(List.of(Map.of("i", i)), normalized(page.expect(Event.class).payload().args()),
                "path '" + path + "', " + reading);
          }
        }
      }
    }
  }

  /**
   * A consumer's connection reads the handshake once and then only writes. It never answers a PING, and its pauses
   * can be longer than every timeout of the router: it must not be closed for silence, or its next publish is lost
   * without a word (the write succeeds locally).
   */
  @Test
  void aPublisherThatReadsOnlyTheHandshakeOutlivesEveryTimeout() throws Exception {
    // The page must answer PINGs within the idle timeout even on a loaded machine: a second is ample.
    try (Router router = oroRouter("session.ping-interval", "200ms", "session.idle-timeout", "1s",
            "session.hello-timeout", "1s");
        TestClient page = subscriber(router);
        OroBackendPublisher.Connection consumer = OroBackendPublisher.connect("127.0.0.1", router.port(), "",
            tickets.anonymous(), OroBackendPublisher.Reading.ORO_7)) {
      consumer.publish(TOPIC, "\"before\"");
      assertEquals(List.of("before"), page.expect(Event.class).payload().args());
      Thread.sleep(3_000); // three idle timeouts, fifteen ping intervals
      consumer.publish(TOPIC, "\"after a pause\"");
      assertEquals(List.of("after a pause"), page.expect(Event.class).payload().args());
    }
  }

  /**
   * An oro/data/update for a mass change: 16,000 entity tags, about 1.16 MB, over the 1 MiB browsers may send. The
   * backend's own limit (16 MiB, what Ratchet took) lets it through, and the small publications after it on the same
   * connection arrive too, in order.
   */
  @Test
  void aMassUpdateOfSixteenThousandTagsAndThePublicationsAfterItArrive() throws Exception {
    StringBuilder tags = new StringBuilder("[");
    for (int i = 0; i < 16_000; i++) {
      tags.append(i == 0 ? "" : ",").append("{\"username\":\"admin\",\"tagname\":")
          .append(OroBackendPublisher.phpString("Oro_Bundle_ProductBundle_Entity_Product_" + (100_000 + i))).append('}');
    }
    String massUpdate = tags.append(']').toString();
    try (Router router = oroRouter();
        TestClient page = subscriber(router);
        OroBackendPublisher.Connection consumer = OroBackendPublisher.connect("127.0.0.1", router.port(), "/ws",
            tickets.anonymous(), OroBackendPublisher.Reading.ORO_7)) {
      consumer.publish(TOPIC, massUpdate);
      consumer.publish(TOPIC, "\"second\"");
      consumer.publish(TOPIC, "\"third\"");
      List<?> tagsReceived = (List<?>) page.expect(Event.class).payload().args().get(0);
      assertEquals(16_000, tagsReceived.size());
      assertEquals(List.of("second"), page.expect(Event.class).payload().args());
      assertEquals(List.of("third"), page.expect(Event.class).payload().args());
      assertEquals(0, router.metrics().oversizedMessages());
    }
  }

  /**
   * Past even the backend's limit, the publication is dropped and logged with the session, its size and the
   * setting, but not the connection: the publisher never reads, so a close would lose its next publications too.
   */
  @Test
  void aPublicationOverTheBackendLimitIsDroppedAndTheNextOnesArrive() throws Exception {
    try (Router router = oroRouter("limits.backend-max-message-size", "100000");
        TestClient page = subscriber(router);
        OroBackendPublisher.Connection consumer = OroBackendPublisher.connect("127.0.0.1", router.port(), "/ws",
            tickets.anonymous(), OroBackendPublisher.Reading.ORO_7)) {
      consumer.publish(TOPIC, "\"" + "x".repeat(200_000) + "\"");
      consumer.publish(TOPIC, "\"second\"");
      consumer.publish(TOPIC, "\"third\"");
      assertEquals(List.of("second"), page.expect(Event.class).payload().args());
      assertEquals(List.of("third"), page.expect(Event.class).payload().args());
      assertEquals(1, router.metrics().oversizedMessages());
      page.expectNothing(200);
    }
  }

  private static Object normalized(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(OroPublisherDropInTest::normalized).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, normalized(v)));
      return copy;
    }
    if (value instanceof Long l && l == l.intValue()) {
      return l.intValue();
    }
    return value;
  }
}
