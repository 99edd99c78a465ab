package dev.tollgate.router;

import static dev.tollgate.router.TestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
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
}
