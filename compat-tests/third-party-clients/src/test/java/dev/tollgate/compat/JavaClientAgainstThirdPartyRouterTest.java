package dev.tollgate.compat;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.client.ApplicationException;
import dev.tollgate.client.Options;
import dev.tollgate.client.Registration;
import dev.tollgate.client.SessionDetails;
import dev.tollgate.client.Subscription;
import dev.tollgate.client.Values;
import dev.tollgate.client.WampClient;
import dev.tollgate.protocol.Serializer;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Tollgate's Java client against fox-wamp 0.7.28, a WAMP v2 router from npm that no one here wrote, which
 * {@code js/start-fox-wamp.mjs} starts under Node.js on a free port of 127.0.0.1 for this class and which is destroyed
 * after it, pass or fail. Each test connects two clients to realm {@code realm1} over JSON (fox-wamp speaks only
 * {@code wamp.2.json}), A the subscriber and callee and B the publisher and caller, and ends when both have said
 * GOODBYE and are closed.
 *
 * <p>fox-wamp's own ways, which the assertions follow:
 * <ul>
 *   <li>a callee's ERROR reaches the caller as {@code wamp.error.callee_failure} whose only argument is the callee's
 *       error URI; the callee's args and kwargs are dropped;
 *   <li>it answers GOODBYE with the legacy reason {@code wamp.error.goodbye_and_out};
 *   <li>it writes {@code null} for an absent Arguments or ArgumentsKw in EVENT, RESULT and INVOCATION
 *       ({@code [50, 5, {}, [5], null]}), and it unwraps a lone positional argument before wrapping it again, so a
 *       lone list argument arrives as the list's elements.
 * </ul>
 * The client takes those nulls as absent (the last three tests).
 */
class JavaClientAgainstThirdPartyRouterTest {
  private static final Path JS = Path.of("js").toAbsolutePath();
  private static final Pattern READY = Pattern.compile("listening (\\d{1,5})");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final AtomicInteger TESTS = new AtomicInteger();

  private static Process router;
  private static Path routerLog;
  private static URI routerUri;

  /** Each test's own URIs, so that what one test leaves in fox-wamp cannot reach the next. */
  private String topic;
  private String fenceTopic;
  private String add;
  private String nobody;

  /** The subscriber and callee. */
  private Peer a;
  /** The publisher and caller. */
  private Peer b;

  /** One connected client, its executor, and the states its listener saw (with the cause's message, if any). */
  private record Peer(WampClient client, ExecutorService executor, List<String> states) {}

  /** What the procedure answers, as a dict, mapped back from the RESULT's first argument. */
  public record Sum(int a, int b, int sum) {}

  /** The dict in the third argument of the published event. */
  public record Three(int three) {}

