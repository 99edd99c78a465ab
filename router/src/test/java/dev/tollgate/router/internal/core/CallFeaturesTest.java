package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Interrupt;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.Yield;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Advanced Profile's call features in memory, under a clock the test moves: progressive call results, call
 * canceling in its three modes, the router's call timeout, and a caller leaving mid-call.
 */
class CallFeaturesTest {
  private static final Map<String, Object> CANCELS = Map.of("call_canceling", true);
  private static final Map<String, Object> STREAMS = Map.of("call_canceling", true, "progressive_call_results", true);

  private final CoreHarness router = new CoreHarness();

  private CoreHarness.Client callee(Map<String, Object> features, Map<String, Object> registerOptions)
      throws Exception {
    CoreHarness.Client callee = router.join("realm1", features);
    callee.session().onMessage(new Register(1, registerOptions, "com.example.work"));
    callee.peer().next(Registered.class);
    return callee;
  }

  private static Invocation call(CoreHarness.Client caller, CoreHarness.Client callee, long request,
      Map<String, Object> options) throws Exception {
    caller.session().onMessage(new Call(request, options, "com.example.work", Payload.EMPTY));
    return callee.peer().next(Invocation.class);
  }

  @Test
  void progressiveYieldsReachACallerThatAskedAsProgressiveResultsThenTheFinalOne() throws Exception {
    CoreHarness.Client callee = callee(STREAMS, Map.of());
    CoreHarness.Client caller = router.join("realm1");
    Invocation inv = call(caller, callee, 5, Map.of("receive_progress", true));
    assertEquals(true, inv.details().get("receive_progress"));
    for (int i = 1; i <= 2; i++) {
      callee.session().onMessage(new Yield(inv.requestId(), Map.of("progress", true), Payload.of(List.of(i))));
      Result partial = caller.peer().next(Result.class);
      assertEquals(Map.of("progress", true), partial.details());
      assertEquals(List.of(i), partial.payload().args());
    }
    callee.session().onMessage(new Yield(inv.requestId(), Map.of(), Payload.of(List.of("done"))));
    Result last = caller.peer().next(Result.class);
    assertEquals(Map.of(), last.details());
    assertEquals(List.of("done"), last.payload().args());
    callee.session().onMessage(new Yield(inv.requestId(), Map.of("progress", true), Payload.EMPTY));
    caller.peer().assertNothingMore();
  }

  @Test
  void aCallerThatDidNotAskNeverGetsProgress() throws Exception {
    CoreHarness.Client callee = callee(STREAMS, Map.of());
    CoreHarness.Client caller = router.join("realm1");
    Invocation inv = call(caller, callee, 5, Map.of());
    assertFalse(inv.details().containsKey("receive_progress"));
    callee.session().onMessage(new Yield(inv.requestId(), Map.of("progress", true), Payload.of(List.of(1))));
    callee.session().onMessage(new Yield(inv.requestId(), Map.of(), Payload.of(List.of(2))));
    assertEquals(List.of(2), caller.peer().next(Result.class).payload().args());
    caller.peer().assertNothingMore();
  }

  /** npm autobahn's case: it streams results, but cannot be interrupted (see Features). */
  @Test
  void aCalleeWithoutCallCancelingStreamsToItsCallerAndIsDroppedOnceTheCallerLeft() throws Exception {
    CoreHarness.Client callee = callee(Map.of("progressive_call_results", true), Map.of());
    CoreHarness.Client caller = router.join("realm1");
    Invocation inv = call(caller, callee, 5, Map.of("receive_progress", true));
    assertEquals(true, inv.details().get("receive_progress"));
    callee.session().onMessage(new Yield(inv.requestId(), Map.of("progress", true), Payload.of(List.of(1))));
    assertEquals(Map.of("progress", true), caller.peer().next(Result.class).details());
    caller.session().transportClosed();
    callee.session().onMessage(new Yield(inv.requestId(), Map.of("progress", true), Payload.of(List.of(2))));
    callee.session().onMessage(new Yield(inv.requestId(), Map.of(), Payload.EMPTY));
    callee.peer().assertNothingMore();
    caller.peer().assertNothingMore();
    assertEquals(null, callee.session().calls().invocation(inv.requestId()), "nothing of the call is left");
  }

  @Test
  void aCallerThatLeavesMidCallInterruptsTheCalleeWithKillnowait() throws Exception {
    CoreHarness.Client callee = callee(CANCELS, Map.of());
    CoreHarness.Client caller = router.join("realm1");
    Invocation inv = call(caller, callee, 5, Map.of("receive_progress", true));
    caller.session().transportClosed();
    Interrupt interrupt = callee.peer().next(Interrupt.class);
    assertEquals(inv.requestId(), interrupt.requestId());
    assertEquals("killnowait", interrupt.options().get("mode"));
  }

