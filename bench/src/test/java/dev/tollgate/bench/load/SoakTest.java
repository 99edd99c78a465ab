package dev.tollgate.bench.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak's short version, in every build: five minutes of sessions that connect with a ticket of their own,
 * subscribe, publish, call and leave, at half their maximum rate, against a router in a process of its own with a
 * 256 MB heap and 30 s tickets; its descriptors, threads, heap and RSS must stay flat and no cycle may fail. The hour-long run, and its
 * figures, are in bench/README.md ({@code bench/run --scenarios soak}).
 */
class SoakTest {
  @Test
  void fiveMinutesOfChurnLeaveTheRoutersResourcesFlat(@TempDir Path data) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(Boolean.getBoolean("soak.skip"), "-Dsoak.skip=true");
    String secret = "soak-" + System.nanoTime();
    Path log = data.resolve("router.log");
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort(); // the load generator's classpath logs nothing, so the router's line cannot say it
    }
    Process router = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "dev.tollgate.router.Main", "serve", "--server.host=127.0.0.1",
        "--server.port=" + port, "--server.path=/ws", "--data.dir=" + data.resolve("db"), "--rules.preset=open",
        "--auth.secret=" + secret, "--keepalive.interval=0",
        // used tickets are kept for their lifetime: a short one lets their number level off within the warm-up
        "--auth.ticket-ttl=30s")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      awaitListening(router, port, log);
      Target target = Target.parse("tollgate", "ws://127.0.0.1:" + port + "/ws", Long.toString(router.pid()), Set.of("json"));
      SoakScenario.Outcome outcome = new SoakScenario(target, "realm1", secret, Duration.ofMinutes(5),
          Duration.ofSeconds(30), 0.5, 8, System.out).soak();
      assertTrue(outcome.cycles() > 1_000, "sessions came and went: " + outcome.cycles());
      assertTrue(outcome.flat(), outcome.problems() + " in " + outcome.samples());
    } finally {
      router.destroy();
      if (!router.waitFor(15, TimeUnit.SECONDS)) {
        router.destroyForcibly();
      }
    }
  }

  private static void awaitListening(Process router, int port, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && router.isAlive()) {
      try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the router did not start: " + (Files.exists(log) ? Files.readString(log) : "no output"));
  }
}
