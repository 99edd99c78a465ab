package dev.tollgate.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.User;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestRouters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Advanced Profile from the Java client's side, against a real Tollgate: each feature's typed API, what it
 * delivers and what it withholds.
 */
class AdvancedProfileTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String SECRET = RouterWithJohn.SECRET;
  private static final TicketGenerator TICKETS = RouterWithJohn.TICKETS;
  private static RouterWithJohn fixture;
  private static Router router;
  private static User john;

  @BeforeAll
  static void start() {
    fixture = new RouterWithJohn();
    router = fixture.router;
    john = fixture.john;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static WampClient client(Serializer serializer) {
    return connect(WampClient.builder().uri(router.uri()).serializer(serializer));
  }

  private static WampClient john() {
    return connect(WampClient.builder().uri(router.uri()).urlTicket(() -> fixture.johnsTicket()));
  }

  private static WampClient connect(WampClient.Builder builder) {
    WampClient c = builder.reconnect(false).build();
    c.connect().join();
    return c;
  }

  private static ApplicationException errorOf(CompletableFuture<?> future) {
    CompletionException e = assertThrows(CompletionException.class, future::join);
    return assertInstanceOf(ApplicationException.class, e.getCause());
  }

  /** Waits a little for what must not come; the tests' only sleeps, after what must come has come. */
  private static void quietly() throws InterruptedException {
    Thread.sleep(200);
  }

  // --- broker ---------------------------------------------------------------------------------------------------

  @Test
  void patternSubscriptionsGetWhatMatchesWithItsTopicAndNothingElse() throws Exception {
    try (WampClient sub = client(Serializer.MSGPACK); WampClient pub = client(Serializer.JSON)) {
      List<Values> prefixed = new CopyOnWriteArrayList<>();
      List<Values> wildcarded = new CopyOnWriteArrayList<>();
      List<Values> exact = new CopyOnWriteArrayList<>();
      sub.subscribe("com.example.pattern.", prefixed::add, Options.Subscribe.PREFIX).join();
      sub.subscribe("com.example..alert", wildcarded::add, Options.Subscribe.WILDCARD).join();
      sub.subscribe("com.example.pattern.alert", exact::add).join();
      pub.publish("com.example.pattern.alert", List.of(1), Map.of(), Options.Publish.ACKNOWLEDGED).join();
      pub.publish("com.example.other.alert", List.of(2), Map.of(), Options.Publish.ACKNOWLEDGED).join();
      pub.publish("com.example.other.calm", List.of(3), Map.of(), Options.Publish.ACKNOWLEDGED).join();
      await().atMost(WAIT).until(() -> prefixed.size() == 1 && wildcarded.size() == 2 && exact.size() == 1);
      assertEquals("com.example.pattern.alert", prefixed.get(0).topic());
      assertEquals(List.of("com.example.pattern.alert", "com.example.other.alert"),
          wildcarded.stream().map(Values::topic).toList());
      assertNull(exact.get(0).topic(), "an exact subscription's event names no topic");
      quietly();
      assertEquals(List.of(List.of(1), List.of(1, 2), List.of(1)), List.of(
          prefixed.stream().map(v -> v.args().get(0)).toList(), wildcarded.stream().map(v -> v.args().get(0)).toList(),
          exact.stream().map(v -> v.args().get(0)).toList()), "com.example.other.calm matched nothing");
    }
  }

  @Test
  void aRetainedEventGoesOnlyToSubscribersThatAskForIt() throws Exception {
    try (WampClient sensor = client(Serializer.CBOR); WampClient asking = client(Serializer.JSON);
        WampClient notAsking = client(Serializer.MSGPACK)) {
      sensor.publish("com.example.retained", List.of(20), Map.of(), Options.Publish.ACKNOWLEDGED.withRetain(true))
          .join();
      sensor.publish("com.example.retained", List.of(21), Map.of(), Options.Publish.ACKNOWLEDGED.withRetain(true))
          .join();
      sensor.publish("com.example.retained", List.of(22), Map.of(), Options.Publish.ACKNOWLEDGED).join();
      List<Values> got = new CopyOnWriteArrayList<>();
      List<Values> none = new CopyOnWriteArrayList<>();
      asking.subscribe("com.example.retained", got::add, Options.Subscribe.DEFAULT.withGetRetained(true)).join();
      notAsking.subscribe("com.example.retained", none::add).join();
      await().atMost(WAIT).until(() -> got.size() == 1);
      assertEquals(List.of(21), got.get(0).args(), "the last event published with retain");
      assertEquals(true, got.get(0).details().get("retained"));
      quietly();
      assertEquals(1, got.size());
      assertEquals(List.of(), none, "a subscriber that did not ask gets no retained event");
    }
  }

  // --- dealer ---------------------------------------------------------------------------------------------------

  @Test
  void patternRegistrationsFollowTheSpecsPrecedenceAndNameTheProcedure() {
    try (WampClient callee = client(Serializer.MSGPACK); WampClient caller = client(Serializer.JSON)) {
      callee.register("com.example.math.", call -> "prefix " + call.procedure(), Options.Register.PREFIX).join();
      callee.register("com.example.math.trig.", call -> "longer prefix " + call.procedure(), Options.Register.PREFIX)
          .join();
      callee.register("com.example..sin", call -> "wildcard " + call.procedure(), Options.Register.WILDCARD).join();
      callee.register("com.example.math.pi", call -> "exact " + call.procedure()).join();
      assertEquals("exact null", caller.call("com.example.math.pi").join().as(String.class));
      assertEquals("prefix com.example.math.sqrt", caller.call("com.example.math.sqrt").join().as(String.class));
      assertEquals("longer prefix com.example.math.trig.sin",
          caller.call("com.example.math.trig.sin").join().as(String.class));
      assertEquals("wildcard com.example.physics.sin", caller.call("com.example.physics.sin").join().as(String.class));
      assertEquals("wamp.error.no_such_procedure", errorOf(caller.call("com.example.physics.cos")).uri());
    }
  }

  @Test
  void progressiveResultsReachOnlyACallerThatAsksAndAllBeforeTheFinalOne() throws Exception {
    try (WampClient callee = client(Serializer.CBOR); WampClient caller = client(Serializer.JSON)) {
      List<Boolean> offered = new CopyOnWriteArrayList<>();
      callee.registerProgressive("com.example.count", invocation -> {
        for (int i = 1; i <= 3; i++) {
          offered.add(invocation.progress(List.of(i), Map.of()));
        }
        return "done";
      }, Options.Register.DEFAULT).join();

      List<Object> partials = new CopyOnWriteArrayList<>();
      Values result = caller.call("com.example.count", List.of(), Map.of(), Options.Call.DEFAULT.withProgress(partial -> {
        Thread.sleep(20); // a slow handler: the final result still waits for it
        partials.add(partial.args().get(0));
      })).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(List.of(1, 2, 3), partials, "every progressive result, in order, before the final one");
      assertEquals("done", result.as(String.class));
      assertFalse(result.isProgress());
      assertEquals(List.of(true, true, true), offered);

      offered.clear();
      assertEquals("done", caller.call("com.example.count").join().as(String.class));
      assertEquals(List.of(false, false, false), offered, "a caller that did not ask is sent no progressive result");
    }
  }

  @Test
  void aCallSentInPiecesReachesOneCalleeInOrderAndAPlainHandlerRefusesIt() throws Exception {
    try (WampClient first = client(Serializer.JSON); WampClient second = client(Serializer.MSGPACK);
        WampClient caller = client(Serializer.CBOR)) {
      List<String> handledBy = new CopyOnWriteArrayList<>();
      for (WampClient callee : List.of(first, second)) {
        String name = callee == first ? "first" : "second";
        callee.registerProgressive("com.example.upload", invocation -> {
          handledBy.add(name);
          StringBuilder text = new StringBuilder(invocation.call().arg(0, String.class));
          if (!invocation.hasMoreInput()) {
            return text.toString();
          }
          CompletableFuture<Object> whole = new CompletableFuture<>();
          invocation.onInput(piece -> {
            text.append(piece.arg(0, String.class));
            if (!piece.isProgress()) {
              whole.complete(name + ": " + text);
            }
          });
          return whole;
        }, Options.Register.DEFAULT.withInvoke("roundrobin")).join();
      }
      ProgressiveCall upload = caller.callInPieces("com.example.upload", Options.Call.DEFAULT);
      assertTrue(upload.send(List.of("a"), Map.of()));
      assertTrue(upload.send(List.of("b"), Map.of()));
      String answer = upload.finish(List.of("c"), Map.of()).get(WAIT.toSeconds(), TimeUnit.SECONDS).as(String.class);
      assertEquals(1, handledBy.size(), "one invocation for all the pieces: " + handledBy);
      assertEquals(handledBy.get(0) + ": abc", answer);
      assertThrows(IllegalStateException.class, () -> upload.send(List.of("more"), Map.of()), "after the last piece");

      // the next call goes to the other callee (round robin), and a whole call still works
      ProgressiveCall whole = caller.callInPieces("com.example.upload", Options.Call.DEFAULT);
      assertTrue(whole.finish(List.of("xyz"), Map.of()).join().as(String.class).equals("xyz"));
      assertNotEquals(handledBy.get(0), handledBy.get(1));

      first.registerProgressive("com.example.early", invocation -> "enough", Options.Register.DEFAULT).join();
      ProgressiveCall early = caller.callInPieces("com.example.early", Options.Call.DEFAULT);
      assertTrue(early.send(List.of("a"), Map.of()));
      assertEquals("enough", early.result().get(WAIT.toSeconds(), TimeUnit.SECONDS).as(String.class));
      assertFalse(early.send(List.of("b"), Map.of()), "a piece after the answer is not sent");

      first.register("com.example.plain", call -> "whole only").join();
      ProgressiveCall refused = caller.callInPieces("com.example.plain", Options.Call.DEFAULT);
      refused.send(List.of("a"), Map.of());
      assertEquals("wamp.error.feature_not_supported", errorOf(refused.result()).uri());
      assertEquals("whole only", caller.call("com.example.plain").join().as(String.class));
    }
  }

  @Test
  void theRouterTimesACallOutAndInterruptsItsCallee() throws Exception {
    try (WampClient callee = client(Serializer.MSGPACK); WampClient caller = client(Serializer.JSON)) {
      CompletableFuture<Object> work = new CompletableFuture<>();
      callee.register("com.example.interruptible", call -> work).join();
      ApplicationException timeout = errorOf(caller.call("com.example.interruptible", List.of(), Map.of(),
          Options.Call.DEFAULT.withTimeout(Duration.ofMillis(200))));
      assertEquals("wamp.error.timeout", timeout.uri());
      assertEquals(List.of("no result within 200 ms (CALL.Options.timeout)"), timeout.args(),
          "the router's answer, not the client's own timer (which waits 2 s more where the router times out)");
      await().atMost(WAIT).until(work::isCancelled);
    }
  }

  @Test
  void eachCancelModeEndsTheCallAsTheSpecSays() throws Exception {
    try (WampClient callee = client(Serializer.JSON); WampClient caller = client(Serializer.MSGPACK)) {
      List<CompletableFuture<Object>> started = new CopyOnWriteArrayList<>();
      callee.register("com.example.long", call -> {
        CompletableFuture<Object> work = new CompletableFuture<>();
        started.add(work);
        return work;
      }).join();

      for (Options.CancelMode mode : Options.CancelMode.values()) {
        started.clear();
        CallFuture call = caller.call("com.example.long");
        await().atMost(WAIT).until(() -> started.size() == 1);
        assertTrue(call.cancel(mode));
        assertEquals("wamp.error.canceled", errorOf(call).uri(), mode.toString());
        if (mode == Options.CancelMode.SKIP) {
          quietly();
          assertFalse(started.get(0).isDone(), "skip does not interrupt the callee");
          started.get(0).complete("too late"); // answered, and dropped by the router
        } else {
          await().atMost(WAIT).until(() -> started.get(0).isCancelled());
        }
        assertFalse(call.cancel(mode), "the call has ended");
      }

      started.clear();
      CallFuture call = caller.call("com.example.long", List.of(), Map.of(),
          Options.Call.DEFAULT.withCancelMode(Options.CancelMode.KILLNOWAIT));
      await().atMost(WAIT).until(() -> started.size() == 1);
      assertTrue(call.cancel(true));
      assertThrows(CancellationException.class, call::join);
      await().atMost(WAIT).until(() -> started.get(0).isCancelled());
      assertEquals(7, callee.register("com.example.after", c -> 7).thenCompose(r -> caller.call("com.example.after"))
          .join().as(Integer.class), "the session goes on");
    }
  }

  // --- sessions -------------------------------------------------------------------------------------------------

  @Test
  void testamentsArePublishedWhenTheSessionEndsUnlessFlushedAndComeBackAfterReconnecting() throws Exception {
    try (WampClient watcher = client(Serializer.JSON); WampClient admin = client(Serializer.JSON)) {
      List<Values> got = new CopyOnWriteArrayList<>();
      watcher.subscribe("com.example.testament.", got::add, Options.Subscribe.PREFIX).join();
      WampClient dying = WampClient.builder().uri(router.uri()).serializer(Serializer.MSGPACK)
          .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(100)).build();
      dying.connect().join();
      dying.addTestament("com.example.testament.destroyed", List.of("gone"), Map.of("who", "dying"),
          Options.Publish.DEFAULT, Options.TestamentScope.DESTROYED).join();
      dying.addTestament("com.example.testament.detached", List.of("away"), Map.of(), Options.Publish.DEFAULT,
          Options.TestamentScope.DETACHED).join();
      dying.addTestament("com.example.testament.flushed", List.of("never"), Map.of(), Options.Publish.DEFAULT,
          Options.TestamentScope.DETACHED).join();
      dying.flushTestaments(Options.TestamentScope.DETACHED).join();
      dying.addTestament("com.example.testament.detached", List.of("away"), Map.of(), Options.Publish.DEFAULT,
          Options.TestamentScope.DETACHED).join();
      quietly();
      assertEquals(List.of(), got, "nothing while the session lives");

      long firstSession = dying.sessionId();
      admin.meta().kill(firstSession, "wamp.close.killed", "for the test").join();
      await().atMost(WAIT).until(() -> got.size() == 2);
      assertEquals(List.of("com.example.testament.detached", "com.example.testament.destroyed"),
          got.stream().map(Values::topic).toList(), "detached before destroyed; the flushed one never");
      assertEquals(Map.of("who", "dying"), got.get(1).kwargs());

      await().atMost(WAIT).until(() -> dying.state() == WampClient.State.CONNECTED && dying.sessionId() != firstSession);
      got.clear();
      dying.close();
      await().atMost(WAIT).until(() -> got.size() == 2);
      assertEquals(List.of("com.example.testament.detached", "com.example.testament.destroyed"),
          got.stream().map(Values::topic).toList(), "armed again on the new session");
    }
  }

  @Test
  void theSessionMetaApiIsTyped() throws Exception {
    try (WampClient admin = client(Serializer.JSON)) {
      // the sessions of the tests before have said GOODBYE, and are gone once the router has read it
      await().atMost(WAIT).until(() -> admin.meta().sessionIds().join().equals(List.of(admin.sessionId())));
      List<MetaApi.SessionInfo> joins = new CopyOnWriteArrayList<>();
      List<MetaApi.SessionLeft> leaves = new CopyOnWriteArrayList<>();
      admin.meta().onSessionJoin(joins::add).join();
      admin.meta().onSessionLeave(leaves::add).join();
      WampClient johnOnce = john();
      WampClient johnTwice = john();
      WampClient other = client(Serializer.CBOR);
      long once = johnOnce.sessionId();
      long twice = johnTwice.sessionId();
      await().atMost(WAIT).until(() -> joins.stream().filter(j -> j.session() != admin.sessionId()).count() == 3);

      MetaApi.SessionInfo info = admin.meta().session(once).join();
      assertEquals("john", info.authid());
      assertEquals("ticket", info.authmethod());
      assertEquals(Map.of("type", "websocket", "protocol", "json"), info.transport());
      assertTrue(joins.contains(info), joins.toString());
      assertEquals("anonymous", admin.meta().session(other.sessionId()).join().authrole());
      assertEquals(java.util.Set.of(admin.sessionId(), once, twice, other.sessionId()),
          java.util.Set.copyOf(admin.meta().sessionIds().join()));
      assertEquals(java.util.Set.of(once, twice), java.util.Set.copyOf(admin.meta().sessionIds(info.authrole()).join()));
      assertEquals(2, admin.meta().sessionCount("anonymous").join());
      assertEquals(4, admin.meta().sessionCount().join());
      assertEquals("wamp.error.no_such_session", errorOf(admin.meta().session(1)).uri());

      assertEquals(2, admin.meta().killByAuthid("john", null, null).join());
      await().atMost(WAIT).until(() -> johnOnce.state() == WampClient.State.CLOSED
          && johnTwice.state() == WampClient.State.CLOSED);
      await().atMost(WAIT).until(() -> leaves.size() == 2);
      assertEquals(java.util.Set.of(new MetaApi.SessionLeft(once, "john", info.authrole()),
          new MetaApi.SessionLeft(twice, "john", info.authrole())), java.util.Set.copyOf(leaves));
      assertEquals("wamp.error.no_such_session", errorOf(admin.meta().kill(admin.sessionId(), null, null)).uri(),
          "one's own session is not another's to kill");
      assertEquals(1, admin.meta().killAll("wamp.close.system_shutdown", "bye").join(), "all others, not oneself");
      await().atMost(WAIT).until(() -> other.state() == WampClient.State.CLOSED);
      assertEquals(List.of(admin.sessionId()), admin.meta().sessionIds().join());
      assertEquals(WampClient.State.CONNECTED, admin.state());
    }
  }

  @Test
  void theSubscriptionAndRegistrationMetaApisAreTyped() throws Exception {
    try (WampClient watcher = client(Serializer.JSON); WampClient owner = client(Serializer.MSGPACK)) {
      List<String> seen = new CopyOnWriteArrayList<>();
      MetaApi.Entries subscriptions = watcher.meta().subscriptions();
      subscriptions.onCreate((session, entry) -> seen.add("create " + entry.uri() + " " + entry.match())).join();
      subscriptions.onAdd(change -> seen.add("subscribe " + (change.session() == owner.sessionId()))).join();
      subscriptions.onRemove(change -> seen.add("unsubscribe")).join();
      subscriptions.onDelete(change -> seen.add("delete")).join();

      Subscription s = owner.subscribe("com.example.meta.", v -> { }, Options.Subscribe.PREFIX).join();
      await().atMost(WAIT).until(() -> seen.size() == 2);
      long id = subscriptions.lookup("com.example.meta.", "prefix").join();
      assertNull(subscriptions.lookup("com.example.meta.", null).join(), "no exact subscription for that URI");
      assertTrue(subscriptions.list().join().prefix().contains(id));
      assertFalse(subscriptions.list().join().exact().contains(id));
      assertEquals(List.of(id), subscriptions.match("com.example.meta.topic").join());
      assertEquals(List.of(), subscriptions.match("com.example.other").join());
      MetaApi.EntryInfo entry = subscriptions.get(id).join();
      assertEquals(new MetaApi.EntryInfo(id, entry.created(), "com.example.meta.", "prefix", null), entry);
      assertTrue(entry.created() != null && !entry.created().isAfter(java.time.Instant.now()), entry.toString());
      assertEquals(List.of(owner.sessionId()), subscriptions.members(id).join());
      assertEquals(1, subscriptions.countMembers(id).join());
      s.unsubscribe().join();
      await().atMost(WAIT).until(() -> seen.size() == 4);
      // each event topic is its own subscription, handled in its own order: the four may be handled in any order
      assertEquals(java.util.Set.of("create com.example.meta. prefix", "subscribe true", "unsubscribe", "delete"),
          java.util.Set.copyOf(seen));
      assertEquals("wamp.error.no_such_subscription", errorOf(subscriptions.get(id)).uri());

      MetaApi.Entries registrations = watcher.meta().registrations();
      owner.register("com.example.meta.proc", call -> 1, Options.Register.DEFAULT.withInvoke("roundrobin")).join();
      watcher.register("com.example.meta.proc", call -> 2, Options.Register.DEFAULT.withInvoke("roundrobin")).join();
      long registration = registrations.match("com.example.meta.proc").join().get(0);
      assertEquals(registration, registrations.lookup("com.example.meta.proc", null).join());
      assertEquals("roundrobin", registrations.get(registration).join().invoke());
      assertEquals(java.util.Set.of(owner.sessionId(), watcher.sessionId()),
          java.util.Set.copyOf(registrations.members(registration).join()));
      assertEquals(2, registrations.countMembers(registration).join());
      assertEquals(List.of(), registrations.match("com.example.meta.other").join());
      assertEquals(List.of(registration), registrations.list().join().exact().stream()
          .filter(r -> r == registration).toList());
    }
  }

  @Test
  void theOroPresetKeepsTheMetaApiFromBrowserRoles() {
    String url = TestRouters.newDatabaseUrl();
    try (Database oroDb = Database.open(url)) {
      User mary = oroDb.users().addUser("mary", "mary@example.com", Passwords.hash("pa55word"), List.of());
      try (Router oro = TestRouters.start(Map.of("db.url", url, "auth.secret", SECRET, "rules.preset", "oro"));
          WampClient browser = connect(WampClient.builder().uri(oro.uri())
              .urlTicket(() -> TICKETS.forUser("mary", mary.passwordHash())));
          WampClient backend = connect(WampClient.builder().uri(oro.uri()).urlTicket(TICKETS::anonymous))) {
        assertEquals("wamp.error.not_authorized", errorOf(browser.meta().session(backend.sessionId())).uri());
        assertEquals("wamp.error.not_authorized", errorOf(browser.meta().sessionIds()).uri());
        assertEquals("wamp.error.not_authorized", errorOf(browser.meta().kill(backend.sessionId(), null, null)).uri());
        assertEquals("wamp.error.not_authorized", errorOf(browser.meta().killAll(null, null)).uri());
        assertEquals("wamp.error.not_authorized", errorOf(browser.meta().onSessionJoin(j -> { })).uri());
        assertEquals(WampClient.State.CONNECTED, backend.state(), "nothing was killed");
      }
    }
  }
}
