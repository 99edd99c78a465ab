package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.User;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin page's HTTP side against a real router: who gets in (password, ticket, HTTP Basic; not a plain user, not
 * without the guard header, not from elsewhere when admin.access says so), and that what it shows and does is what
 * the router holds and does. The page itself, in a browser, is compat-tests/browser's AdminPageInChromiumTest.
 */
class AdminPageTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private String url;
  private Database db;
  private User root;
  private Router router;
  private final TicketGenerator tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());

  @BeforeEach
  void start() {
    url = TestRouters.newDatabaseUrl();
    db = Database.open(url);
    db.users().addRole("admin", "operators");
    root = db.users().addUser("root", "root@example.com", Passwords.hash("adm1n"), List.of("admin"));
    db.users().addUser("john", "john@example.com", Passwords.hash("pa55word"), List.of());
    router = TestRouters.start(Map.of("db.url", url, "auth.secret", SECRET));
  }

  @AfterEach
  void stop() {
    router.close();
    db.close();
  }

  private String johnsTicket() {
    return tickets.forUser("john", db.users().find("john").orElseThrow().passwordHash());
  }

  private AdminApi.Reply call(String method, String call, Map<String, Object> body, String... headers)
      throws Exception {
    return AdminApi.call(router.port(), method, call, body, headers);
  }

  private String login(String username, String password) throws Exception {
    return AdminApi.login(router.port(), username, password);
  }

  private AdminApi.Reply as(String cookie, String method, String call, Map<String, Object> body) throws Exception {
    return AdminApi.as(router.port(), cookie, method, call, body);
  }

  @Test
  void thePageIsServedWithAPolicyThatKeepsItToItsOwnOrigin() throws Exception {
    HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + router.port() + "/admin/")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script src=\"admin.js\""), page.body());
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"), policy);
    for (String asset : List.of("admin.js", "admin.css")) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + router.port() + "/admin/" + asset)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), asset);
      assertTrue(r.body().length() > 1000, asset);
    }
    String bare = RawHttp.exchange(router.port(), "GET /admin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(bare.startsWith("HTTP/1.1 302") && bare.contains("Location: /admin/"), bare);
    String missing = RawHttp.exchange(router.port(), "GET /admin/other.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(missing.startsWith("HTTP/1.1 404"), missing);
  }

  @Test
  void onlyAdminsGetInAndOnlyWithTheGuardHeader() throws Exception {
    assertEquals(403, call("GET", "whoami", null).status(), "no guard header: what a cross-site form would send");
    assertEquals(401, call("GET", "whoami", null, "X-Tollgate-Admin", "1").status());
    AdminApi.Reply plainUser = call("POST", "login", Map.of("username", "john", "password", "pa55word"), "X-Tollgate-Admin", "1");
    assertEquals(401, plainUser.status());
    assertTrue(plainUser.raw().headers().firstValue("Set-Cookie").isEmpty());
    AdminApi.Reply wrong = call("POST", "login", Map.of("username", "root", "password", "nope"), "X-Tollgate-Admin", "1");
    assertEquals(401, wrong.status());
    assertEquals("not the credentials of a user with role admin", wrong.body().get("message"),
        "the same words for a plain user and a wrong password");
    assertEquals(400, call("POST", "login", Map.of("username", 5), "X-Tollgate-Admin", "1").status());

    AdminApi.Reply ok = call("POST", "login", Map.of("username", "root", "password", "adm1n"), "X-Tollgate-Admin", "1");
    String setCookie = ok.raw().headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/admin"),
        setCookie);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    assertEquals("root", as(cookie, "GET", "whoami", null).body().get("admin"));
    assertEquals(403, call("GET", "whoami", null, "Cookie", cookie).status(), "the cookie alone is not enough");

    // scripts: HTTP Basic on each request
    String basic = "Basic " + Base64.getEncoder().encodeToString("root:adm1n".getBytes(StandardCharsets.UTF_8));
    assertEquals("root", call("GET", "whoami", null, "X-Tollgate-Admin", "1", "Authorization", basic).body().get("admin"));

    assertEquals(200, as(cookie, "POST", "logout", Map.of()).status());
    assertEquals(401, as(cookie, "GET", "whoami", null).status(), "a logged-out cookie is worth nothing");
  }

  @Test
  void anAdminsTicketLogsInOnceAndAUsersTicketNever() throws Exception {
    String ticket = tickets.forUser("root", root.passwordHash());
    AdminApi.Reply ok = call("POST", "login", Map.of("ticket", ticket), "X-Tollgate-Admin", "1");
    assertEquals(200, ok.status(), ok.body().toString());
    assertEquals("root", ok.body().get("admin"));
    assertEquals(401, call("POST", "login", Map.of("ticket", ticket), "X-Tollgate-Admin", "1").status(), "one-time");
    String johns = johnsTicket();
    assertEquals(401, call("POST", "login", Map.of("ticket", johns), "X-Tollgate-Admin", "1").status());
    assertEquals(401, call("POST", "login", Map.of("ticket", tickets.anonymous()), "X-Tollgate-Admin", "1").status(),
        "a backend ticket is no admin's");
  }

  @Test
  void sessionsAreListedAndKilled() throws Exception {
    String cookie = login("root", "adm1n");
    try (TestClient john = TestClient.connect(TestRouters.withTicket(router,
        johnsTicket()), Serializer.MSGPACK)) {
      long id = john.join("realm1").session();
      john.send(new Subscribe(1, Map.of(), "news.today"));
      john.expect(Subscribed.class);
      john.send(new Register(2, Map.of("invoke", "roundrobin"), "john.echo"));
      john.expect(Registered.class);

      @SuppressWarnings("unchecked")
      List<Map<String, Object>> sessions = (List<Map<String, Object>>) as(cookie, "GET", "sessions", null).body().get("sessions");
      Map<String, Object> row = sessions.stream().filter(s -> ((Number) s.get("session")).longValue() == id).findFirst()
          .orElseThrow(() -> new AssertionError(sessions.toString()));
      assertEquals("john", row.get("authid"));
      assertEquals("user", row.get("authrole"));
      assertEquals("ticket", row.get("authmethod"));
      assertEquals("msgpack", row.get("dialect"));
      assertEquals("127.0.0.1", row.get("address"));
      assertEquals(1L, ((Number) row.get("subscriptions")).longValue());
      assertEquals(1L, ((Number) row.get("registrations")).longValue());

      @SuppressWarnings("unchecked")
      List<Map<String, Object>> subs = (List<Map<String, Object>>) as(cookie, "GET", "subscriptions", null).body().get("subscriptions");
      assertTrue(subs.stream().anyMatch(s -> s.get("uri").equals("news.today") && s.get("sessions").equals(List.of(id))),
          subs.toString());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> regs = (List<Map<String, Object>>) as(cookie, "GET", "registrations", null).body().get("registrations");
      assertTrue(regs.stream().anyMatch(r -> r.get("uri").equals("john.echo") && r.get("invoke").equals("roundrobin")),
          regs.toString());

      assertEquals(404, as(cookie, "POST", "sessions/kill", Map.of("realm", "realm1", "session", id + 1000)).status());
      assertEquals(400, as(cookie, "POST", "sessions/kill", Map.of("realm", "realm1")).status());
      AdminApi.Reply killed = as(cookie, "POST", "sessions/kill", Map.of("realm", "realm1", "session", id, "message", "bye"));
      assertEquals(200, killed.status(), killed.body().toString());
      Goodbye goodbye = john.expect(Goodbye.class);
      assertEquals("wamp.close.killed", goodbye.reason());
      assertEquals("bye", goodbye.details().get("message"));
      john.awaitClose();
    }
  }

  @Test
  void aRuleAddedOnThePageRefusesTheNextActionAndItsRemovalAllowsItAgain() throws Exception {
    String cookie = login("root", "adm1n");
    try (TestClient client = TestClient.connect(TestRouters.withTicket(router, johnsTicket()), Serializer.JSON)) {
      client.join("realm1");
      AdminApi.Reply added = as(cookie, "POST", "rules", Map.of("role", "*", "pattern", "secret.plans", "match", "exact",
          "actions", "", "note", "nobody subscribes"));
      assertEquals(201, added.status(), added.body().toString());
      long ruleId = ((Number) added.body().get("id")).longValue();
      assertEquals(List.of(), added.body().get("actions"));
      // no wait: the page puts the new rule set in force before it answers
      client.send(new Subscribe(1, Map.of(), "secret.plans"));
      ErrorMessage refused = client.expect(ErrorMessage.class);
      TestClient.assertError(refused, MessageCodes.SUBSCRIBE, 1, "wamp.error.not_authorized");

      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rules = (List<Map<String, Object>>) as(cookie, "GET", "rules", null).body().get("rules");
      assertTrue(rules.stream().anyMatch(r -> ((Number) r.get("id")).longValue() == ruleId
          && "nobody subscribes".equals(r.get("note"))), rules.toString());

      assertEquals(200, as(cookie, "POST", "rules/remove", Map.of("id", ruleId)).status());
      assertEquals(404, as(cookie, "POST", "rules/remove", Map.of("id", ruleId)).status());
      client.send(new Subscribe(2, Map.of(), "secret.plans"));
      client.expect(Subscribed.class);

      AdminApi.Reply bad = as(cookie, "POST", "rules", Map.of("role", "user", "pattern", "x", "match", "fuzzy", "actions", ""));
      assertEquals(400, bad.status(), bad.body().toString());
      AdminApi.Reply notJson = call("POST", "rules", null, "X-Tollgate-Admin", "1", "Cookie", cookie);
      assertEquals(400, notJson.status(), notJson.body().toString());
    }
  }

  @Test
  void theTicketDebuggerSaysWhatATicketHoldsAndWhyItIsRefusedWithoutUsingItUp() throws Exception {
    String cookie = login("root", "adm1n");
    String good = johnsTicket();
    AdminApi.Reply fresh = as(cookie, "POST", "ticket", Map.of("ticket", good));
    assertEquals("ACCEPTED", fresh.body().get("verdict"), fresh.body().toString());
    assertEquals(false, fresh.body().get("used"));
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) fresh.body().get("fields");
    assertEquals("john", fields.get("username"));
    // the digest shortened: enough to tell two tickets apart, not the credential
    assertTrue(((String) fields.get("digest")).matches("[A-Za-z0-9+/=]{8}… \\(88 chars\\)"), fields.toString());

    // not used up by the debugger: it logs in, and then the debugger says it was used
    try (TestClient john = TestClient.connect(TestRouters.withTicket(router, good), Serializer.JSON)) {
      john.join("realm1");
      assertEquals(true, as(cookie, "POST", "ticket", Map.of("ticket", good)).body().get("used"));
    }

    String forged = new TicketGenerator(TicketSecret.of("another secret"), Clock.systemUTC())
        .forUser("john", db.users().find("john").orElseThrow().passwordHash());
    AdminApi.Reply refused = as(cookie, "POST", "ticket", Map.of("ticket", forged));
    assertEquals("REFUSED", refused.body().get("verdict"));
    assertEquals("INVALID_DIGEST", refused.body().get("reason"));
    AdminApi.Reply garbage = as(cookie, "POST", "ticket", Map.of("ticket", "not a ticket"));
    assertEquals("INVALID_FORMAT", garbage.body().get("reason"));
    assertNull(garbage.body().get("fields"));
    assertTrue(garbage.body().get("notes").toString().contains("outside the Base64 alphabet"), garbage.body().toString());
  }

  @Test
  void theFiguresAreThoseOfTheRouter() throws Exception {
    String cookie = login("root", "adm1n");
    try (TestClient client = TestClient.connect(TestRouters.withTicket(router, johnsTicket()), Serializer.JSON)) {
      client.join("realm1");
      Map<String, Object> figures = as(cookie, "GET", "metrics", null).body();
      assertEquals(1L, ((Number) figures.get("sessions")).longValue(), figures.toString());
      assertTrue(((Number) figures.get("messagesIn")).longValue() >= 1, "the HELLO");
      assertNotNull(figures.get("heapUsedBytes"));
    }
  }

  @Test
  void adminAccessLocalKeepsThePageFromOtherAddressesAndOffRemovesIt() throws Exception {
    router.close();
    router = TestRouters.start(Map.of("db.url", url, "admin.access", "local"));
    String local = RawHttp.exchange(router.port(), "GET /admin/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(local.startsWith("HTTP/1.1 200"), local);
    // through the trusted local proxy, for a client elsewhere
    String outside = RawHttp.exchange(router.port(), "GET /admin/ HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\n"
        + "Connection: close\r\n\r\n");
    assertTrue(outside.startsWith("HTTP/1.1 403") && outside.contains("admin.access is local"), outside);
    router.close();
    router = TestRouters.start(Map.of("db.url", url, "admin.access", "off"));
    String off = RawHttp.exchange(router.port(), "GET /admin/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    // answered as any other path: with server.path *, a WAMP endpoint wanting an upgrade
    assertTrue(off.startsWith("HTTP/1.1 426") && !off.contains("<html"), off);
  }
}
