package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.Unsubscribe;
import dev.tollgate.protocol.Unsubscribed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The subscription and registration meta API in memory: their events in order, and what their procedures tell. */
class EntryMetaApiTest {
  private final CoreHarness router = new CoreHarness();

  private static Object call(CoreHarness.Client c, String procedure, Object... args) throws Exception {
    c.session().onMessage(new Call(7, Map.of(), procedure, Payload.of(List.of(args))));
    List<Object> result = c.peer().next(Result.class).payload().args();
    return result.get(0);
  }

  private static long subscribe(CoreHarness.Client c, String topic, String match) throws Exception {
    c.session().onMessage(new Subscribe(1, Map.of("match", match), topic));
    return c.peer().next(Subscribed.class).subscriptionId();
  }

  @Test
  void subscriptionEventsFollowTheSubscriptionsLife() throws Exception {
    CoreHarness.Client watcher = router.join("realm1");
    for (String event : List.of("on_create", "on_subscribe", "on_unsubscribe", "on_delete")) {
      subscribe(watcher, "wamp.subscription." + event, "exact");
    }
    watcher.peer().assertNothingMore(); // subscribing to meta topics makes no meta events
    CoreHarness.Client sub = router.join("realm1");
    long id = subscribe(sub, "com.example.", "prefix");

    List<Object> create = watcher.peer().next(Event.class).payload().args();
    assertEquals(sub.id(), create.get(0));
    Map<?, ?> details = (Map<?, ?>) create.get(1);
    assertEquals(List.of(id, "com.example.", "prefix"), List.of(details.get("id"), details.get("uri"),
        details.get("match")));
    assertEquals(List.of(sub.id(), id), watcher.peer().next(Event.class).payload().args(), "on_subscribe");

    sub.session().onMessage(new Unsubscribe(2, id));
    sub.peer().next(Unsubscribed.class);
    Event unsubscribed = watcher.peer().next(Event.class);
    Event deleted = watcher.peer().next(Event.class);
    assertEquals(List.of(sub.id(), id), unsubscribed.payload().args());
    assertEquals(List.of(sub.id(), id), deleted.payload().args());
    watcher.peer().assertNothingMore();
  }

  @Test
  void subscriptionProceduresTellListsLookupsMatchesAndSubscribers() throws Exception {
    CoreHarness.Client a = router.join("realm1");
    CoreHarness.Client b = router.join("realm1");
    long exact = subscribe(a, "com.example.news", "exact");
    assertEquals(exact, subscribe(b, "com.example.news", "exact"));
    long prefix = subscribe(a, "com.example.", "prefix");
    long wildcard = subscribe(b, "com..news", "wildcard");

    assertEquals(Map.of("exact", List.of(exact), "prefix", List.of(prefix), "wildcard", List.of(wildcard)),
        call(a, "wamp.subscription.list"));
    assertEquals(exact, call(a, "wamp.subscription.lookup", "com.example.news"));
    assertEquals(prefix, call(a, "wamp.subscription.lookup", "com.example.", Map.of("match", "prefix")));
    assertNull(call(a, "wamp.subscription.lookup", "com.example.other"));
    assertEquals(List.of(exact, prefix, wildcard), call(a, "wamp.subscription.match", "com.example.news"));
    assertNull(call(a, "wamp.subscription.match", "org.other"));
    Map<?, ?> got = (Map<?, ?>) call(a, "wamp.subscription.get", wildcard);
    assertEquals("com..news", got.get("uri"));
    assertEquals("wildcard", got.get("match"));
    assertEquals(List.of(a.id(), b.id()), call(a, "wamp.subscription.list_subscribers", exact));
    assertEquals(2, call(a, "wamp.subscription.count_subscribers", exact));
    a.session().onMessage(new Call(9, Map.of(), "wamp.subscription.get", Payload.of(List.of(424242))));
    assertEquals("wamp.error.no_such_subscription", a.peer().next(ErrorMessage.class).error());
  }

  @Test
  void registrationProceduresAndEventsTellTheRegistrations() throws Exception {
    CoreHarness.Client watcher = router.join("realm1");
    CoreHarness.Client callee = router.join("realm1");
    watcher.session().onMessage(new Subscribe(1, Map.of(), "wamp.registration.on_register"));
    watcher.peer().next(Subscribed.class);
    callee.session().onMessage(new Register(1, Map.of("match", "prefix", "invoke", "roundrobin"), "com.example.rpc."));
    long prefix = callee.peer().next(Registered.class).registrationId();
    callee.session().onMessage(new Register(2, Map.of(), "com.example.rpc.exact"));
    long exact = callee.peer().next(Registered.class).registrationId();
    assertEquals(List.of(callee.id(), prefix), watcher.peer().next(Event.class).payload().args());
    assertEquals(List.of(callee.id(), exact), watcher.peer().next(Event.class).payload().args());

    assertEquals(exact, call(watcher, "wamp.registration.match", "com.example.rpc.exact"));
    assertEquals(prefix, call(watcher, "wamp.registration.match", "com.example.rpc.other"), "the one a call reaches");
    assertNull(call(watcher, "wamp.registration.match", "org.nothing"));
    Map<?, ?> got = (Map<?, ?>) call(watcher, "wamp.registration.get", prefix);
    assertEquals(List.of("com.example.rpc.", "prefix", "roundrobin"),
        List.of(got.get("uri"), got.get("match"), got.get("invoke")));
    assertEquals(List.of(callee.id()), call(watcher, "wamp.registration.list_callees", exact));
    assertEquals(1, call(watcher, "wamp.registration.count_callees", prefix));
  }
}