  @Test
  void aCalleeThatCannotCancelIsNeverInterrupted() throws Exception {
    CoreHarness.Client callee = callee(Map.of(), Map.of());
    CoreHarness.Client caller = router.join("realm1");
    call(caller, callee, 5, Map.of());
    caller.session().onMessage(new Cancel(5, Map.of("mode", "killnowait")));
    assertEquals(WampErrors.CANCELED, caller.peer().next(ErrorMessage.class).error());
    call(caller, callee, 6, Map.of());
    caller.session().transportClosed();
    callee.peer().assertNothingMore();
  }

  @Test
  void cancelSkipAnswersAtOnceAndLeavesTheCalleeAlone() throws Exception {
    CoreHarness.Client callee = callee(CANCELS, Map.of());
    CoreHarness.Client caller = router.join("realm1");
    Invocation inv = call(caller, callee, 5, Map.of());
    caller.session().onMessage(new Cancel(5, Map.of("mode", "skip")));
    assertEquals(WampErrors.CANCELED, caller.peer().next(ErrorMessage.class).error());
    callee.session().onMessage(new Yield(inv.requestId(), Map.of(), Payload.EMPTY));
    callee.peer().assertNothingMore();
    caller.peer().assertNothingMore();
  }

  @Test
  void cancelKillnowaitAnswersAtOnceAndInterruptsTheCallee() throws Exception {
    CoreHarness.Client callee = callee(CANCELS, Map.of());
    CoreHarness.Client caller = router.join("realm1");
    Invocation inv = call(caller, callee, 5, Map.of());
    caller.session().onMessage(new Cancel(5, Map.of()));
    assertEquals(WampErrors.CANCELED, caller.peer().next(ErrorMessage.class).error());
    Interrupt interrupt = callee.peer().next(Interrupt.class);
    assertEquals(inv.requestId(), interrupt.requestId());
    assertEquals("killnowait", interrupt.options().get("mode"), "killnowait when CANCEL names no mode");
    callee.session().onMessage(new ErrorMessage(MessageCodes.INVOCATION, inv.requestId(), Map.of(),
        WampErrors.CANCELED, Payload.EMPTY));
    caller.peer().assertNothingMore();
  }

  @Test
  void cancelKillInterruptsTheCalleeAndItsAnswerEndsTheCall() throws Exception {
    CoreHarness.Client callee = callee(CANCELS, Map.of());
    CoreHarness.Client caller = router.join("realm1");
    Invocation inv = call(caller, callee, 5, Map.of());
    caller.session().onMessage(new Cancel(5, Map.of("mode", "kill")));
    assertEquals("kill", callee.peer().next(Interrupt.class).options().get("mode"));
    caller.peer().assertNothingMore();
    callee.session().onMessage(new ErrorMessage(MessageCodes.INVOCATION, inv.requestId(), Map.of(),
        WampErrors.CANCELED, Payload.of(List.of("stopped"))));
    ErrorMessage answer = caller.peer().next(ErrorMessage.class);
    assertEquals(WampErrors.CANCELED, answer.error());
    assertEquals(List.of("stopped"), answer.payload().args());
  }

  @Test
  void theRoutersTimeoutAnswersWampErrorTimeoutAndInterruptsTheCallee() throws Exception {
    CoreHarness.Client callee = callee(CANCELS, Map.of());
    CoreHarness.Client caller = router.join("realm1");
    Invocation inv = call(caller, callee, 5, Map.of("timeout", 200));
    assertFalse(inv.details().containsKey("timeout"), "the router keeps the timeout to itself");
    router.timers.advance(Duration.ofMillis(199));
    caller.peer().assertNothingMore();
    router.timers.advance(Duration.ofMillis(1));
    ErrorMessage timeout = caller.peer().next(ErrorMessage.class);
    assertEquals(WampErrors.TIMEOUT, timeout.error());
    assertEquals(5, timeout.requestId());
    assertEquals("killnowait", callee.peer().next(Interrupt.class).options().get("mode"));
    callee.session().onMessage(new Yield(inv.requestId(), Map.of(), Payload.EMPTY));
    caller.peer().assertNothingMore();
  }

  @Test
  void anAnswerInTimeCancelsTheTimer() throws Exception {
    CoreHarness.Client callee = callee(CANCELS, Map.of());
    CoreHarness.Client caller = router.join("realm1");
    Invocation inv = call(caller, callee, 5, Map.of("timeout", 200));
    callee.session().onMessage(new Yield(inv.requestId(), Map.of(), Payload.EMPTY));
    caller.peer().next(Result.class);
    assertEquals(0, router.timers.pending());
    router.timers.advance(Duration.ofSeconds(1));
    caller.peer().assertNothingMore();
    callee.peer().assertNothingMore();
  }

