package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.Rule;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults from outside the router's code, each on a router in a process of its own (RouterProcess). */
class FaultsTest {
  /**
   * kill -9 while four admins add rules as fast as the admin API takes them: the database opens cleanly afterwards,
   * every rule the API acknowledged (201) is there, whole, and nothing half-written is.
   */
  @Test
  void aRouterKilledWhileRulesAreWrittenKeepsEveryAcknowledgedRuleWhole(@TempDir Path data) throws Exception {
    String url = Database.fileUrl(data);
    try (Database db = Database.open(url)) {
      db.users().addRole("admin", "operators");
      db.users().addUser("root", null, Passwords.hash("adm1n"), List.of("admin"));
    }
    Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger attempts = new AtomicInteger();
    try (RouterProcess router = RouterProcess.start(List.of(), "--data.dir=" + data, "--rules.preset=open")) {
      String cookie = AdminApi.login(router.port(), "root", "adm1n");
      CountDownLatch enough = new CountDownLatch(150);
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int writer = t;
        Thread thread = new Thread(() -> {
          for (int i = 0; ; i++) {
            String pattern = "fault.w" + writer + ".r" + i;
            attempts.incrementAndGet();
            try {
              AdminApi.Reply r = AdminApi.as(router.port(), cookie, "POST", "rules", Map.of("role", "fault",
                  "pattern", pattern, "match", "exact", "actions", "subscribe,publish", "note", "note of " + pattern));
              if (r.status() == 201) {
                acknowledged.put(((Number) r.body().get("id")).longValue(), pattern);
                enough.countDown();
              }
            } catch (Exception killed) {
              return; // the router is gone
            }
          }
        }, "rule-writer-" + writer);
        thread.start();
        writers.add(thread);
      }
      assertTrue(enough.await(60, TimeUnit.SECONDS), "150 rules acknowledged before the kill");
      router.kill9();
      for (Thread w : writers) {
        w.join(TimeUnit.SECONDS.toMillis(30));
      }
    }

