package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Authorizer;
import dev.tollgate.auth.Rule;
import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.Yield;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Routed calls in memory: every call is answered exactly once, whoever leaves and whenever. */
class DealerTest {
  private final CoreHarness router = new CoreHarness();

  private CoreHarness.Client callee(String procedure) throws Exception {
    CoreHarness.Client callee = router.join("realm1");
    callee.session().onMessage(new Register(1, Map.of(), procedure));
    callee.peer().next(Registered.class);
    return callee;
  }

  @Test
  void aYieldIsTheCallersResult() throws Exception {
    CoreHarness.Client callee = callee("com.example.add");
    CoreHarness.Client caller = router.join("realm1");
    caller.session().onMessage(new Call(5, Map.of(), "com.example.add", Payload.of(List.of(2, 3))));
    Invocation inv = callee.peer().next(Invocation.class);
    assertEquals(List.of(2, 3), inv.payload().args());
    callee.session().onMessage(new Yield(inv.requestId(), Map.of(), Payload.of(List.of(5))));
    Result result = caller.peer().next(Result.class);
    assertEquals(5, result.requestId());
    assertEquals(List.of(5), result.payload().args());
    assertTrue(!caller.session().expectsDeliveries(), "nothing is in flight any more");
  }

  @Test
  void aCalleeThatLeavesMidCallAnswersItsCallsCanceledAndFreesTheProcedure() throws Exception {
    CoreHarness.Client callee = callee("com.example.slow");
    CoreHarness.Client caller = router.join("realm1");
    caller.session().onMessage(new Call(5, Map.of(), "com.example.slow", Payload.EMPTY));
    callee.peer().next(Invocation.class);

    callee.session().transportClosed();
    ErrorMessage error = caller.peer().next(ErrorMessage.class);
    assertEquals(WampErrors.CANCELED, error.error());
    assertEquals(5, error.requestId());

    callee("com.example.slow"); // the procedure is free again: no procedure_already_exists
    caller.peer().assertNothingMore();
  }

  @Test
  void aCanceledCallsLateYieldIsDropped() throws Exception {
    CoreHarness.Client callee = callee("com.example.slow");
    CoreHarness.Client caller = router.join("realm1");
    caller.session().onMessage(new Call(5, Map.of(), "com.example.slow", Payload.EMPTY));
    Invocation inv = callee.peer().next(Invocation.class);
    caller.session().onMessage(new Cancel(5, Map.of()));
    assertEquals(WampErrors.CANCELED, caller.peer().next(ErrorMessage.class).error());
    callee.session().onMessage(new Yield(inv.requestId(), Map.of(), Payload.EMPTY));
    caller.peer().assertNothingMore();
  }

  @Test
  void aCallerThatLeavesLeavesNothingBehind() throws Exception {
    CoreHarness.Client callee = callee("com.example.slow");
    CoreHarness.Client caller = router.join("realm1");
    caller.session().onMessage(new Call(5, Map.of(), "com.example.slow", Payload.EMPTY));
    Invocation inv = callee.peer().next(Invocation.class);
    caller.session().transportClosed();
    callee.session().onMessage(new Yield(inv.requestId(), Map.of(), Payload.EMPTY));
    caller.peer().assertNothingMore();
    callee.peer().assertNothingMore();
    assertEquals(null, callee.session().calls().invocation(inv.requestId()));
  }

  @Test
  void aRequestIdAlreadyInFlightIsAProtocolViolation() throws Exception {
    callee("com.example.slow");
    CoreHarness.Client caller = router.join("realm1");
    caller.session().onMessage(new Call(5, Map.of(), "com.example.slow", Payload.EMPTY));
    caller.session().onMessage(new Call(5, Map.of(), "com.example.slow", Payload.EMPTY));
    assertEquals(WampErrors.PROTOCOL_VIOLATION, caller.peer().next(dev.tollgate.protocol.Abort.class).reason());
  }

  @Test
  void aPatternCalleeServesOnlyTheProceduresItMayRegister() throws Exception {
    router.authorizer = new Authorizer(List.of(
        Rule.of("*", "*", "com.example.", MatchPolicy.PREFIX, EnumSet.of(Action.CALL, Action.REGISTER), "examples"),
        Rule.of("*", "*", "com.example.admin", MatchPolicy.PREFIX, EnumSet.of(Action.CALL), "called, not served")));
    CoreHarness.Client callee = router.join("realm1");
    callee.session().onMessage(new Register(1, Map.of("match", "prefix"), "com.example."));
    callee.peer().next(Registered.class);
    CoreHarness.Client caller = router.join("realm1");

    caller.session().onMessage(new Call(1, Map.of(), "com.example.admin.reset", Payload.EMPTY));
    assertEquals(WampErrors.NO_SUCH_PROCEDURE, caller.peer().next(ErrorMessage.class).error());
    caller.session().onMessage(new Call(2, Map.of(), "com.example.echo", Payload.EMPTY));
    Invocation inv = callee.peer().next(Invocation.class);
    assertEquals("com.example.echo", inv.details().get("procedure"));
    callee.peer().assertNothingMore();
  }

  /**
   * Callers call on several threads while their callee answers from its own and then leaves: every call gets exactly
   * one answer (its RESULT, or canceled, or no_such_procedure once the registration is gone), none is lost.
   */
  @Test
  void callsRacingTheCalleesLeaveAreEachAnsweredExactlyOnce() throws Exception {
    for (int round = 0; round < 20; round++) {
      CoreHarness.Client callee = callee("com.example.echo");
      callee.peer().react(m -> {
        if (m instanceof Invocation inv && inv.requestId() % 2 == 0) {
          callee.session().onMessage(new Yield(inv.requestId(), Map.of(), inv.payload()));
        }
      });
      int callers = 4;
      int calls = 200;
      List<CoreHarness.Client> clients = new java.util.ArrayList<>();
      for (int i = 0; i < callers; i++) {
        clients.add(router.join("realm1"));
      }
      CountDownLatch started = new CountDownLatch(callers);
      List<Thread> threads = new java.util.ArrayList<>();
      for (CoreHarness.Client c : clients) {
        Thread t = new Thread(() -> {
          started.countDown();
          for (int i = 1; i <= calls; i++) {
            c.session().onMessage(new Call(i, Map.of(), "com.example.echo", Payload.of(List.of(i))));
          }
        });
        threads.add(t);
        t.start();
      }
      started.await();
      callee.session().transportClosed();
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }
      for (CoreHarness.Client c : clients) {
        c.peer().awaitCount(calls);
        Map<Long, Integer> answers = new HashMap<>();
        for (WampMessage m : List.copyOf(c.peer().received)) {
          long id = m instanceof Result r ? r.requestId() : ((ErrorMessage) m).requestId();
          answers.merge(id, 1, Integer::sum);
        }
        assertEquals(calls, answers.size(), "every call was answered");
        assertTrue(answers.values().stream().allMatch(n -> n == 1), "no call was answered twice: " + answers);
        assertTrue(!c.session().expectsDeliveries(), "no call is left in flight");
        c.session().transportClosed();
      }
    }
  }
}
