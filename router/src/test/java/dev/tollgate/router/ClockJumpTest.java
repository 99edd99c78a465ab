package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.WampErrors;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The wall clock jumping forward and back under a running router. Tickets carry wall-clock dates, so they are judged
 * by the wall clock, as Oro judges them, and a refusal says which way the clocks disagree; everything timed (call
 * timeouts, idle and HELLO timeouts, the throttle) runs on the monotonic clock, so a jump neither ends sessions nor
 * keeps a timeout from firing.
 *
 * <p>The jump moves the router's wall clock ({@link Router#start(RouterConfig, Clock)}), not the machine's: libfaketime,
 * which would move the process's, makes the JVM's own timed waits spin (every JVM thread at full CPU, requests taking
 * seconds), so it cannot stand in for a real jump. That every wall-clock read goes through that clock is
 * {@link #everyWallClockReadGoesThroughTheRoutersClock}'s to check.
 */
class ClockJumpTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";

  /** A clock that can be moved while the router reads it. */
  private static final class MovableClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    void set(Duration jump) {
      offset.set(jump);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void ticketsFollowTheWallClockAndTimeoutsDoNotJump() throws Exception {
    MovableClock wall = new MovableClock();
    TicketGenerator now = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());
    try (Router router = Router.start(TestRouters.config(Map.of("auth.secret", SECRET,
            "session.idle-timeout", "3s", "session.ping-interval", "1s", "session.hello-timeout", "3s")), wall);
         TestClient session = connect(router, now.anonymous(), Serializer.JSON);
         TestClient callee = connect(router, now.anonymous(), Serializer.MSGPACK);
         TestClient caller = connect(router, now.anonymous(), Serializer.CBOR)) {
      callee.send(new Register(1, Map.of(), "slow.never.answers"));
      callee.expect(Registered.class);

      // three hours forward
      wall.set(Duration.ofHours(3));
      String stale = upgrade(router, now.anonymous());
      assertTrue(stale.startsWith("HTTP/1.1 401") && stale.contains("expired"), "by the router's clock: " + stale);
      TicketGenerator routersTime = new TicketGenerator(TicketSecret.of(SECRET), wall);
      assertTrue(upgrade(router, routersTime.anonymous()).startsWith("HTTP/1.1 101"), "a ticket of the router's time");
      Thread.sleep(4_000); // past the idle timeout by the monotonic clock; the sessions answer pings, so they stay
      session.send(new Subscribe(1, Map.of(), "after.the.jump"));
      session.expect(Subscribed.class);

      // one hour back, with a call's one-second timeout running
      caller.send(new Call(2, Map.of("timeout", 1000), "slow.never.answers", Payload.EMPTY));
      callee.expect(Invocation.class);
      long sent = System.nanoTime();
      wall.set(Duration.ofHours(-1));
      ErrorMessage timedOut = caller.poll(ErrorMessage.class, 5_000);
      assertTrue(timedOut != null, "the call's timeout fired in spite of the jump back");
      TestClient.assertError(timedOut, MessageCodes.CALL, 2, WampErrors.TIMEOUT);
      long tookMillis = (System.nanoTime() - sent) / 1_000_000;
      assertTrue(tookMillis >= 900 && tookMillis < 3_000, "about its second: " + tookMillis + " ms");
      String early = upgrade(router, now.anonymous());
      assertTrue(early.startsWith("HTTP/1.1 401") && early.contains("future"), "by the router's clock: " + early);

      // back to the real time: tickets of now are good again, and the sessions are all still there
      wall.set(Duration.ZERO);
      assertTrue(upgrade(router, now.anonymous()).startsWith("HTTP/1.1 101"));
      session.send(new Subscribe(3, Map.of(), "after.both.jumps"));
      session.expect(Subscribed.class);
      assertEquals(0, router.metrics().sessionsClosed(), "no session ended for the jumps");
    }
  }

  /**
   * Every read of the wall clock in the router and its auth module goes through the router's clock, or is listed
   * here with why it need not: so that the jump above is the router's whole view of a jump.
   */
  @Test
  void everyWallClockReadGoesThroughTheRoutersClock() throws IOException {
    Pattern read = Pattern.compile("Instant\\.now\\(\\)|System\\.currentTimeMillis\\(\\)|Clock\\.systemUTC\\(\\)"
        + "|LocalDateTime\\.now\\(|new java\\.util\\.Date\\(\\)|new Date\\(\\)");
    Set<String> found = new TreeSet<>();
    for (Path root : new Path[] {Path.of("src/main/java"), Path.of("../auth/src/main/java")}) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          if (read.matcher(Files.readString(f)).find()) {
            found.add(f.getFileName().toString());
          }
        }
      }
    }
    assertEquals(Set.of(
        "Router.java",        // the default wall clock, handed to Security
        "AdminCommands.java", // the command line: `ticket issue` and `ticket verify` run now, or --at
        "EntryMetaApi.java",  // when a subscription or registration was made, as the meta API shows it
        "AdminView.java"),    // when a session joined, as the admin page shows it (from the monotonic clock)
        found);
  }

  private static TestClient connect(Router router, String ticket, Serializer serializer) {
    TestClient c = TestClient.connect(TestRouters.withTicket(router, ticket), serializer);
    c.join("realm1");
    return c;
  }

  private static String upgrade(Router router, String ticket) throws Exception {
    return RawHttp.upgrade(router.port(), "/ws?ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8),
        "wamp.2.json");
  }
}
