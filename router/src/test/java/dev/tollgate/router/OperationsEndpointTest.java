package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.Yield;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /health, /ready and /metrics on the WebSocket port, and who may read them. */
class OperationsEndpointTest {

  private static String get(Router router, String path, String... headers) throws Exception {
    return RawHttp.exchange(router.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + String.join("", headers)
        + "Connection: close\r\n\r\n");
  }

  private static String body(String response) {
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }

  /** Prometheus text format: sample name with its labels, to the value. */
  static Map<String, Double> samples(String text) {
    Map<String, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return out;
  }

  @Test
  void healthAndReadinessAnswerLoadBalancers() throws Exception {
    try (Router router = TestRouters.start()) {
      String health = get(router, "/health");
      assertTrue(health.startsWith("HTTP/1.1 200"), health);
      assertEquals("{\"status\":\"up\"}\n", body(health));
      String ready = get(router, "/ready");
      assertTrue(ready.startsWith("HTTP/1.1 200"), ready);
      assertEquals("{\"status\":\"ready\"}\n", body(ready));
      String post = RawHttp.exchange(router.port(), "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      assertTrue(post.startsWith("HTTP/1.1 405") && post.contains("Allow: GET, HEAD"), post);
    }
  }

  @Test
  void anUnreachableUserDatabaseMakesTheRouterNotReadyAndSaysWhyOnlyToThoseAllowed() throws Exception {
    try (Router router = TestRouters.start(Map.of("users.source", "jdbc",
        "users.jdbc.url", "jdbc:h2:tcp://127.0.0.1:1/nowhere", "users.jdbc.user", "sa"))) {
      String ready = get(router, "/ready");
      assertTrue(ready.startsWith("HTTP/1.1 503"), ready);
      assertTrue(body(ready).startsWith("{\"status\":\"not ready\",\"reasons\":[\"the user database"), ready);
      // the same question from outside (through the trusted local proxy): the status, not the reasons
      String outside = get(router, "/ready", "X-Forwarded-For: 203.0.113.9\r\n");
      assertTrue(outside.startsWith("HTTP/1.1 503"), outside);
      assertEquals("{\"status\":\"not ready\"}\n", body(outside));
      assertTrue(get(router, "/health").startsWith("HTTP/1.1 200"), "alive all the same");
    }
  }

  @Test
  void metricsCountWhatTheRouterDid() throws Exception {
    try (Router router = TestRouters.start(Map.of("auth.secret", "ThisTokenIsNotSoSecretChangeIt",
        "auth.allow-anonymous", "true"));
        TestClient subscriber = TestClient.connect(router, Serializer.JSON);
        TestClient publisher = TestClient.connect(router, Serializer.MSGPACK)) {
      subscriber.join("realm1");
      publisher.join("realm1");
      subscriber.send(new Subscribe(1, Map.of(), "com.example.metrics"));
      subscriber.expect(Subscribed.class);
      subscriber.send(new Register(2, Map.of(), "com.example.echo"));
      subscriber.expect(Registered.class);
      publisher.send(new Publish(1, Map.of("acknowledge", true), "com.example.metrics", Payload.of(List.of(1))));
      publisher.expect(Published.class);
      subscriber.expect(Event.class);
      publisher.send(new Call(2, Map.of(), "com.example.echo", Payload.of(List.of("x"))));
      Invocation invocation = subscriber.expect(Invocation.class);
      subscriber.send(new Yield(invocation.requestId(), Map.of(), Payload.of(List.of("x"))));
      publisher.expect(Result.class);
      String refused = RawHttp.upgrade(router.port(), "/ws?ticket=bm90LWEtdGlja2V0", "wamp.2.json");
      assertTrue(refused.startsWith("HTTP/1.1 401"), refused);

      String response = get(router, "/metrics");
      assertTrue(response.startsWith("HTTP/1.1 200") && response.contains("Content-Type: text/plain; version=0.0.4"),
          response.lines().findFirst().orElse(""));
      Map<String, Double> m = samples(body(response));
      assertEquals(1.0, m.get("tollgate_sessions{authrole=\"anonymous\",dialect=\"json\",realm=\"realm1\"}"));
      assertEquals(1.0, m.get("tollgate_sessions{authrole=\"anonymous\",dialect=\"msgpack\",realm=\"realm1\"}"));
      assertEquals(1.0, m.get("tollgate_messages_in_total{type=\"PUBLISH\"}"));
      assertEquals(2.0, m.get("tollgate_messages_in_total{type=\"HELLO\"}"));
      assertEquals(1.0, m.get("tollgate_messages_out_total{type=\"EVENT\"}"));
      assertEquals(1.0, m.get("tollgate_messages_out_total{type=\"RESULT\"}"));
      assertEquals(1.0, m.get("tollgate_events_delivered_total"));
      assertEquals(1.0, m.get("tollgate_calls_round_trip_seconds_count"));
      assertTrue(m.get("tollgate_calls_round_trip_seconds_sum") > 0);
      assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("tollgate_calls_round_trip_seconds_bucket{le=")),
          "a histogram, for percentiles");
      assertEquals(1.0, m.get("tollgate_authentication_failures_total{reason=\"invalid_format\"}"));
      assertEquals(0.0, m.get("tollgate_tickets_replayed_total"));
      assertEquals(2.0, m.get("tollgate_connections"));
      assertTrue(m.containsKey("tollgate_outbound_queued_bytes"));
      assertTrue(m.get("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}") != null
          || m.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")), "the JVM's meters");
      assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("process_files_open")), "file descriptors");
      assertEquals(0.0, m.get("tollgate_messages_in_total{type=\"" + MessageCodes.name(MessageCodes.CANCEL) + "\"}"));
    }
  }

  @Test
  void metricsAccessIsLocalByDefaultAndCanBeAdminOpenOrOff() throws Exception {
    try (Router router = TestRouters.start()) {
      assertTrue(get(router, "/metrics").startsWith("HTTP/1.1 200"));
      String outside = get(router, "/metrics", "X-Forwarded-For: 203.0.113.9\r\n");
      assertTrue(outside.startsWith("HTTP/1.1 403"), outside);
      assertFalse(outside.contains("tollgate_"), outside);
    }
    try (Router router = TestRouters.start(Map.of("metrics.access", "off"))) {
      assertTrue(get(router, "/metrics").startsWith("HTTP/1.1 404"));
      assertTrue(get(router, "/health").startsWith("HTTP/1.1 200"), "health is not metrics");
    }
    try (Router router = TestRouters.start(Map.of("metrics.access", "open"))) {
      assertTrue(get(router, "/metrics", "X-Forwarded-For: 203.0.113.9\r\n").startsWith("HTTP/1.1 200"));
    }
    String url = TestRouters.newDatabaseUrl();
    try (Database db = Database.open(url)) {
      db.users().addRole("admin", "operators");
      db.users().addUser("root", "root@example.com", Passwords.hash("adm1n"), List.of("admin"));
      db.users().addUser("john", "john@example.com", Passwords.hash("pa55word"), List.of());
      try (Router router = TestRouters.start(Map.of("db.url", url, "metrics.access", "admin"))) {
        String none = get(router, "/metrics");
        assertTrue(none.startsWith("HTTP/1.1 401") && none.contains("WWW-Authenticate: Basic"), none);
        assertTrue(get(router, "/metrics", basic("john", "pa55word")).startsWith("HTTP/1.1 401"), "not an admin");
        assertTrue(get(router, "/metrics", basic("root", "wrong")).startsWith("HTTP/1.1 401"));
        String ok = get(router, "/metrics", basic("root", "adm1n"));
        assertTrue(ok.startsWith("HTTP/1.1 200") && ok.contains("tollgate_sessions_opened_total"),
            ok.lines().findFirst().orElse(""));
      }
    }
  }

  private static String basic(String user, String password) {
    return "Authorization: Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8)) + "\r\n";
  }
}
