package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.User;
import dev.tollgate.protocol.Abort;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.Welcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A session's state machine in memory, under a clock the test moves. */
class RouterSessionTest {
  private final CoreHarness router = new CoreHarness();

  @Test
  void aPeerThatNeverSaysHelloIsAbortedWhenTheHelloTimeoutPasses() throws Exception {
    CoreHarness.Client c = router.connect();
    router.timers.advance(Duration.ofSeconds(9));
    c.peer().assertNothingMore();
    router.timers.advance(Duration.ofSeconds(1));
    Abort abort = c.peer().next(Abort.class);
    assertEquals(WampErrors.PROTOCOL_VIOLATION, abort.reason());
    assertTrue(c.peer().closed);
  }

  @Test
  void aSessionThatJoinedIsNotTouchedByTheHelloTimer() throws Exception {
    CoreHarness.Client c = router.join("realm1");
    router.timers.advance(Duration.ofMinutes(1));
    c.peer().assertNothingMore();
    // The core's periodic work was not started here, so the HELLO timer was the only task, and it was cancelled.
    assertEquals(0, router.timers.pending());
  }

  @Test
  void goodbyeThenHelloGivesANewSessionIdAndFreesTheOldOne() throws Exception {
    CoreHarness.Client c = router.join("realm1");
    long first = c.id();
    Realm realm = router.core.realm("realm1");
    assertSame(c.session(), realm.directory().byId(first));

    c.session().onMessage(new Goodbye(Map.of(), WampErrors.CLOSE_NORMAL));
    assertEquals(WampErrors.CLOSE_GOODBYE_AND_OUT, c.peer().next(Goodbye.class).reason());
    assertNull(realm.directory().byId(first), "the directory forgot the session");

    Welcome again = CoreHarness.hello(c, "realm1");
    assertNotEquals(first, again.session());
    assertEquals(again.session(), c.id());
    assertNull(realm.directory().byId(first));
    assertEquals(1, realm.directory().size());
    // The id scope holds exactly the live session: the first id did not leak.
    assertEquals(1, idsInUse(realm));
  }

  private static int idsInUse(Realm realm) throws Exception {
    var field = SessionDirectory.class.getDeclaredField("ids");
    field.setAccessible(true);
    return ((SessionIds) field.get(realm.directory())).size();
  }

  @Test
  void aKilledSessionIgnoresWhatItsPeerStillSends() throws Exception {
    CoreHarness.Client c = router.join("realm1");
    c.session().kill("user 'x' was removed or disabled");
    assertEquals(WampErrors.CLOSE_KILLED, c.peer().next(Goodbye.class).reason());
    assertNull(c.session().realm());
    // Before the rework, authorizing this read the realm that kill() had just cleared (from another thread).
    c.session().onMessage(new Publish(7, Map.of("acknowledge", true), "com.example.topic", Payload.EMPTY));
    c.peer().assertNothingMore();
    assertEquals(0, router.core.realm("realm1").directory().size());
  }

  @Test
  void aUserDisabledInTheStoreLosesItsSessionsAtTheNextRefresh() throws Exception {
    router.users.put("alice", new User(7, "alice", "a@example.com", "x", true, List.of("user")));
    CoreHarness.Client alice = router.connect();
    Identity who = new Identity("alice", List.of("user"), "ticket", "test", 7L, null);
    alice.session().joinWithoutHello("realm1", who);
    alice.peer().next(Welcome.class);
    router.core.start();

    router.users.put("alice", new User(7, "alice", "a@example.com", "x", false, List.of("user")));
    router.changed = true;
    router.timers.advance(Duration.ofSeconds(1));
    assertEquals(WampErrors.CLOSE_KILLED, alice.peer().next(Goodbye.class).reason());
    router.core.beginShutdown();
  }

  @Test
  void aUserWhoseRolesChangedIsFoundUnderTheNewRole() throws Exception {
    router.users.put("bob", new User(8, "bob", "b@example.com", "x", true, List.of("user")));
    CoreHarness.Client bob = router.connect();
    bob.session().joinWithoutHello("realm1", new Identity("bob", List.of("user"), "ticket", "test", 8L, null));
    bob.peer().next(Welcome.class);
    router.core.start();

    router.users.put("bob", new User(8, "bob", "b@example.com", "x", true, List.of("admin")));
    router.changed = true;
    router.timers.advance(Duration.ofSeconds(1));
    SessionDirectory directory = router.core.realm("realm1").directory();
    assertEquals(List.of(bob.session()), directory.byAuthrole("admin"));
    assertEquals(List.of(), directory.byAuthrole("user"));
    router.core.beginShutdown();
  }

  @Test
  void afterTheRoutersGoodbyeNothingElseIsDelivered() throws Exception {
    CoreHarness.Client subscriber = router.join("realm1");
    CoreHarness.Client publisher = router.join("realm1");
    subscriber.session().onMessage(new Subscribe(1, Map.of(), "com.example.news"));
    subscriber.peer().next(Subscribed.class);

    subscriber.session().shutdown();
    assertEquals(WampErrors.CLOSE_SYSTEM_SHUTDOWN, subscriber.peer().next(Goodbye.class).reason());
    publisher.session().onMessage(new Publish(2, Map.of("acknowledge", true), "com.example.news", Payload.EMPTY));
    publisher.peer().next(Published.class);
    subscriber.peer().assertNothingMore();
  }

  /** At shutdown a callee may answer its GOODBYE before its callers are told: they must not hear "canceled". */
  @Test
  void atShutdownACallInFlightEndsWithTheRoutersGoodbyeNotWithCanceled() throws Exception {
    CoreHarness.Client callee = router.join("realm1");
    callee.session().onMessage(new dev.tollgate.protocol.Register(1, Map.of(), "com.example.slow"));
    callee.peer().next(dev.tollgate.protocol.Registered.class);
    CoreHarness.Client caller = router.join("realm1");
    caller.session().onMessage(new dev.tollgate.protocol.Call(2, Map.of(), "com.example.slow", Payload.EMPTY));
    callee.peer().next(dev.tollgate.protocol.Invocation.class);

    for (CoreHarness.Client c : List.of(callee, caller)) {
      c.session().stopDeliveries();
    }
    callee.session().shutdown();
    assertEquals(WampErrors.CLOSE_SYSTEM_SHUTDOWN, callee.peer().next(Goodbye.class).reason());
    callee.session().onMessage(new Goodbye(Map.of(), WampErrors.CLOSE_GOODBYE_AND_OUT));
    caller.session().shutdown();
    assertEquals(WampErrors.CLOSE_SYSTEM_SHUTDOWN, caller.peer().next(Goodbye.class).reason());
    caller.peer().assertNothingMore();
  }

  @Test
  void theKeepalivePublicationGoesOutEveryInterval() throws Exception {
    CoreHarness.Client page = router.join("realm1");
    page.session().onMessage(new Subscribe(1, Map.of(), "oro/ping"));
    page.peer().next(Subscribed.class);
    router.core.start();
    router.timers.advance(Duration.ofSeconds(49));
    page.peer().assertNothingMore();
    router.timers.advance(Duration.ofSeconds(1));
    assertEquals(List.of("Connection keep alive"), page.peer().next(dev.tollgate.protocol.Event.class).payload().args());
    router.timers.advance(Duration.ofSeconds(50));
    page.peer().next(dev.tollgate.protocol.Event.class);
    router.core.beginShutdown();
  }
}
