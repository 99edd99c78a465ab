package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.Welcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The realm's directory of sessions, and what leaving the realm cleans. */
class SessionDirectoryTest {
  private final CoreHarness router = new CoreHarness();
  private final SessionDirectory directory = router.core.realm("realm1").directory();

  @Test
  void sessionsAreFoundByIdAuthidAndAuthroleAndListenersHearJoinsAndLeaves() throws Exception {
    List<String> heard = new ArrayList<>();
    directory.addListener(new SessionDirectory.Listener() {
      @Override
      public void joined(RouterSession session) {
        heard.add("joined " + session.id());
      }

      @Override
      public void left(RouterSession session) {
        heard.add("left " + session.id());
      }
    });
    CoreHarness.Client anonymous = router.join("realm1");
    CoreHarness.Client alice = router.connect();
    alice.session().joinWithoutHello("realm1", new Identity("alice", List.of("user"), "ticket", "test", 7L, null));
    alice.peer().next(Welcome.class);

    assertSame(alice.session(), directory.byId(alice.id()));
    assertEquals(List.of(alice.session()), directory.byAuthid("alice"));
    assertEquals(List.of(alice.session()), directory.byAuthrole("user"));
    assertEquals(List.of(anonymous.session()), directory.byAuthrole("anonymous"));
    assertEquals(2, directory.size());

    alice.session().transportClosed();
    assertNull(directory.byId(alice.id()));
    assertEquals(List.of(), directory.byAuthid("alice"));
    assertEquals(List.of("joined " + anonymous.id(), "joined " + alice.id(), "left " + alice.id()), heard);
  }

  @Test
  void leavingCleansEveryTable() throws Exception {
    CoreHarness.Client leaving = router.join("realm1");
    CoreHarness.Client other = router.join("realm1");
    leaving.session().onMessage(new Subscribe(1, Map.of(), "com.example.news"));
    leaving.peer().next(Subscribed.class);
    leaving.session().onMessage(new Register(2, Map.of(), "com.example.proc"));
    leaving.peer().next(Registered.class);
    other.session().onMessage(new Call(3, Map.of(), "com.example.proc", Payload.EMPTY));
    leaving.peer().next(Invocation.class);

    leaving.session().transportClosed();

    assertEquals(WampErrors.CANCELED, other.peer().next(ErrorMessage.class).error(), "its call was answered");
    long delivered = router.counters.eventsDelivered();
    other.session().onMessage(new Publish(4, Map.of("acknowledge", true), "com.example.news", Payload.EMPTY));
    other.peer().next(Published.class);
    assertEquals(delivered, router.counters.eventsDelivered(), "its subscription is gone");
    other.session().onMessage(new Register(5, Map.of(), "com.example.proc"));
    other.peer().next(Registered.class); // its registration is gone
    assertNull(directory.byId(leaving.id()));
    assertEquals(1, directory.size());
    leaving.peer().assertNothingMore();
  }
}
