package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Event retention in memory: what a late subscriber that asks is sent, and what it is not. */
class RetentionTest {
  private final CoreHarness router = new CoreHarness(dev.tollgate.router.RouterConfig.defaults()
      .with("limits.max-retained-topics", "3"));

  private static void publish(CoreHarness.Client c, String topic, Map<String, Object> options, Object value) {
    c.session().onMessage(new Publish(1, options, topic, Payload.of(List.of(value))));
  }

  private static long subscribe(CoreHarness.Client c, String topic, Map<String, Object> options) throws Exception {
    c.session().onMessage(new Subscribe(2, options, topic));
    return c.peer().next(Subscribed.class).subscriptionId();
  }

  @Test
  void aSubscriberThatAsksGetsTheMostRecentRetainedEventMarkedRetained() throws Exception {
    CoreHarness.Client sensor = router.join("realm1");
    publish(sensor, "com.example.temperature", Map.of("retain", true), 20);
    publish(sensor, "com.example.temperature", Map.of("retain", true), 21);
    publish(sensor, "com.example.temperature", Map.of(), 99); // not retained: the retained event stays 21

    CoreHarness.Client late = router.join("realm1");
    long id = subscribe(late, "com.example.temperature", Map.of("get_retained", true));
    Event retained = late.peer().next(Event.class);
    assertEquals(id, retained.subscriptionId());
    assertEquals(List.of(21), retained.payload().args());
    assertEquals(true, retained.details().get("retained"));
    late.peer().assertNothingMore();

    CoreHarness.Client uninterested = router.join("realm1");
    subscribe(uninterested, "com.example.temperature", Map.of());
    uninterested.peer().assertNothingMore();
  }

  @Test
  void aRetainedEventGoesOnlyToWhomItsPublicationWouldHaveGone() throws Exception {
    CoreHarness.Client excluded = router.join("realm1");
    CoreHarness.Client publisher = router.join("realm1");
    publish(publisher, "com.example.secret", Map.of("retain", true, "exclude", List.of(excluded.id())), "s");
    subscribe(excluded, "com.example.secret", Map.of("get_retained", true));
    excluded.peer().assertNothingMore();
    subscribe(publisher, "com.example.secret", Map.of("get_retained", true));
    publisher.peer().assertNothingMore(); // exclude_me, the default, held when it was published
    CoreHarness.Client other = router.join("realm1");
    subscribe(other, "com.example.secret", Map.of("get_retained", true));
    assertEquals(List.of("s"), other.peer().next(Event.class).payload().args());
  }

  @Test
  void aPatternSubscriberGetsEveryMatchingRetainedTopicWithItsName() throws Exception {
    CoreHarness.Client sensor = router.join("realm1");
    publish(sensor, "com.example.room1.temperature", Map.of("retain", true), 20);
    publish(sensor, "com.example.room2.temperature", Map.of("retain", true), 22);
    publish(sensor, "com.example.room2.humidity", Map.of("retain", true), 40);
    CoreHarness.Client late = router.join("realm1");
    subscribe(late, "com.example..temperature", Map.of("match", "wildcard", "get_retained", true));
    Map<Object, Object> byTopic = new java.util.HashMap<>();
    for (int i = 0; i < 2; i++) {
      Event e = late.peer().next(Event.class);
      byTopic.put(e.details().get("topic"), e.payload().args().get(0));
    }
    assertEquals(Map.of("com.example.room1.temperature", 20, "com.example.room2.temperature", 22), byTopic);
    late.peer().assertNothingMore();
  }

  @Test
  void topicsPastTheBoundKeepNoRetainedEventButKnownOnesStillChange() throws Exception {
    CoreHarness.Client sensor = router.join("realm1");
    for (int i = 1; i <= 4; i++) {
      publish(sensor, "com.example.t" + i, Map.of("retain", true), i);
    }
    publish(sensor, "com.example.t1", Map.of("retain", true), 11);
    CoreHarness.Client late = router.join("realm1");
    subscribe(late, "com.example.t4", Map.of("get_retained", true));
    late.peer().assertNothingMore();
    subscribe(late, "com.example.t1", Map.of("get_retained", true));
    assertEquals(List.of(11), late.peer().next(Event.class).payload().args());
  }
}
