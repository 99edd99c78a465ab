package dev.tollgate.router;

import static dev.tollgate.router.TestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.Unsubscribe;
import dev.tollgate.protocol.Unsubscribed;
import dev.tollgate.protocol.WampErrors;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PubSubTest {
  private static Router router;

  @BeforeAll
  static void start() {
    router = TestRouters.start();
  }

  @AfterAll
  static void stop() {
    router.close();
  }

  private static long subscribe(TestClient c, long request, String topic) {
    c.send(new Subscribe(request, Map.of(), topic));
    Subscribed s = c.expect(Subscribed.class);
    assertEquals(request, s.requestId());
    return s.subscriptionId();
  }

  @ParameterizedTest
  @EnumSource(Serializer.class)
  void anEventCarriesThePublishedArgsAndKwargsToEverySubscriberButThePublisher(Serializer serializer) {
    try (TestClient sub1 = TestClient.connect(router, serializer);
        TestClient sub2 = TestClient.connect(router, serializer);
        TestClient pub = TestClient.connect(router, serializer)) {
      sub1.join("realm1");
      sub2.join("realm1");
      pub.join("realm1");
      String topic = "com.example.pubsub." + serializer;
      long id1 = subscribe(sub1, 1, topic);
      long id2 = subscribe(sub2, 7, topic);
      assertEquals(id1, id2, "one subscription per topic, shared by its subscribers");
      subscribe(pub, 1, topic);

      List<Object> args = Arrays.asList(1L, "two", null, List.of(3.5, true), new byte[] {9, 8});
      Map<String, Object> kwargs = Map.of("k", "v", "nested", Map.of("n", 42L));
      pub.send(new Publish(5, Map.of(), topic, Payload.of(args, kwargs)));
      for (TestClient sub : List.of(sub1, sub2)) {
        Event e = sub.expect(Event.class);
        assertEquals(id1, e.subscriptionId());
        assertEquals(5, e.payload().args().size());
        assertEquals(1L, ((Number) e.payload().args().get(0)).longValue());
        assertEquals("two", e.payload().args().get(1));
        assertEquals(null, e.payload().args().get(2));
        assertEquals(List.of(3.5, true), e.payload().args().get(3));
        assertArrayEquals(new byte[] {9, 8}, (byte[]) e.payload().args().get(4));
        assertEquals("v", e.payload().kwargs().get("k"));
        assertEquals(42L, ((Number) ((Map<?, ?>) e.payload().kwargs().get("nested")).get("n")).longValue());
        assertEquals(Map.of(), e.details(), "no publisher disclosure unless asked for");
      }
      pub.expectNothing(200);
    }
  }

  @Test
  void subscribersOfEverySerializerReceiveTheSamePublication() {
    try (TestClient json = TestClient.connect(router, Serializer.JSON);
        TestClient msgpack = TestClient.connect(router, Serializer.MSGPACK);
        TestClient cbor = TestClient.connect(router, Serializer.CBOR);
        TestClient pub = TestClient.connect(router, Serializer.JSON)) {
      for (TestClient c : List.of(json, msgpack, cbor, pub)) {
        c.join("realm1");
      }
      for (TestClient c : List.of(json, msgpack, cbor)) {
        subscribe(c, 1, "com.example.mixed");
      }
      pub.send(new Publish(1, Map.of("acknowledge", true), "com.example.mixed", Payload.of(List.of("hello"))));
      long publication = pub.expect(Published.class).publicationId();
      for (TestClient c : List.of(json, msgpack, cbor)) {
        Event e = c.expect(Event.class);
        assertEquals(publication, e.publicationId());
        assertEquals(List.of("hello"), e.payload().args());
      }
    }
  }

  @Test
  void publisherReceivesItsOwnEventOnlyWithExcludeMeFalse() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.join("realm1");
      long sub = subscribe(c, 1, "com.myapp.topic1");
      c.send(new Publish(2, Map.of(), "com.myapp.topic1", Payload.of(List.of("excluded"))));
      c.expectNothing(200);
      c.send(new Publish(3, Map.of("exclude_me", false), "com.myapp.topic1", Payload.of(List.of("Hello, world!"))));
      Event e = c.expect(Event.class);
      assertEquals(sub, e.subscriptionId());
      assertEquals(List.of("Hello, world!"), e.payload().args());
    }
  }

  @Test
  void blackAndWhiteListsSelectReceiversBySessionId() {
    try (TestClient a = TestClient.connect(router, Serializer.JSON);
        TestClient b = TestClient.connect(router, Serializer.JSON);
        TestClient pub = TestClient.connect(router, Serializer.JSON)) {
      long idA = a.join("realm1").session();
      long idB = b.join("realm1").session();
      pub.join("realm1");
      subscribe(a, 1, "com.example.lists");
      subscribe(b, 1, "com.example.lists");
      pub.send(new Publish(1, Map.of("eligible", List.of(idA)), "com.example.lists", Payload.of(List.of("only a"))));
      assertEquals(List.of("only a"), a.expect(Event.class).payload().args());
      pub.send(new Publish(2, Map.of("exclude", List.of(idA)), "com.example.lists", Payload.of(List.of("not a"))));
      assertEquals(List.of("not a"), b.expect(Event.class).payload().args());
      pub.send(new Publish(3, Map.of("eligible_authrole", List.of("nobody")), "com.example.lists", Payload.EMPTY));
      a.expectNothing(200);
      b.expectNothing(0);
      assertTrue(idA != idB);
    }
  }

  @Test
  void discloseMeTellsSubscribersWhoPublished() {
    try (TestClient sub = TestClient.connect(router, Serializer.JSON);
        TestClient pub = TestClient.connect(router, Serializer.JSON)) {
      sub.join("realm1");
      long pubId = pub.join("realm1").session();
      subscribe(sub, 1, "com.example.disclosed");
      pub.send(new Publish(1, Map.of("disclose_me", true), "com.example.disclosed", Payload.EMPTY));
      Event e = sub.expect(Event.class);
      assertEquals(pubId, ((Number) e.details().get("publisher")).longValue());
      assertEquals("anonymous", e.details().get("publisher_authrole"));
    }
  }

  @Test
  void afterUnsubscribeNoMoreEventsArrive() {
    try (TestClient sub = TestClient.connect(router, Serializer.JSON);
        TestClient pub = TestClient.connect(router, Serializer.JSON)) {
      sub.join("realm1");
      pub.join("realm1");
      long id = subscribe(sub, 1, "oro/data/update");
      sub.send(new Unsubscribe(2, id));
      assertEquals(2, sub.expect(Unsubscribed.class).requestId());
      pub.send(new Publish(1, Map.of("acknowledge", true), "oro/data/update", Payload.of(List.of("x"))));
      pub.expect(Published.class);
      sub.expectNothing(200);
      sub.send(new Unsubscribe(3, id));
      assertError(sub.expect(ErrorMessage.class), MessageCodes.UNSUBSCRIBE, 3, WampErrors.NO_SUCH_SUBSCRIPTION);
    }
  }

  @Test
  void invalidUrisAreRefusedWithAnErrorWhilePatternsMayHaveEmptyComponents() {
    try (TestClient c = TestClient.connect(router, Serializer.JSON)) {
      c.join("realm1");
      c.send(new Subscribe(1, Map.of(), "has space"));
      assertError(c.expect(ErrorMessage.class), MessageCodes.SUBSCRIBE, 1, WampErrors.INVALID_URI);
      c.send(new Subscribe(2, Map.of(), "com..update"));
      assertError(c.expect(ErrorMessage.class), MessageCodes.SUBSCRIBE, 2, WampErrors.INVALID_URI);
      c.send(new Subscribe(3, Map.of("match", "wildcard"), "com..update"));
      c.expect(Subscribed.class);
      c.send(new Publish(3, Map.of("acknowledge", true), "com..bad", Payload.EMPTY));
      assertError(c.expect(ErrorMessage.class), MessageCodes.PUBLISH, 3, WampErrors.INVALID_URI);
      c.send(new Publish(4, Map.of(), "com..bad", Payload.EMPTY));
      c.expectNothing(200);
    }
  }

  /**
   * Pattern-based subscription: a prefix and a wildcard subscription each get the event with the topic published to
   * in details.topic, and a session subscribed by exact topic and by pattern gets it once per subscription.
   */
  @Test
  void prefixAndWildcardSubscribersGetEachMatchingEventOncePerSubscriptionWithItsTopic() {
    try (TestClient sub = TestClient.connect(router, Serializer.MSGPACK);
        TestClient pub = TestClient.connect(router, Serializer.JSON)) {
      sub.join("realm1");
      pub.join("realm1");
      long exact = subscribe(sub, 1, "com.example.pattern.news");
      sub.send(new Subscribe(2, Map.of("match", "prefix"), "com.example.pattern."));
      long prefix = sub.expect(Subscribed.class).subscriptionId();
      sub.send(new Subscribe(3, Map.of("match", "wildcard"), "com.example..news"));
      long wildcard = sub.expect(Subscribed.class).subscriptionId();

      pub.send(new Publish(1, Map.of("acknowledge", true), "com.example.pattern.news", Payload.of(List.of("n"))));
      pub.expect(Published.class);
      Map<Long, Map<String, Object>> bySubscription = new java.util.HashMap<>();
      for (int i = 0; i < 3; i++) {
        Event e = sub.expect(Event.class);
        bySubscription.put(e.subscriptionId(), e.details());
      }
      assertEquals(java.util.Set.of(exact, prefix, wildcard), bySubscription.keySet());
      assertEquals(Map.of(), bySubscription.get(exact), "an exact match names no topic");
      assertEquals("com.example.pattern.news", bySubscription.get(prefix).get("topic"));
      assertEquals("com.example.pattern.news", bySubscription.get(wildcard).get("topic"));

      pub.send(new Publish(2, Map.of("acknowledge", true), "com.example.other.news", Payload.EMPTY));
      pub.expect(Published.class);
      Event onlyWildcard = sub.expect(Event.class);
      assertEquals(wildcard, onlyWildcard.subscriptionId());
      pub.send(new Publish(3, Map.of("acknowledge", true), "com.example.pattern.news.more", Payload.EMPTY));
      pub.expect(Published.class);
      assertEquals(prefix, sub.expect(Event.class).subscriptionId());
      sub.expectNothing(200);
    }
  }

  @Test
  void aSubscriberThatLeavesStopsReceivingAndOthersGoOn() {
    try (TestClient stays = TestClient.connect(router, Serializer.JSON);
        TestClient pub = TestClient.connect(router, Serializer.JSON)) {
      stays.join("realm1");
      pub.join("realm1");
      subscribe(stays, 1, "com.example.leave");
      try (TestClient leaves = TestClient.connect(router, Serializer.JSON)) {
        leaves.join("realm1");
        subscribe(leaves, 1, "com.example.leave");
      }
      pub.send(new Publish(1, Map.of("acknowledge", true), "com.example.leave", Payload.of(List.of(1))));
      pub.expect(Published.class);
      assertEquals(List.of(1L), stays.expect(Event.class).payload().args().stream().map(o -> ((Number) o).longValue()).toList());
    }
  }
}
