package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Authorizer;
import dev.tollgate.auth.Rule;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.Unsubscribe;
import dev.tollgate.protocol.Unsubscribed;
import dev.tollgate.protocol.WampErrors;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Publish and subscribe in memory. */
class BrokerTest {
  private final CoreHarness router = new CoreHarness();

  private long subscribe(CoreHarness.Client c, String topic) throws Exception {
    c.session().onMessage(new Subscribe(1, Map.of(), topic));
    return c.peer().next(Subscribed.class).subscriptionId();
  }

  /** Publishes without acknowledgment: whatever the publisher receives is an event. */
  private void publish(CoreHarness.Client c, String topic, Map<String, Object> options) {
    c.session().onMessage(new Publish(9, options, topic, Payload.of(List.of("hello"))));
  }

  @Test
  void subscribersOfOneTopicShareOneSubscriptionAndEachGetsTheEventOnce() throws Exception {
    CoreHarness.Client a = router.join("realm1");
    CoreHarness.Client b = router.join("realm1");
    CoreHarness.Client publisher = router.join("realm1");
    long sa = subscribe(a, "com.example.news");
    assertEquals(sa, subscribe(b, "com.example.news"));
    assertEquals(sa, subscribe(a, "com.example.news"), "subscribing again returns the same id");
    assertNotEquals(sa, subscribe(a, "com.example.other"));

    publish(publisher, "com.example.news", Map.of());
    for (CoreHarness.Client c : List.of(a, b)) {
      Event e = c.peer().next(Event.class);
      assertEquals(sa, e.subscriptionId());
      assertEquals(List.of("hello"), e.payload().args());
      c.peer().assertNothingMore();
    }
    assertEquals(2, router.counters.eventsDelivered());
  }

  @Test
  void exclusionAndEligibilityChooseTheReceivers() throws Exception {
    CoreHarness.Client a = router.join("realm1");
    CoreHarness.Client b = router.join("realm1");
    CoreHarness.Client c = router.join("realm1");
    for (CoreHarness.Client s : List.of(a, b, c)) {
      subscribe(s, "t");
    }
    publish(a, "t", Map.of("exclude", List.of(b.id())));
    c.peer().next(Event.class);
    b.peer().assertNothingMore();
    a.peer().assertNothingMore(); // exclude_me is the default

    publish(a, "t", Map.of("exclude_me", false, "eligible", List.of(a.id(), b.id())));
    a.peer().next(Event.class);
    b.peer().next(Event.class);
    c.peer().assertNothingMore();
  }

  @Test
  void aPublisherWhoDisclosesItselfIsNamedInTheEvent() throws Exception {
    CoreHarness.Client a = router.join("realm1");
    CoreHarness.Client b = router.join("realm1");
    subscribe(b, "t");
    publish(a, "t", Map.of("disclose_me", true));
    Map<String, Object> details = b.peer().next(Event.class).details();
    assertEquals(a.id(), details.get("publisher"));
    assertEquals(a.session().authid(), details.get("publisher_authid"));
  }

  @Test
  void unsubscribingFromASubscriptionNotHeldIsAnError() throws Exception {
    CoreHarness.Client a = router.join("realm1");
    CoreHarness.Client b = router.join("realm1");
    long id = subscribe(a, "t");
    b.session().onMessage(new Unsubscribe(3, id));
    assertEquals(WampErrors.NO_SUCH_SUBSCRIPTION, b.peer().next(ErrorMessage.class).error());
    a.session().onMessage(new Unsubscribe(4, id));
    a.peer().next(Unsubscribed.class);
  }

  @Test
  void aSessionInAnotherRealmSeesNothing() throws Exception {
    CoreHarness two = new CoreHarness(RouterConfigs.twoRealms());
    CoreHarness.Client here = two.join("realm1");
    CoreHarness.Client there = two.join("realm2");
    subscribe(there, "t");
    publish(here, "t", Map.of());
    there.peer().assertNothingMore();
  }

  /**
   * A pattern is authorized as the URI it is, and then each event it matches as a subscription to that topic would
   * be: a more specific rule that denies one topic keeps its events from a pattern subscriber allowed the prefix.
   */
  @Test
  void aPatternSubscriberReceivesOnlyTheTopicsItMaySubscribeTo() throws Exception {
    router.authorizer = new Authorizer(List.of(
        Rule.of("*", "*", "com.example.", MatchPolicy.PREFIX, EnumSet.of(Action.SUBSCRIBE, Action.PUBLISH), "examples"),
        Rule.of("*", "*", "com.example.secret", MatchPolicy.EXACT, EnumSet.of(Action.PUBLISH), "published, not read")));
    CoreHarness.Client sub = router.join("realm1");
    CoreHarness.Client pub = router.join("realm1");
    sub.session().onMessage(new Subscribe(1, Map.of("match", "prefix"), "com."));
    assertEquals(WampErrors.NOT_AUTHORIZED, sub.peer().next(ErrorMessage.class).error(), "too broad a pattern");
    sub.session().onMessage(new Subscribe(2, Map.of("match", "prefix"), "com.example."));
    long id = sub.peer().next(Subscribed.class).subscriptionId();

    publish(pub, "com.example.secret", Map.of());
    publish(pub, "com.example.news", Map.of());
    Event e = sub.peer().next(Event.class);
    assertEquals(id, e.subscriptionId());
    assertEquals("com.example.news", e.details().get("topic"));
    sub.peer().assertNothingMore();
  }

  /**
   * Subscribers join, subscribe and leave on several threads while publishers publish: when all have left, no
   * subscription is left in the table (a publication reaches nobody) and every session id is free.
   */
  @Test
  void subscribersComingAndGoingUnderPublicationsLeaveNothingBehind() throws Exception {
    CoreHarness.Client publisher = router.join("realm1");
    AtomicBoolean stop = new AtomicBoolean();
    Thread publishing = new Thread(() -> {
      while (!stop.get()) {
        publisher.session().onMessage(new Publish(1, Map.of(), "t", Payload.EMPTY));
      }
    });
    publishing.start();
    int threads = 4;
    CountDownLatch done = new CountDownLatch(threads);
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      new Thread(() -> {
        try {
          for (int i = 0; i < 300; i++) {
            CoreHarness.Client c = router.join("realm1");
            c.session().onMessage(new Subscribe(1, Map.of(), "t"));
            c.session().transportClosed();
          }
        } catch (Throwable e) {
          failures.add(e);
        } finally {
          done.countDown();
        }
      }).start();
    }
    done.await();
    stop.set(true);
    publishing.join();
    assertEquals(List.of(), failures);
    long before = router.counters.eventsDelivered();
    publisher.session().onMessage(new Publish(1, Map.of(), "t", Payload.EMPTY));
    assertEquals(before, router.counters.eventsDelivered(), "no subscriber is left in the table");
    assertEquals(1, router.core.realm("realm1").directory().size());
  }
}