  @RegisterExtension
  final TestWatcher printRouterLogOnFailure = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      System.err.println("fox-wamp's log (--trace) when " + context.getDisplayName() + " failed:\n" + tail(routerLog));
    }
  };

  @BeforeAll
  static void installAndStartFoxWamp() throws Exception {
    if (!Files.exists(JS.resolve("node_modules/fox-wamp/package.json"))) {
      // CI's .ci/run installs the packages first; a developer's `mvn verify` gets them here.
      npmCi();
    }
    routerLog = Files.createTempFile("fox-wamp", ".log");
    router = new ProcessBuilder("node", "start-fox-wamp.mjs", "0", "--trace", "--exit-on-stdin-close")
        .directory(JS.toFile())
        .redirectError(routerLog.toFile())
        .start();
    try {
      routerUri = URI.create("ws://127.0.0.1:" + awaitReadyLine(router, Duration.ofSeconds(30)) + "/");
    } catch (Throwable e) {
      stopFoxWamp();
      throw e;
    }
  }

  @AfterAll
  static void stopFoxWamp() throws Exception {
    try {
      if (router != null) {
        Process p = router;
        router = null;
        p.destroy(); // SIGTERM, on which the script exits at once
        if (!p.waitFor(5, SECONDS)) {
          p.destroyForcibly().waitFor(5, SECONDS);
        }
        assertFalse(p.isAlive(), "fox-wamp (pid " + p.pid() + ") outlived destroyForcibly()");
      }
    } finally {
      if (routerLog != null) {
        Files.deleteIfExists(routerLog);
        routerLog = null;
      }
    }
  }

  @BeforeEach
  void connectTwoClients() {
    String prefix = "com.example.fox.t" + TESTS.incrementAndGet() + ".";
    topic = prefix + "orders";
    fenceTopic = prefix + "fence";
    add = prefix + "add";
    nobody = prefix + "nobody";
    a = connect("a");
    b = connect("b");
    assertNotEquals(a.client.sessionId(), b.client.sessionId());
  }

  @AfterEach
  void bothClientsSayGoodbyeAndFoxWampAnswers() {
    List<Peer> peers = Stream.of(a, b).filter(Objects::nonNull).toList();
    try {
      peers.forEach(p -> p.client.close());
      for (Peer p : peers) {
        await().atMost(WAIT).until(() -> p.states.stream().anyMatch(s -> s.startsWith("CLOSED")));
        // The client's own close is no failure (no cause); any drop before would show as an earlier CLOSED with its
        // cause (the clients do not reconnect).
        assertEquals(List.of("CONNECTING", "CONNECTED", "CLOSED"), p.states);
        assertEquals(WampClient.State.CLOSED, p.client.state());
      }
    } finally {
      peers.forEach(p -> p.executor.shutdownNow());
    }
  }

  @Test
  void anEventFromTheOtherClientArrivesWithItsArgsKwargsAndPublisher() throws Exception {
    BlockingQueue<Values> events = new LinkedBlockingQueue<>();
    join(a.client.subscribe(topic, events::add));
    List<Object> args = Arrays.asList(1, "two", Map.of("three", 3), Arrays.asList(4.5, true, null));
    Map<String, Object> kwargs = Map.of("k", "v", "n", 42, "deep", Map.of("a", List.of(1, 2)));

    join(b.client.publish(topic, args, kwargs, Options.Publish.ACKNOWLEDGED));

    Values event = events.poll(WAIT.toSeconds(), SECONDS);
    assertNotNull(event, "no EVENT within " + WAIT.toSeconds() + " s");
    assertEquals(args, event.args());
    assertEquals(kwargs, event.kwargs());
    assertEquals(new Three(3), event.arg(2, Three.class));
    assertEquals(topic, event.details().get("topic"));
    assertEquals(b.client.sessionId(), ((Number) event.details().get("publisher")).longValue());
    fence();
    assertEquals(List.of(), List.copyOf(events), "one publication, one EVENT");
  }

  @Test
  void afterUnsubscribingNoMoreEventsArrive() {
    List<Object> got = new CopyOnWriteArrayList<>();
    Subscription subscription = join(a.client.subscribe(topic, event -> got.add(event.args().get(0))));
    join(b.client.publish(topic, List.of("before"), Map.of("n", 1), Options.Publish.ACKNOWLEDGED));
    fence();
    assertEquals(List.of("before"), got);

    // Completes only at UNSUBSCRIBED: fox-wamp refuses an id it does not know with wamp.error.no_such_subscription.
    join(subscription.unsubscribe());
    join(b.client.publish(topic, List.of("after"), Map.of("n", 2), Options.Publish.ACKNOWLEDGED));
    fence();
    assertEquals(List.of("before"), got);
  }

  @Test
  void aCallReachesTheOtherClientsProcedureAndItsResultMapsToAType() throws Exception {
    BlockingQueue<Values> invocations = new LinkedBlockingQueue<>();
    Registration registration = join(a.client.register(add, call -> {
      invocations.add(call);
      int x = call.arg(0, Integer.class);
      int y = call.arg(1, Integer.class);
      return new Values(List.of(Map.of("a", x, "b", y, "sum", x + y)), Map.of("op", "add"), null);
    }));

    Values result = join(b.client.call(add, List.of(2, 3), Map.of("unit", "apples"), Options.Call.DEFAULT));

    assertEquals(new Sum(2, 3, 5), result.as(Sum.class));
    assertEquals(new Sum(2, 3, 5), result.arg(0, Sum.class));
    assertEquals(List.of(Map.of("a", 2, "b", 3, "sum", 5)), result.args());
    assertEquals(Map.of("op", "add"), result.kwargs());
    Values invocation = invocations.poll(WAIT.toSeconds(), SECONDS);
    assertNotNull(invocation);
    assertEquals(List.of(2, 3), invocation.args());
    assertEquals(Map.of("unit", "apples"), invocation.kwargs());
    assertEquals(List.of(), List.copyOf(invocations), "one call, one INVOCATION");

    join(registration.unregister());
    ApplicationException gone = assertInstanceOf(ApplicationException.class,
        failureOf(b.client.call(add, List.of(2, 3), Map.of("unit", "apples"), Options.Call.DEFAULT)));
    assertEquals("wamp.error.no_such_procedure", gone.uri());
    assertEquals(List.of(), List.copyOf(invocations), "no INVOCATION after UNREGISTERED");
  }

  @Test
  void aCallToAProcedureNobodyRegisteredFailsWithNoSuchProcedure() {
    ApplicationException e = assertInstanceOf(ApplicationException.class,
        failureOf(b.client.call(nobody, List.of("x"), Map.of("k", "v"), Options.Call.DEFAULT)));
    assertEquals("wamp.error.no_such_procedure", e.uri());
    assertEquals(List.of("no callee registered for procedure <" + nobody + ">"), e.args());
    assertEquals(Map.of(), e.kwargs());
  }

  @Test
  void aCalleesErrorReachesTheCallerAsFoxWampsCalleeFailure() {
    join(a.client.register(add + ".fail", call -> {
      throw new ApplicationException("com.example.error.failed", List.of("bad", 7), Map.of("why", "test"));
    }));
    join(a.client.register(add + ".crash", call -> {
      throw new IllegalStateException("boom");
    }));

    ApplicationException failed = assertInstanceOf(ApplicationException.class,
        failureOf(b.client.call(add + ".fail", List.of(1), Map.of("k", "v"), Options.Call.DEFAULT)));
    assertEquals("wamp.error.callee_failure", failed.uri());
    assertEquals(List.of("com.example.error.failed"), failed.args(), "fox-wamp keeps only the callee's error URI");
    assertEquals(Map.of(), failed.kwargs());

    ApplicationException crashed = assertInstanceOf(ApplicationException.class,
        failureOf(b.client.call(add + ".crash", List.of(1), Map.of("k", "v"), Options.Call.DEFAULT)));
    assertEquals("wamp.error.callee_failure", crashed.uri());
    assertEquals(List.of("wamp.error.runtime_error"), crashed.args());
  }

  // fox-wamp writes null for an absent Arguments or ArgumentsKw; the client reads it as absent.

  @Test
  void aPlainReturnValueReachesTheCallerThoughFoxWampSendsANullArgumentsKw() {
    join(a.client.register(add, call -> call.arg(0, Integer.class) + call.arg(1, Integer.class)));
    assertEquals(5, join(b.client.call(add, 2, 3)).as(Integer.class));
  }

  @Test
  void anEventWithArgsOnlyArrivesThoughFoxWampSendsANullArgumentsKw() throws Exception {
    BlockingQueue<Values> events = new LinkedBlockingQueue<>();
    join(a.client.subscribe(topic, events::add));
    join(b.client.publish(topic, List.of("only"), Map.of(), Options.Publish.ACKNOWLEDGED));
    Values event = events.poll(WAIT.toSeconds(), SECONDS);
    assertNotNull(event, "no EVENT within " + WAIT.toSeconds() + " s");
    assertEquals(List.of("only"), event.args());
    assertEquals(Map.of(), event.kwargs());
  }

  @Test
  void aCallWithoutArgumentsReachesTheCalleeThoughFoxWampSendsNullArguments() {
    join(a.client.register(add, call -> new Values(List.of(call.args().size()), Map.of("k", "v"), null)));
    assertEquals(0, join(b.client.call(add)).as(Integer.class));
  }

  public record Line(String sku, int quantity) {}

  public record Order(String id, List<Line> lines) {}

  @Test
  void recordsGoOutAsArgumentsAndResultsAndComeBackAsTheyWere() throws Exception {
    Order order = new Order("o-7", List.of(new Line("sku-1", 2)));
    join(a.client.register(add, call -> new Values(List.of(call.arg(0, Order.class).lines().get(0)),
        Map.of("order", call.arg(0, Order.class)), null)));
    Values result = join(b.client.call(add, List.of(order, "second"), Map.of("k", "v"), Options.Call.DEFAULT));
    assertEquals(new Line("sku-1", 2), result.as(Line.class));
    assertEquals(order, result.kwargs(OrderKwargs.class).order());

    BlockingQueue<Values> events = new LinkedBlockingQueue<>();
    join(a.client.subscribe(topic, events::add));
    join(b.client.publish(topic, List.of(order, "second"), Map.of("by", new Line("sku-2", 1)),
        Options.Publish.ACKNOWLEDGED));
    Values event = events.poll(WAIT.toSeconds(), SECONDS);
    assertNotNull(event, "no EVENT within " + WAIT.toSeconds() + " s");
    assertEquals(order, event.arg(0, Order.class));
    assertEquals(Map.of("by", Map.of("sku", "sku-2", "quantity", 1)), event.kwargs());
  }

  public record OrderKwargs(Order order) {}

  @Test
  void connectCompletesWithTheSessionFoxWampWelcomedAndCloseEndsIt() throws Exception {
    WampClient c = WampClient.builder().uri(routerUri).reconnect(false).build();
    SessionDetails session = c.connect().get(WAIT.toSeconds(), SECONDS);
    assertTrue(session.sessionId() > 0);
    assertEquals(session.sessionId(), c.sessionId());
    assertEquals("realm1", session.realm());
    assertTrue(session.welcomeDetails().containsKey("roles"), session.welcomeDetails().toString());
    c.closeAsync().get(WAIT.toSeconds(), SECONDS);
    assertEquals(WampClient.State.CLOSED, c.state());
  }

  // --- helpers ------------------------------------------------------------------------------------------------------

  private static Peer connect(String name) {
    List<String> states = new CopyOnWriteArrayList<>();
    // One thread per client: its handlers run in the order the router sent their messages, across subscriptions.
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "fox-wamp-client-" + name));
    WampClient client = WampClient.builder()
        .uri(routerUri)
        .realm("realm1")
        .serializer(Serializer.JSON)
        .executor(executor)
        .reconnect(false) // a dropped session shows as an early CLOSED, not as a quiet reconnection
        .listener(new WampClient.Listener() {
          @Override
          public void onStateChanged(WampClient.State state, Throwable cause) {
            states.add(cause == null ? state.name() : state + ": " + cause.getMessage());
          }
        })
        .build();
    join(client.connect());
    assertEquals(WampClient.State.CONNECTED, client.state());
    assertTrue(client.sessionId() > 0, "fox-wamp's WELCOME gave session id " + client.sessionId());
    return new Peer(client, executor, states);
  }

  /**
   * Returns once A has handled every EVENT caused by B's publications before the call: A handles its events in the
   * order fox-wamp sent them, and fox-wamp sends them in the order of B's publications.
   */
  private void fence() {
    CountDownLatch seen = new CountDownLatch(1);
    Subscription fence = join(a.client.subscribe(fenceTopic, event -> seen.countDown()));
    join(b.client.publish(fenceTopic, List.of("fence"), Map.of("fence", true), Options.Publish.ACKNOWLEDGED));
    try {
      assertTrue(seen.await(WAIT.toSeconds(), SECONDS), "the fence EVENT did not arrive");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    join(fence.unsubscribe());
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get(WAIT.toSeconds(), SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success but was " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + WAIT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static Throwable failureOf(CompletableFuture<?> future) {
    return assertThrows(ExecutionException.class, () -> future.get(WAIT.toSeconds(), SECONDS)).getCause();
  }

  /** The port from the script's one line on stdout, {@code listening PORT}. */
  private static int awaitReadyLine(Process p, Duration timeout) throws Exception {
    CompletableFuture<String> firstLine = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
        firstLine.complete(out.readLine()); // null if the script ends first
        while (out.readLine() != null) {
          // drained, so the script can never block on a full pipe
        }
      } catch (IOException e) {
        firstLine.completeExceptionally(e);
      }
    }, "fox-wamp-stdout");
    reader.setDaemon(true);
    reader.start();
    String line;
    try {
      line = firstLine.get(timeout.toMillis(), MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("fox-wamp printed no ready line within " + timeout.toSeconds() + " s; its log:\n"
          + tail(routerLog));
    }
    Matcher m = READY.matcher(line == null ? "" : line);
    if (!m.matches()) {
      String was = line == null
          ? "the end of its output (exit code " + (p.waitFor(2, SECONDS) ? p.exitValue() : "none yet") + ")"
          : "\"" + line + "\"";
      throw new AssertionError("expected fox-wamp's ready line \"listening PORT\" but was " + was + "; its log:\n"
          + tail(routerLog));
    }
    return Integer.parseInt(m.group(1));
  }

  private static void npmCi() throws Exception {
    Path out = Files.createTempFile("npm-ci", ".log");
    try {
      Process install = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
          .directory(JS.toFile())
          .redirectErrorStream(true)
          .redirectOutput(out.toFile())
          .start();
      if (!install.waitFor(300, SECONDS)) {
        install.destroyForcibly();
        throw new AssertionError("npm ci did not finish within 300 s in " + JS);
      }
      assertEquals(0, install.exitValue(), "npm ci failed in " + JS + ":\n" + Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** The last 200 lines of fox-wamp's log, for failure messages. */
  private static String tail(Path log) {
    try {
      List<String> lines = log == null ? List.of() : Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 200), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
