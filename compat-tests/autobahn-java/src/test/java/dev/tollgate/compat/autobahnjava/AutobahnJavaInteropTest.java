package dev.tollgate.compat.autobahnjava;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestClient;
import dev.tollgate.router.TestRouters;
import io.crossbar.autobahn.wamp.Client;
import io.crossbar.autobahn.wamp.Session;
import io.crossbar.autobahn.wamp.exceptions.ApplicationError;
import io.crossbar.autobahn.wamp.transports.NettyWebSocket;
import io.crossbar.autobahn.wamp.types.CallResult;
import io.crossbar.autobahn.wamp.types.InvocationResult;
import io.crossbar.autobahn.wamp.types.Publication;
import io.crossbar.autobahn.wamp.types.PublishOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crossbar's autobahn-java 20.6.1 (netty transport) against Tollgate, in every serializer it speaks: one session
 * subscribes and registers, another publishes and calls, and every value is checked on arrival.
 */
class AutobahnJavaInteropTest {
  private static final long WAIT_S = 10;
  private static final java.util.concurrent.ExecutorService EXECUTOR = java.util.concurrent.Executors.newCachedThreadPool();
  private static Router router;

  @BeforeAll
  static void start() {
    router = TestRouters.start();
  }

  @AfterAll
  static void stop() {
    router.close();
    EXECUTOR.shutdownNow();
  }

  /** A joined autobahn-java session and the future of its exit. */
  private record Joined(Session session, CompletableFuture<?> exit) {}

  private static Joined join(String subprotocol) throws Exception {
    // Its default executor is the common pool: a single thread on two cores, which its own blocking work starves.
    Session session = new Session(EXECUTOR);
    CompletableFuture<Long> joined = new CompletableFuture<>();
    session.addOnJoinListener((s, details) -> joined.complete(details.sessionID));
    session.addOnLeaveListener((s, details) -> joined.completeExceptionally(new AssertionError("left: " + details.reason)));
    Client client = new Client(List.of(new NettyWebSocket(router.uri().toString(), List.of(subprotocol))), EXECUTOR);
    client.add(session, "realm1");
    CompletableFuture<?> exit = client.connect();
    exit.whenComplete((info, failure) -> joined.completeExceptionally(
        new AssertionError("the client ended before joining: " + (failure != null ? failure : info))));
    long id = joined.get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(id > 0);
    return new Joined(session, exit);
  }

  @ParameterizedTest
  @ValueSource(strings = {"wamp.2.json", "wamp.2.msgpack", "wamp.2.cbor"})
  void autobahnJavaCompletesPubSubAndRpcAgainstTollgate(String subprotocol) throws Exception {
    Joined a = join(subprotocol);
    Joined b = join(subprotocol);
    assertNotEquals(a.session().getID(), b.session().getID());
    String prefix = "com.example.autobahnjava." + subprotocol.substring(7) + ".";

    LinkedBlockingQueue<List<Object>> events = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Map<String, Object>> eventKwargs = new LinkedBlockingQueue<>();
    a.session().subscribe(prefix + "topic", (List<Object> args, Map<String, Object> kwargs,
        io.crossbar.autobahn.wamp.types.EventDetails details) -> {
      events.add(args);
      eventKwargs.add(kwargs);
    }).get(WAIT_S, TimeUnit.SECONDS);
    Publication published = b.session().publish(prefix + "topic", List.of(1, "two", Map.of("three", 3)),
        Map.of("k", "v"), new PublishOptions(true, true)).get(WAIT_S, TimeUnit.SECONDS);
    assertTrue(published.publication > 0);
    List<Object> args = events.poll(WAIT_S, TimeUnit.SECONDS);
    assertEquals(3, args.size(), "event args: " + args);
    assertEquals(1, ((Number) args.get(0)).intValue());
    assertEquals("two", args.get(1));
    assertEquals(Map.of("three", 3), Map.of("three", ((Number) ((Map<?, ?>) args.get(2)).get("three")).intValue()));
    assertEquals(Map.of("k", "v"), eventKwargs.poll(WAIT_S, TimeUnit.SECONDS));

    a.session().register(prefix + "add", (List<Object> in, Map<String, Object> kw,
        io.crossbar.autobahn.wamp.types.InvocationDetails details) ->
        new InvocationResult(List.of(((Number) in.get(0)).intValue() + ((Number) in.get(1)).intValue()),
            Map.of("echo", kw.get("note")))).get(WAIT_S, TimeUnit.SECONDS);
    CallResult sum = b.session().call(prefix + "add", List.of(2, 3), Map.of("note", "hi"), (io.crossbar.autobahn.wamp.types.CallOptions) null)
        .get(WAIT_S, TimeUnit.SECONDS);
    assertEquals(5, ((Number) sum.results.get(0)).intValue());
    assertEquals(Map.of("echo", "hi"), sum.kwresults);

    // A callee's application error, sent by Tollgate's own test peer: autobahn-java 20.6.1 as a callee turns
    // every exception into wamp.error.runtime_error, so the caller side is what is checked here.
    TestClient failing = TestClient.connect(router, Serializer.JSON);
    failing.join("realm1");
    failing.send(new Register(1, Map.of(), prefix + "fail"));
    failing.expect(Registered.class);
    CompletableFuture<CallResult> call = b.session().call(prefix + "fail");
    Invocation invocation = failing.expect(Invocation.class);
    failing.send(new ErrorMessage(MessageCodes.INVOCATION, invocation.requestId(), Map.of(), "com.example.error.failed",
        Payload.of(List.of("bad", 7), Map.of("why", "test"))));
    CompletionException failed = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, call::join);
    failing.close();
    ApplicationError error = assertInstanceOf(ApplicationError.class, failed.getCause());
    assertEquals("com.example.error.failed", error.getMessage());
    assertEquals("bad", error.args.get(0));
    assertEquals(Map.of("why", "test"), error.kwargs);

    CompletionException missing = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        () -> b.session().call(prefix + "nobody").join());
    assertEquals("wamp.error.no_such_procedure",
        assertInstanceOf(ApplicationError.class, missing.getCause()).getMessage());

    a.session().leave();
    b.session().leave();
    a.exit().get(WAIT_S, TimeUnit.SECONDS);
    b.exit().get(WAIT_S, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> router.metrics().sessionsClosed() == router.metrics().sessionsOpened());
  }
}