    try (Database db = Database.open(url)) {
      List<Rule> faults = db.rules().list().stream().filter(r -> r.role().equals("fault")).toList();
      for (Rule r : faults) {
        assertTrue(r.pattern().matches("fault\\.w\\d\\.r\\d+"), "a whole pattern: " + r);
        assertEquals("note of " + r.pattern(), r.note(), "a whole rule: " + r);
        assertEquals(EnumSet.of(Action.SUBSCRIBE, Action.PUBLISH), r.actions(), "a whole rule: " + r);
      }
      Map<Long, String> kept = new java.util.HashMap<>();
      faults.forEach(r -> kept.put(r.id(), r.pattern()));
      for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
        assertEquals(ack.getValue(), kept.get(ack.getKey()), "acknowledged rule " + ack.getKey() + " survives the kill ("
            + acknowledged.size() + " acknowledged of " + attempts.get() + " sent, " + faults.size() + " in the database)");
      }
    }
    // and the router starts again on it
    try (RouterProcess again = RouterProcess.start(List.of(), "--data.dir=" + data)) {
      assertTrue(again.port() > 0);
    }
  }

  /**
   * The descriptor ceiling (ulimit -n 400): new clients are refused at once with 503, not left hanging in the
   * backlog, while descriptors are still left for the router itself; the sessions already open go on delivering
   * (before the headroom, the first publication after the ceiling failed: the class it needed could not be loaded);
   * the router does not spin; and when descriptors are freed, new clients get in again.
   */
  @Test
  void whenDescriptorsRunOutNewClientsAreRefusedAndOpenSessionsGoOn(@TempDir Path data) throws Exception {
    try (RouterProcess router = RouterProcess.start(List.of("prlimit", "--nofile=400:400", "--"),
        "--data.dir=" + data, "--rules.preset=open", "--session.hello-timeout=120s", "--keepalive.interval=0");
         TestClient subscriber = TestClient.connect(URI.create("ws://127.0.0.1:" + router.port() + "/ws"),
             dev.tollgate.protocol.Serializer.JSON);
         TestClient publisher = TestClient.connect(URI.create("ws://127.0.0.1:" + router.port() + "/ws"),
             dev.tollgate.protocol.Serializer.MSGPACK)) {
      subscriber.join("realm1");
      subscriber.send(new dev.tollgate.protocol.Subscribe(1, Map.of(), "news"));
      subscriber.expect(dev.tollgate.protocol.Subscribed.class);
      publisher.join("realm1");

      List<RawWebSocket> held = new ArrayList<>();
      String refusal = null;
      try {
        while (refusal == null && held.size() < 1000) {
          try {
            held.add(RawWebSocket.connect(router.port(), "wamp.2.json", 65536));
          } catch (AssertionError notUpgraded) {
            refusal = notUpgraded.getMessage();
          }
        }
        assertTrue(refusal != null && refusal.contains("HTTP/1.1 503") && refusal.contains("Retry-After: 5"),
            "refused with 503 after " + held.size() + " connections: " + refusal);
        assertTrue(held.size() > 150, "most of the 400 descriptors serve connections: " + held.size());
        router.lines().next(l -> l.contains("refused a new connection with 503"), 10); // the operator is told

        long cpuBefore = cpuTicks(router.pid());
        Thread.sleep(2_000);
        long spent = cpuTicks(router.pid()) - cpuBefore;
        assertTrue(spent < 50, "the router idles at the ceiling, it does not spin: " + spent + " ticks in 2 s");

        publisher.send(new dev.tollgate.protocol.Publish(2, Map.of(), "news", dev.tollgate.protocol.Payload.of(List.of("still here"))));
        dev.tollgate.protocol.Event event = subscriber.poll(dev.tollgate.protocol.Event.class, 5_000);
        assertTrue(event != null, "the open sessions go on; the router said: " + String.join("\n", router.lines().all()));
        assertEquals(List.of("still here"), event.payload().args());
      } finally {
        for (RawWebSocket ws : held) {
          ws.close();
        }
      }
      // freed: a new client gets in (the router closes its side of each within a few seconds)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (true) {
        try (TestClient late = TestClient.connect(URI.create("ws://127.0.0.1:" + router.port() + "/ws"),
            dev.tollgate.protocol.Serializer.JSON)) {
          late.join("realm1");
          break;
        } catch (RuntimeException | AssertionError stillFull) {
          if (System.nanoTime() > deadline) {
            throw stillFull;
          }
          Thread.sleep(200);
        }
      }
    }
  }

  /**
   * Tollgate's H2 file held by another process that opened it without AUTO_SERVER (an H2 console or shell): the
   * router does not start, and says which file and what to do.
   */
  @Test
  void aDatabaseFileHeldByAnotherProcessStopsTheStartSayingWhy(@TempDir Path data) throws Exception {
    String url = Database.fileUrl(data);
    Database.open(url).close(); // made and migrated, then let go
    String exclusive = url.replace(";AUTO_SERVER=TRUE", "");
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), HoldDatabase.class.getName(), exclusive).redirectErrorStream(true).start();
    try {
      ProcessLines lines = new ProcessLines(holder);
      lines.next(l -> l.equals("holding"), 30);
      IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> Router.start(TestRouters.config(Map.of("db.url", url))));
      assertTrue(refused.getMessage().contains("in use by another process") && refused.getMessage().contains(data.toString()),
          refused.getMessage());
    } finally {
      holder.getOutputStream().close();
      assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
    }
    try (Router router = TestRouters.start(Map.of("db.url", url))) {
      assertTrue(router.port() > 0, "and once it is let go, the router starts");
    }
  }

  /**
   * Tollgate's H2 file read-only (made immutable with chattr, which binds root too): the router does not start, and
   * says the file must be writable; once it is, the router starts.
   */
  @Test
  void aReadOnlyDatabaseFileStopsTheStartSayingWhy(@TempDir Path data) throws Exception {
    String url = Database.fileUrl(data);
    Database.open(url).close();
    Path file = data.resolve("tollgate.mv.db");
    chattr("+i", file);
    try {
      IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> Router.start(TestRouters.config(Map.of("db.url", url))));
      assertTrue(refused.getMessage().contains("read-only"), refused.getMessage());
    } finally {
      chattr("-i", file);
    }
    try (Router router = TestRouters.start(Map.of("db.url", url))) {
      assertTrue(router.port() > 0, "writable again, the router starts");
    }
  }

  /**
   * The database file becomes read-only while the router runs: logins that need a write (a used ticket) are refused
   * with 503 "try again" rather than let through, sessions already open go on, and once the file is writable again,
   * logins work without a restart.
   */
  @Test
  void aDatabaseFileThatTurnsReadOnlyWhileRunningFailsLoginsClosedAndRecovers(@TempDir Path data) throws Exception {
    String secret = "ThisTokenIsNotSoSecretChangeIt";
    dev.tollgate.auth.TicketGenerator tickets = new dev.tollgate.auth.TicketGenerator(
        dev.tollgate.auth.TicketSecret.of(secret), java.time.Clock.systemUTC());
    String url = Database.fileUrl(data);
    Path file = data.resolve("tollgate.mv.db");
    try (Router router = TestRouters.start(Map.of("db.url", url, "auth.secret", secret));
         TestClient before = TestClient.connect(TestRouters.withTicket(router, tickets.anonymous()),
             dev.tollgate.protocol.Serializer.JSON)) {
      before.join("realm1");
      chattr("+i", file);
      try {
        String refused = RawHttp.upgrade(router.port(), "/ws?ticket=" + java.net.URLEncoder.encode(tickets.anonymous(),
            StandardCharsets.UTF_8), "wamp.2.json");
        assertTrue(refused.startsWith("HTTP/1.1 503") && refused.contains("try again"), refused);
        before.send(new dev.tollgate.protocol.Subscribe(1, Map.of(), "still.here"));
        before.expect(dev.tollgate.protocol.Subscribed.class);
      } finally {
        chattr("-i", file);
      }
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> RawHttp.upgrade(
          router.port(), "/ws?ticket=" + java.net.URLEncoder.encode(tickets.anonymous(), StandardCharsets.UTF_8),
          "wamp.2.json").startsWith("HTTP/1.1 101"));
    }
  }

  private static void chattr(String flag, Path file) throws Exception {
    Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0,
        "chattr " + flag + " (e2fsprogs; the file system must support the immutable flag): " + out);
  }

  /** The process's CPU time so far, in clock ticks (utime + stime of /proc/PID/stat). */
  private static long cpuTicks(long pid) throws java.io.IOException {
    String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
