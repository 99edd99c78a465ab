package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Authorizer;
import dev.tollgate.auth.Rule;
import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.WampErrors;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Testaments in memory: what a session leaves behind, in which order, and what it may not. */
class TestamentTest {
  private final CoreHarness router = new CoreHarness();

  private static void addTestament(CoreHarness.Client c, String topic, String word, Map<String, Object> kwargs)
      throws Exception {
    c.session().onMessage(new Call(3, Map.of(), "wamp.session.add_testament",
        Payload.of(List.of(topic, List.of(word), Map.of("from", "c")), kwargs)));
    c.peer().next(Result.class);
  }

  private CoreHarness.Client watcher(String topic) throws Exception {
    CoreHarness.Client w = router.join("realm1");
    w.session().onMessage(new Subscribe(1, Map.of(), topic));
    w.peer().next(Subscribed.class);
    return w;
  }

  @Test
  void aSessionThatIsLostLeavesItsTestamentsDetachedOnesFirstEachInOrder() throws Exception {
    CoreHarness.Client watcher = watcher("com.example.gone");
    CoreHarness.Client dying = router.join("realm1");
    addTestament(dying, "com.example.gone", "destroyed-1", Map.of());
    addTestament(dying, "com.example.gone", "detached-1", Map.of("scope", "detached"));
    addTestament(dying, "com.example.gone", "destroyed-2", Map.of("scope", "destroyed"));
    watcher.peer().assertNothingMore();

    dying.session().transportClosed();
    for (String word : List.of("detached-1", "destroyed-1", "destroyed-2")) {
      Event e = watcher.peer().next(Event.class);
      assertEquals(List.of(word), e.payload().args());
      assertEquals(Map.of("from", "c"), e.payload().kwargs());
    }
    watcher.peer().assertNothingMore();
  }

  @Test
  void flushedTestamentsAreNotPublishedAndGoodbyePublishesTheRest() throws Exception {
    CoreHarness.Client watcher = watcher("com.example.gone");
    CoreHarness.Client leaving = router.join("realm1");
    addTestament(leaving, "com.example.gone", "kept", Map.of("scope", "detached"));
    addTestament(leaving, "com.example.gone", "flushed", Map.of());
    leaving.session().onMessage(new Call(4, Map.of(), "wamp.session.flush_testaments", Payload.EMPTY));
    leaving.peer().next(Result.class);

    leaving.session().onMessage(new Goodbye(Map.of(), WampErrors.CLOSE_NORMAL));
    assertEquals(List.of("kept"), watcher.peer().next(Event.class).payload().args());
    watcher.peer().assertNothingMore();
  }

  @Test
  void aTestamentOnATopicTheSessionMayNotPublishIsRefused() throws Exception {
    router.authorizer = new Authorizer(List.of(
        Rule.of("*", "*", "wamp.", MatchPolicy.PREFIX, EnumSet.of(Action.CALL), "meta"),
        Rule.of("*", "*", "com.example.", MatchPolicy.PREFIX, EnumSet.of(Action.PUBLISH), "examples")));
    CoreHarness.Client c = router.join("realm1");
    c.session().onMessage(new Call(3, Map.of(), "wamp.session.add_testament",
        Payload.of(List.of("org.elsewhere", List.of()))));
    assertEquals(WampErrors.NOT_AUTHORIZED, c.peer().next(ErrorMessage.class).error());
    c.session().onMessage(new Call(4, Map.of(), "wamp.session.add_testament",
        Payload.of(List.of("com.example.ok", List.of()), Map.of("scope", "forever"))));
    assertEquals(WampErrors.INVALID_ARGUMENT, c.peer().next(ErrorMessage.class).error());
  }
}