  @Test
  void eachProgressiveResultRestartsTheTimeout() throws Exception {
    CoreHarness.Client callee = callee(STREAMS, Map.of());
    CoreHarness.Client caller = router.join("realm1");
    Invocation inv = call(caller, callee, 5, Map.of("timeout", 200, "receive_progress", true));
    for (int i = 0; i < 3; i++) {
      router.timers.advance(Duration.ofMillis(150));
      callee.session().onMessage(new Yield(inv.requestId(), Map.of("progress", true), Payload.EMPTY));
      caller.peer().next(Result.class);
    }
    router.timers.advance(Duration.ofMillis(200));
    assertEquals(WampErrors.TIMEOUT, caller.peer().next(ErrorMessage.class).error());
  }

  @Test
  void aCalleeThatRegisteredWithForwardTimeoutGetsTheTimeoutAndNoTimerRuns() throws Exception {
    CoreHarness.Client callee = callee(CANCELS, Map.of("forward_timeout", true));
    CoreHarness.Client caller = router.join("realm1");
    Invocation inv = call(caller, callee, 5, Map.of("timeout", 200));
    assertEquals(200L, ((Number) inv.details().get("timeout")).longValue());
    assertEquals(0, router.timers.pending());
    router.timers.advance(Duration.ofSeconds(1));
    caller.peer().assertNothingMore();
    assertTrue(caller.session().expectsDeliveries(), "the call is still the callee's to answer");
  }

  private static final Map<String, Object> STREAMING_CALLER = Map.of("caller",
      Map.of("features", Map.of("progressive_call_invocations", true)));
  private static final Map<String, Object> STREAMING_CALLEE = Map.of("call_canceling", true,
      "progressive_call_invocations", true);

  @Test
  void aStreamedCallReachesOneCalleeUnderOneInvocationIdPieceByPiece() throws Exception {
    CoreHarness.Client first = router.join("realm1", STREAMING_CALLEE);
    first.session().onMessage(new Register(1, Map.of("invoke", "roundrobin"), "com.example.upload"));
    first.peer().next(Registered.class);
    CoreHarness.Client second = router.join("realm1", STREAMING_CALLEE);
    second.session().onMessage(new Register(1, Map.of("invoke", "roundrobin"), "com.example.upload"));
    second.peer().next(Registered.class);
    CoreHarness.Client caller = router.joinWithRoles("realm1", STREAMING_CALLER);

    caller.session().onMessage(new Call(5, Map.of("progress", true), "com.example.upload", Payload.of(List.of(1))));
    Invocation piece1 = first.peer().next(Invocation.class);
    assertEquals(true, piece1.details().get("progress"));
    caller.session().onMessage(new Call(5, Map.of("progress", true), "com.example.upload", Payload.of(List.of(2))));
    caller.session().onMessage(new Call(5, Map.of(), "com.example.upload", Payload.of(List.of(3))));
    Invocation piece2 = first.peer().next(Invocation.class);
    Invocation last = first.peer().next(Invocation.class);
    assertEquals(List.of(piece1.requestId(), piece1.requestId()), List.of(piece2.requestId(), last.requestId()),
        "every piece under the first invocation's id");
    assertEquals(List.of(true, false), List.of(piece2.details().containsKey("progress"),
        last.details().containsKey("progress")));
    assertEquals(List.of(3), last.payload().args());
    second.peer().assertNothingMore(); // round robin chose the first callee once, for the whole stream

    first.session().onMessage(new Yield(piece1.requestId(), Map.of(), Payload.of(List.of(6))));
    assertEquals(List.of(6), caller.peer().next(Result.class).payload().args());
    // a late piece of the call that has ended is dropped without an answer
    caller.session().onMessage(new Call(5, Map.of("progress", true), "com.example.upload", Payload.EMPTY));
    caller.peer().assertNothingMore();
    first.peer().assertNothingMore();
  }

  @Test
  void aStreamedCallToACalleeThatCannotTakeItIsAnApplicationError() throws Exception {
    callee(CANCELS, Map.of());
    CoreHarness.Client caller = router.joinWithRoles("realm1", STREAMING_CALLER);
    caller.session().onMessage(new Call(5, Map.of("progress", true), "com.example.work", Payload.EMPTY));
    assertEquals(WampErrors.FEATURE_NOT_SUPPORTED, caller.peer().next(ErrorMessage.class).error());
  }

  @Test
  void aStreamedCallFromACallerThatDidNotAnnounceItIsAProtocolViolation() throws Exception {
    callee(STREAMING_CALLEE, Map.of());
    CoreHarness.Client caller = router.join("realm1");
    caller.session().onMessage(new Call(5, Map.of("progress", true), "com.example.work", Payload.EMPTY));
    assertEquals(WampErrors.PROTOCOL_VIOLATION, caller.peer().next(dev.tollgate.protocol.Abort.class).reason());
  }
}
