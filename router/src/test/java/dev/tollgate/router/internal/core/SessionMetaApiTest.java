package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.Welcome;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The session meta API in memory: what it tells, whom it kills, and the join and leave events. */
class SessionMetaApiTest {
  private final CoreHarness router = new CoreHarness();

  private static Result call(CoreHarness.Client c, String procedure, Payload payload) throws Exception {
    c.session().onMessage(new Call(7, Map.of(), procedure, payload));
    return c.peer().next(Result.class);
  }

  private static ErrorMessage failingCall(CoreHarness.Client c, String procedure, Payload payload) throws Exception {
    c.session().onMessage(new Call(8, Map.of(), procedure, payload));
    return c.peer().next(ErrorMessage.class);
  }

  private CoreHarness.Client joinAs(String authid, String role) throws Exception {
    CoreHarness.Client c = router.connect();
    c.session().joinWithoutHello("realm1", new Identity(authid, List.of(role), "ticket", "test", 1L, null));
    c.peer().next(Welcome.class);
    return c;
  }

  @Test
  void countListAndGetTellTheRealmsSessions() throws Exception {
    CoreHarness.Client admin = joinAs("root", "admin");
    CoreHarness.Client alice = joinAs("alice", "user");
    CoreHarness.Client anonymous = router.join("realm1");

    assertEquals(List.of(3), call(admin, "wamp.session.count", Payload.EMPTY).payload().args());
    assertEquals(List.of(1), call(admin, "wamp.session.count", Payload.of(List.of(List.of("user")))).payload().args());
    @SuppressWarnings("unchecked")
    List<Object> ids = (List<Object>) call(admin, "wamp.session.list", Payload.EMPTY).payload().args().get(0);
    assertEquals(Set.of(admin.id(), alice.id(), anonymous.id()), Set.copyOf(ids));

    Map<?, ?> details = (Map<?, ?>) call(admin, "wamp.session.get", Payload.of(List.of(alice.id())))
        .payload().args().get(0);
    assertEquals(alice.id(), details.get("session"));
    assertEquals("alice", details.get("authid"));
    assertEquals("user", details.get("authrole"));
    assertEquals("ticket", details.get("authmethod"));
    assertEquals(WampErrors.NO_SUCH_SESSION,
        failingCall(admin, "wamp.session.get", Payload.of(List.of(12345))).error());
  }

  @Test
  void killEndsAnotherSessionWithTheReasonAndMessageGiven() throws Exception {
    CoreHarness.Client admin = joinAs("root", "admin");
    CoreHarness.Client alice = joinAs("alice", "user");
    admin.session().onMessage(new Call(7, Map.of(), "wamp.session.kill",
        Payload.of(List.of(alice.id()), Map.of("reason", "com.example.bye", "message", "maintenance"))));
    admin.peer().next(Result.class);
    Goodbye goodbye = alice.peer().next(Goodbye.class);
    assertEquals("com.example.bye", goodbye.reason());
    assertEquals(Map.of("message", "maintenance"), goodbye.details());
    assertEquals(1, router.core.realm("realm1").directory().size());

    // "Specifying the caller's own session will result in a wamp.error.no_such_session"
    assertEquals(WampErrors.NO_SUCH_SESSION,
        failingCall(admin, "wamp.session.kill", Payload.of(List.of(admin.id()))).error());
    assertEquals(WampErrors.INVALID_URI, failingCall(admin, "wamp.session.kill_all",
        Payload.of(List.of(), Map.of("reason", "not a uri"))).error());
  }

  @Test
  void killByAuthroleAndKillAllSpareTheCaller() throws Exception {
    CoreHarness.Client admin = joinAs("root", "admin");
    CoreHarness.Client otherAdmin = joinAs("root2", "admin");
    CoreHarness.Client alice = joinAs("alice", "user");
    CoreHarness.Client bob = joinAs("bob", "user");

    assertEquals(List.of(1), call(admin, "wamp.session.kill_by_authrole", Payload.of(List.of("admin")))
        .payload().args());
    assertEquals(WampErrors.CLOSE_NORMAL, otherAdmin.peer().next(Goodbye.class).reason(),
        "wamp.close.normal when no reason is given");
    alice.peer().assertNothingMore();
    assertEquals(List.of(2), call(admin, "wamp.session.kill_all", Payload.EMPTY).payload().args());
    alice.peer().next(Goodbye.class);
    bob.peer().next(Goodbye.class);
    admin.peer().assertNothingMore();
    assertEquals(List.of(admin.session()), List.copyOf(router.core.realm("realm1").directory().all()));
  }

  @Test
  void subscribersSeeSessionsJoinAndLeave() throws Exception {
    CoreHarness.Client watcher = joinAs("root", "admin");
    watcher.session().onMessage(new Subscribe(1, Map.of(), "wamp.session.on_join"));
    watcher.session().onMessage(new Subscribe(2, Map.of(), "wamp.session.on_leave"));
    CoreHarness.Client alice = joinAs("alice", "user");
    long id = alice.id();
    alice.session().transportClosed();

    // Events go out on the meta thread, so the watcher's own join may arrive once it has subscribed: it is skipped.
    List<Object> seen = new java.util.ArrayList<>();
    while (seen.size() < 4) {
      dev.tollgate.protocol.WampMessage m = watcher.peer().next(dev.tollgate.protocol.WampMessage.class);
      if (m instanceof Subscribed) {
        seen.add("subscribed");
      } else if (m instanceof Event e && e.payload().args().get(0) instanceof Map<?, ?> joined) {
        if (!joined.get("session").equals(watcher.id())) {
          seen.add(List.of("join", joined.get("session"), joined.get("authid")));
        }
      } else if (m instanceof Event e) {
        seen.add(e.payload().args());
      }
    }
    assertEquals(List.of("subscribed", "subscribed", List.of("join", id, "alice"), List.of(id, "alice", "user")),
        seen);
    watcher.peer().assertNothingMore();
  }
}
