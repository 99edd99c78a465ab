package dev.tollgate.router;

import static dev.tollgate.router.TestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Unregister;
import dev.tollgate.protocol.Unregistered;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.Yield;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RpcTest {
  private static Router router;

  @BeforeAll
  static void start() {
    router = TestRouters.start();
  }

  @AfterAll
  static void stop() {
    router.close();
  }

  private static long register(TestClient callee, long request, String procedure) {
    callee.send(new Register(request, Map.of(), procedure));
    Registered r = callee.expect(Registered.class);
    assertEquals(request, r.requestId());
    return r.registrationId();
  }

  @ParameterizedTest
  @EnumSource(Serializer.class)
  void aCallIsInvokedOnTheCalleeAndItsYieldReturnsToTheCaller(Serializer serializer) {
    try (TestClient callee = TestClient.connect(router, serializer);
        TestClient caller = TestClient.connect(router, serializer)) {
      callee.join("realm1");
      caller.join("realm1");
      String procedure = "com.example.add." + serializer;
      long registration = register(callee, 1, procedure);

      caller.send(new Call(77, Map.of(), procedure, Payload.of(List.of(2, 3), Map.of("unit", "apples"))));
      Invocation inv = callee.expect(Invocation.class);
      assertEquals(registration, inv.registrationId());
      assertEquals(List.of(2L, 3L), inv.payload().args().stream().map(o -> ((Number) o).longValue()).toList());
      assertEquals(Map.of("unit", "apples"), inv.payload().kwargs());

      callee.send(new Yield(inv.requestId(), Map.of(), Payload.of(List.of(5), Map.of("unit", "apples"))));
      Result result = caller.expect(Result.class);
      assertEquals(77, result.requestId());
      assertEquals(5L, ((Number) result.payload().args().get(0)).longValue());
      assertEquals(Map.of("unit", "apples"), result.payload().kwargs());
    }
  }

  /**
   * Pattern-based registration: a call goes to the exact registration, else the longest matching prefix, else a
   * wildcard; a callee reached by pattern learns the procedure called from details.procedure.
   */
  @Test
  void aCallGoesToTheExactThenTheLongestPrefixThenTheWildcardRegistration() {
    try (TestClient exact = TestClient.connect(router, Serializer.JSON);
        TestClient shortPrefix = TestClient.connect(router, Serializer.JSON);
        TestClient longPrefix = TestClient.connect(router, Serializer.CBOR);
        TestClient wildcard = TestClient.connect(router, Serializer.MSGPACK);
        TestClient caller = TestClient.connect(router, Serializer.JSON)) {
      for (TestClient c : List.of(exact, shortPrefix, longPrefix, wildcard, caller)) {
        c.join("realm1");
      }
      long exactId = register(exact, 1, "com.example.rpc.tree.add");
      shortPrefix.send(new Register(1, Map.of("match", "prefix"), "com.example.rpc."));
      shortPrefix.expect(Registered.class);
      longPrefix.send(new Register(1, Map.of("match", "prefix"), "com.example.rpc.tree."));
      long longId = longPrefix.expect(Registered.class).registrationId();
      wildcard.send(new Register(1, Map.of("match", "wildcard"), "com.example..tree.mul"));
      long wildcardId = wildcard.expect(Registered.class).registrationId();

      caller.send(new Call(1, Map.of(), "com.example.rpc.tree.add", Payload.EMPTY));
      Invocation toExact = exact.expect(Invocation.class);
      assertEquals(exactId, toExact.registrationId());
      assertEquals(Map.of(), toExact.details(), "an exact match names no procedure");
      exact.send(new Yield(toExact.requestId(), Map.of(), Payload.EMPTY));
      caller.expect(Result.class);

      caller.send(new Call(2, Map.of(), "com.example.rpc.tree.mul", Payload.EMPTY));
      Invocation toLongest = longPrefix.expect(Invocation.class);
      assertEquals(longId, toLongest.registrationId());
      assertEquals("com.example.rpc.tree.mul", toLongest.details().get("procedure"));
      longPrefix.send(new Yield(toLongest.requestId(), Map.of(), Payload.EMPTY));
      caller.expect(Result.class);

      caller.send(new Call(3, Map.of(), "com.example.other.tree.mul", Payload.EMPTY));
      Invocation toWildcard = wildcard.expect(Invocation.class);
      assertEquals(wildcardId, toWildcard.registrationId());
      assertEquals("com.example.other.tree.mul", toWildcard.details().get("procedure"));
      wildcard.send(new Yield(toWildcard.requestId(), Map.of(), Payload.EMPTY));
      caller.expect(Result.class);

      shortPrefix.expectNothing(200);
      caller.send(new Call(4, Map.of(), "com.example.nothing", Payload.EMPTY));
      assertError(caller.expect(ErrorMessage.class), MessageCodes.CALL, 4, WampErrors.NO_SUCH_PROCEDURE);
    }
  }

  /** Over real sockets: a callee that announces call canceling is interrupted by a CANCEL and by a timeout. */
  @Test
  void aCalleeThatCanCancelIsInterruptedByCancelAndByTimeout() {
    try (TestClient callee = TestClient.connect(router, Serializer.MSGPACK);
        TestClient caller = TestClient.connect(router, Serializer.JSON)) {
      callee.send(new dev.tollgate.protocol.Hello("realm1", Map.of("roles", Map.of("callee",
          Map.of("features", Map.of("call_canceling", true))))));
      callee.expect(dev.tollgate.protocol.Welcome.class);
      caller.join("realm1");
      register(callee, 1, "com.example.interruptible");

      caller.send(new Call(1, Map.of(), "com.example.interruptible", Payload.EMPTY));
      Invocation first = callee.expect(Invocation.class);
      caller.send(new Cancel(1, Map.of("mode", "killnowait")));
      assertError(caller.expect(ErrorMessage.class), MessageCodes.CALL, 1, WampErrors.CANCELED);
      dev.tollgate.protocol.Interrupt interrupt = callee.expect(dev.tollgate.protocol.Interrupt.class);
      assertEquals(first.requestId(), interrupt.requestId());
      assertEquals("killnowait", interrupt.options().get("mode"));

      caller.send(new Call(2, Map.of("timeout", 100), "com.example.interruptible", Payload.EMPTY));
      Invocation second = callee.expect(Invocation.class);
      assertError(caller.expect(ErrorMessage.class), MessageCodes.CALL, 2, WampErrors.TIMEOUT);
      assertEquals(second.requestId(), callee.expect(dev.tollgate.protocol.Interrupt.class).requestId());
      callee.send(new Yield(second.requestId(), Map.of(), Payload.EMPTY));
      caller.expectNothing(200);
    }
  }

  /** Over real sockets: a call sent in three pieces reaches one callee as three INVOCATIONs under one id. */
  @Test
  void aProgressiveCallInvocationStreamsItsPiecesToOneCallee() {
    try (TestClient callee = TestClient.connect(router, Serializer.CBOR);
        TestClient caller = TestClient.connect(router, Serializer.JSON)) {
      callee.send(new dev.tollgate.protocol.Hello("realm1", Map.of("roles", Map.of("callee", Map.of("features",
          Map.of("call_canceling", true, "progressive_call_invocations", true))))));
      callee.expect(dev.tollgate.protocol.Welcome.class);
      caller.send(new dev.tollgate.protocol.Hello("realm1", Map.of("roles", Map.of("caller", Map.of("features",
          Map.of("progressive_call_invocations", true))))));
      caller.expect(dev.tollgate.protocol.Welcome.class);
      register(callee, 1, "com.example.sum");

      caller.send(new Call(9, Map.of("progress", true), "com.example.sum", Payload.of(List.of(1))));
      caller.send(new Call(9, Map.of("progress", true), "com.example.sum", Payload.of(List.of(2))));
      caller.send(new Call(9, Map.of(), "com.example.sum", Payload.of(List.of(3))));
      long sum = 0;
      long invocationId = -1;
      for (boolean last : new boolean[] {false, false, true}) {
        Invocation piece = callee.expect(Invocation.class);
        assertEquals(!last, piece.details().containsKey("progress"));
        invocationId = invocationId < 0 ? piece.requestId() : invocationId;
        assertEquals(invocationId, piece.requestId());
        sum += ((Number) piece.payload().args().get(0)).longValue();
      }
      callee.send(new Yield(invocationId, Map.of(), Payload.of(List.of(sum))));
      Result result = caller.expect(Result.class);
      assertEquals(9, result.requestId());
      assertEquals(6L, ((Number) result.payload().args().get(0)).longValue());
    }
  }

  @Test
  void aCalleesErrorReachesTheCallerWithItsUriArgsAndKwargs() {
    try (TestClient callee = TestClient.connect(router, Serializer.JSON);
        TestClient caller = TestClient.connect(router, Serializer.MSGPACK)) {
      callee.join("realm1");
      caller.join("realm1");
      register(callee, 1, "com.example.fail");
      caller.send(new Call(5, Map.of(), "com.example.fail", Payload.EMPTY));
      Invocation inv = callee.expect(Invocation.class);
      callee.send(new ErrorMessage(MessageCodes.INVOCATION, inv.requestId(), Map.of(), "com.example.error.failed",
          Payload.of(List.of("bad", 7), Map.of("why", "test"))));
      ErrorMessage error = caller.expect(ErrorMessage.class);
      assertError(error, MessageCodes.CALL, 5, "com.example.error.failed");
      assertEquals("bad", error.payload().args().get(0));
      assertEquals(Map.of("why", "test"), error.payload().kwargs());
    }
  }

  @Test
  void callingAnUnknownProcedureIsAnError() {
    try (TestClient caller = TestClient.connect(router, Serializer.JSON)) {
      caller.join("realm1");
      caller.send(new Call(1, Map.of(), "com.example.nobody", Payload.EMPTY));
      ErrorMessage e = caller.expect(ErrorMessage.class);
      assertError(e, MessageCodes.CALL, 1, WampErrors.NO_SUCH_PROCEDURE);
      assertEquals(List.of("no callee registered procedure 'com.example.nobody'"), e.payload().args());
    }
  }

  @Test
  void aProcedureHasOneCalleeAndUnregisterEndsIt() {
    try (TestClient first = TestClient.connect(router, Serializer.JSON);
        TestClient second = TestClient.connect(router, Serializer.JSON)) {
      first.join("realm1");
      second.join("realm1");
      long id = register(first, 1, "com.example.once");
      second.send(new Register(1, Map.of(), "com.example.once"));
      assertError(second.expect(ErrorMessage.class), MessageCodes.REGISTER, 1, WampErrors.PROCEDURE_ALREADY_EXISTS);
      second.send(new Unregister(2, id));
      assertError(second.expect(ErrorMessage.class), MessageCodes.UNREGISTER, 2, WampErrors.NO_SUCH_REGISTRATION);
      first.send(new Unregister(2, id));
      assertEquals(2, first.expect(Unregistered.class).requestId());
      register(second, 3, "com.example.once");
    }
  }

  @Test
  void aCalleeThatLeavesWithCallsPendingFailsThemAtOnce() {
    try (TestClient caller = TestClient.connect(router, Serializer.JSON)) {
      caller.join("realm1");
      try (TestClient callee = TestClient.connect(router, Serializer.JSON)) {
        callee.join("realm1");
        register(callee, 1, "com.example.leaver");
        caller.send(new Call(1, Map.of(), "com.example.leaver", Payload.EMPTY));
        caller.send(new Call(2, Map.of(), "com.example.leaver", Payload.EMPTY));
        callee.expect(Invocation.class);
        callee.expect(Invocation.class);
      }
      ErrorMessage e1 = caller.expect(ErrorMessage.class);
      ErrorMessage e2 = caller.expect(ErrorMessage.class);
      assertEquals(WampErrors.CANCELED, e1.error());
      assertEquals(WampErrors.CANCELED, e2.error());
      assertEquals(java.util.Set.of(1L, 2L), java.util.Set.of(e1.requestId(), e2.requestId()));
      caller.send(new Call(3, Map.of(), "com.example.leaver", Payload.EMPTY));
      assertError(caller.expect(ErrorMessage.class), MessageCodes.CALL, 3, WampErrors.NO_SUCH_PROCEDURE);
    }
  }

  @Test
  void aCanceledCallIsAnsweredAtOnceAndTheLateYieldIsDropped() {
    try (TestClient callee = TestClient.connect(router, Serializer.JSON);
        TestClient caller = TestClient.connect(router, Serializer.JSON)) {
      callee.join("realm1");
      caller.join("realm1");
      register(callee, 1, "com.example.slow");
      caller.send(new Call(9, Map.of(), "com.example.slow", Payload.EMPTY));
      Invocation inv = callee.expect(Invocation.class);
      caller.send(new Cancel(9, Map.of()));
      assertError(caller.expect(ErrorMessage.class), MessageCodes.CALL, 9, WampErrors.CANCELED);
      callee.send(new Yield(inv.requestId(), Map.of(), Payload.of(List.of("late"))));
      caller.expectNothing(200);
    }
  }

  @Test
  void discloseMeTellsTheCalleeWhoCalls() {
    try (TestClient callee = TestClient.connect(router, Serializer.JSON);
        TestClient caller = TestClient.connect(router, Serializer.JSON)) {
      callee.join("realm1");
      long callerId = caller.join("realm1").session();
      register(callee, 1, "com.example.who");
      caller.send(new Call(1, Map.of("disclose_me", true), "com.example.who", Payload.EMPTY));
      assertEquals(callerId, ((Number) callee.expect(Invocation.class).details().get("caller")).longValue());
    }
  }

  private static long registerShared(TestClient callee, long request, String procedure, String policy) {
    callee.send(new Register(request, Map.of("invoke", policy), procedure));
    return callee.expect(Registered.class).registrationId();
  }

  /** Calls the procedure n times and answers each invocation; returns which callee (by index) got each call. */
  private static List<Integer> callAndAnswer(TestClient caller, String procedure, int n, TestClient... callees) {
    List<Integer> who = new java.util.ArrayList<>();
    for (int i = 1; i <= n; i++) {
      caller.send(new Call(i, Map.of(), procedure, Payload.of(List.of(i))));
      Invocation inv = null;
      int index = -1;
      long deadline = System.currentTimeMillis() + 5_000;
      while (inv == null && System.currentTimeMillis() < deadline) {
        for (int k = 0; k < callees.length && inv == null; k++) {
          inv = callees[k].poll(Invocation.class, 20);
          index = inv == null ? -1 : k;
        }
      }
      assertEquals(true, inv != null, "call " + i + " reached no callee");
      callees[index].send(new Yield(inv.requestId(), Map.of(), Payload.of(List.of(index))));
      assertEquals(List.of(index), caller.expect(Result.class).payload().args());
      who.add(index);
    }
    return who;
  }

  @Test
  void roundRobinSharesOneRegistrationAndTakesTheCalleesInTurn() {
    try (TestClient a = TestClient.connect(router, Serializer.JSON);
        TestClient b = TestClient.connect(router, Serializer.JSON);
        TestClient c = TestClient.connect(router, Serializer.JSON);
        TestClient caller = TestClient.connect(router, Serializer.JSON)) {
      for (TestClient t : List.of(a, b, c, caller)) {
        t.join("realm1");
      }
      String procedure = "com.example.shared.rr";
      long id = registerShared(a, 1, procedure, "roundrobin");
      assertEquals(id, registerShared(b, 1, procedure, "roundrobin"), "one registration, shared");
      assertEquals(id, registerShared(c, 1, procedure, "roundrobin"));

      List<Integer> who = callAndAnswer(caller, procedure, 6, a, b, c);
      assertEquals(List.of(who.get(0), who.get(1), who.get(2), who.get(0), who.get(1), who.get(2)), who);
      assertEquals(3, new java.util.HashSet<>(who).size(), "every callee had its turn: " + who);

      // one callee leaves: the others go on taking turns; the last one's UNREGISTER ends the registration
      b.send(new Unregister(2, id));
      b.expect(Unregistered.class);
      assertEquals(2, new java.util.HashSet<>(callAndAnswer(caller, procedure, 4, a, b, c)).size());
      a.send(new Unregister(2, id));
      a.expect(Unregistered.class);
      c.send(new Unregister(2, id));
      c.expect(Unregistered.class);
      caller.send(new Call(99, Map.of(), procedure, Payload.EMPTY));
      assertError(caller.expect(ErrorMessage.class), MessageCodes.CALL, 99, WampErrors.NO_SUCH_PROCEDURE);
    }
  }

  @Test
  void firstAndLastCallTheOldestAndTheNewestCalleeAndFailOverWhenItLeaves() {
    try (TestClient a = TestClient.connect(router, Serializer.JSON);
        TestClient b = TestClient.connect(router, Serializer.MSGPACK);
        TestClient caller = TestClient.connect(router, Serializer.JSON)) {
      for (TestClient t : List.of(a, b, caller)) {
        t.join("realm1");
      }
      registerShared(a, 1, "com.example.shared.first", "first");
      registerShared(b, 1, "com.example.shared.first", "first");
      registerShared(a, 2, "com.example.shared.last", "last");
      registerShared(b, 2, "com.example.shared.last", "last");
      assertEquals(List.of(0, 0, 0), callAndAnswer(caller, "com.example.shared.first", 3, a, b));
      assertEquals(List.of(1, 1, 1), callAndAnswer(caller, "com.example.shared.last", 3, a, b));
      a.send(new Goodbye(Map.of(), "wamp.close.normal")); // hot stand-by: the remaining callee takes over
      a.expect(Goodbye.class);
      assertEquals(List.of(1, 1), callAndAnswer(caller, "com.example.shared.first", 2, a, b));
    }
  }

  @Test
  void randomSpreadsCallsOverTheCallees() {
    try (TestClient a = TestClient.connect(router, Serializer.JSON);
        TestClient b = TestClient.connect(router, Serializer.JSON);
        TestClient caller = TestClient.connect(router, Serializer.JSON)) {
      for (TestClient t : List.of(a, b, caller)) {
        t.join("realm1");
      }
      registerShared(a, 1, "com.example.shared.random", "random");
      registerShared(b, 1, "com.example.shared.random", "random");
      // 40 calls all to one of two callees happen with probability 2^-39
      assertEquals(2, new java.util.HashSet<>(callAndAnswer(caller, "com.example.shared.random", 40, a, b)).size());
    }
  }

  @Test
  void aSharedRegistrationRefusesAnotherPolicyAndASingleOneRefusesSharing() {
    try (TestClient a = TestClient.connect(router, Serializer.JSON);
        TestClient b = TestClient.connect(router, Serializer.JSON)) {
      a.join("realm1");
      b.join("realm1");
      registerShared(a, 1, "com.example.shared.policy", "roundrobin");
      b.send(new Register(7, Map.of("invoke", "random"), "com.example.shared.policy"));
      assertError(b.expect(ErrorMessage.class), MessageCodes.REGISTER, 7,
          WampErrors.PROCEDURE_EXISTS_WITH_DIFFERENT_INVOCATION_POLICY);
      b.send(new Register(8, Map.of(), "com.example.shared.policy"));
      assertError(b.expect(ErrorMessage.class), MessageCodes.REGISTER, 8, WampErrors.PROCEDURE_ALREADY_EXISTS);
      a.send(new Register(9, Map.of("invoke", "roundrobin"), "com.example.shared.policy"));
      assertError(a.expect(ErrorMessage.class), MessageCodes.REGISTER, 9, WampErrors.PROCEDURE_ALREADY_EXISTS);

      register(a, 10, "com.example.shared.single");
      b.send(new Register(11, Map.of("invoke", "roundrobin"), "com.example.shared.single"));
      assertError(b.expect(ErrorMessage.class), MessageCodes.REGISTER, 11, WampErrors.PROCEDURE_ALREADY_EXISTS);
    }
  }
}
