package dev.tollgate.compat.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.User;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestClient;
import dev.tollgate.router.TestRouters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tollgate's admin page in Debian's headless chromium, used as an operator uses it: clicks at the buttons' places and
 * typed keys, through the DevTools protocol. Logs in, finds a user's session by the filter and kills it, adds a rule
 * and sees a client refused by it, debugs two tickets, watches the charts move; the clients are real WAMP sessions
 * on the same router, and what the page shows is checked against what they see. The last step writes
 * {@code target/admin-page.png}, the README's picture.
 */
class AdminPageInChromiumTest {
  private static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  private static final Duration STEP = Duration.ofSeconds(10);
  /** The first step waits for the browser to start too, which takes seconds on a busy machine. */
  private static final Duration START = Duration.ofSeconds(30);

  private final TicketGenerator tickets = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());
  private Database db;
  private User john;
  private Router router;
  private HeadlessChromium chromium;
  private DevTools page;

  @BeforeEach
  void start() {
    String url = TestRouters.newDatabaseUrl();
    db = Database.open(url);
    db.users().addRole("admin", "operators");
    db.users().addUser("root", "root@example.com", Passwords.hash("adm1n"), List.of("admin"));
    john = db.users().addUser("john", "john@example.com", Passwords.hash("pa55word"), List.of());
    db.users().addUser("mary", "mary@example.com", Passwords.hash("s3cret"), List.of());
    router = TestRouters.start(Map.of("db.url", url, "auth.secret", SECRET, "keepalive.interval", "0"));
  }

  @AfterEach
  void stop() {
    try (AutoCloseable c1 = db; AutoCloseable c2 = router; AutoCloseable c3 = chromium; AutoCloseable c4 = page) {
      // closed in reverse order: the DevTools connection, the browser, the router, the database
    } catch (Exception e) {
      throw new IllegalStateException("cleaning up failed", e);
    }
  }

  private TestClient connect(String username, Serializer serializer) {
    String hash = db.users().find(username).orElseThrow().passwordHash();
    TestClient client = TestClient.connect(TestRouters.withTicket(router, tickets.forUser(username, hash)), serializer);
    client.join("realm1");
    return client;
  }

  @Test
  void anOperatorLogsInKillsASessionAddsARuleThatRefusesAndDebugsTickets() throws Exception {
    try (TestClient johnsPage = connect("john", Serializer.JSON);
         TestClient marysPage = connect("mary", Serializer.MSGPACK);
         TestClient backend = TestClient.connect(TestRouters.withTicket(router, tickets.anonymous()), Serializer.CBOR)) {
      backend.join("realm1");
      backend.send(new Register(1, Map.of(), "acme.rpc.echo"));
      backend.expect(Registered.class);
      marysPage.send(new Subscribe(1, Map.of(), "oro.data.update"));
      marysPage.expect(Subscribed.class);

      chromium = HeadlessChromium.openDriven("http://127.0.0.1:" + router.port() + "/admin/");
      try {
        page = DevTools.attach(chromium, START);
        logsIn();
        findsJohnByTheFilterAndKillsHisSession(johnsPage);
        addsARuleAndSeesItRefuse();
        debugsTickets();
        takesThePicture(backend);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\n--- chromium's log:\n" + chromium.logTail(), e);
      }
    }
  }

  private void logsIn() throws InterruptedException {
    page.waitFor("!document.getElementById('login').hidden", START);
    page.type("#login-username", "root");
    page.type("#login-password", "wrong");
    page.click("#login-submit");
    assertEquals("not the credentials of a user with role admin",
        page.waitFor("document.getElementById('login-error').textContent", STEP).asText());
    page.type("#login-password", "adm1n");
    page.click("#login-submit");
    page.waitFor("!document.getElementById('console').hidden", STEP);
    assertEquals("root", page.eval("document.getElementById('who-name').textContent").asText());
    assertEquals(true, page.eval("document.cookie === ''").asBoolean(), "the login cookie is HttpOnly");
  }

  private void findsJohnByTheFilterAndKillsHisSession(TestClient johnsPage) throws InterruptedException {
    page.waitFor("document.querySelectorAll('#sessions tr').length === 3", STEP);
    page.type("#session-filter", "john");
    page.waitFor("document.querySelectorAll('#sessions tr').length === 1", STEP);
    assertEquals("john", page.eval("document.querySelector('#sessions tr').dataset.authid").asText());
    assertEquals("1 of 3 sessions", page.eval("document.getElementById('session-count').textContent").asText());
    page.click("#sessions tr button");
    assertEquals("Confirm kill", page.eval("document.querySelector('#sessions tr button').textContent").asText(),
        "a first click only arms the button");
    page.click("#sessions tr button");
    Goodbye goodbye = johnsPage.expect(Goodbye.class);
    assertEquals("wamp.close.killed", goodbye.reason());
    assertEquals("ended by an administrator", goodbye.details().get("message"));
    page.waitFor("document.getElementById('session-count').textContent === '0 of 2 sessions'", STEP);
    page.type("#session-filter", "");
    page.waitFor("document.querySelectorAll('#sessions tr').length === 2", STEP);
  }

  private void addsARuleAndSeesItRefuse() throws InterruptedException {
    try (TestClient before = connect("mary", Serializer.JSON)) {
      before.send(new Subscribe(1, Map.of(), "secret.plans"));
      before.expect(Subscribed.class); // the test router's rules allow everything to start with
    }
    page.click("#tabs button[data-tab=rules]");
    page.waitFor("document.querySelectorAll('#rules tr').length > 0", STEP);
    page.type("#rule-role", "*");
    page.type("#rule-pattern", "secret.plans");
    page.type("#rule-note", "nobody subscribes to the plans");
    page.click("#rule-add"); // no action ticked: a rule that denies
    page.waitFor("[...document.querySelectorAll('#rules tr')].some(r => r.textContent.includes('secret.plans')"
        + " && r.textContent.includes('(deny)'))", STEP);
    try (TestClient after = connect("mary", Serializer.JSON)) {
      after.send(new Subscribe(2, Map.of(), "secret.plans"));
      TestClient.assertError(after.expect(ErrorMessage.class), MessageCodes.SUBSCRIBE, 2, "wamp.error.not_authorized");
    }
  }

  private void debugsTickets() throws InterruptedException {
    page.click("#tabs button[data-tab=ticket]");
    String forged = new TicketGenerator(TicketSecret.of("not the application's secret"), Clock.systemUTC())
        .forUser("john", john.passwordHash());
    page.type("#ticket-input", forged);
    page.click("#ticket-inspect");
    page.waitFor("document.querySelector('#ticket-result .verdict-REFUSED')", STEP);
    String shown = page.eval("document.getElementById('ticket-result').textContent").asText();
    assertTrue(shown.contains("REFUSED INVALID_DIGEST") && shown.contains("john"), shown);
    assertTrue(!shown.contains(forged.substring(0, 20)), "the ticket itself is not echoed");

    page.type("#ticket-input", tickets.forUser("john", john.passwordHash()));
    page.click("#ticket-inspect");
    page.waitFor("document.querySelector('#ticket-result .verdict-ACCEPTED')", STEP);
    String accepted = page.eval("document.getElementById('ticket-result').textContent").asText();
    assertTrue(accepted.contains("a ticket of user john") && accepted.contains("used beforeno"), accepted);
  }

  private void takesThePicture(TestClient backend) throws Exception {
    page.click("#tabs button[data-tab=sessions]");
    // some traffic for the charts to show: the backend publishes to Mary's subscription for three seconds
    for (int i = 0; i < 60; i++) {
      backend.send(new Publish(100 + i, Map.of(), "oro.data.update", Payload.of(List.of(i))));
      Thread.sleep(50);
    }
    // the charts have moved: at least five samples of the sessions gauge
    page.waitFor("(document.querySelector('#chart-sessions polyline').getAttribute('points') || '').split(' ').length >= 5",
        Duration.ofSeconds(20));
    page.waitFor("document.querySelectorAll('#sessions tr').length === 2", STEP);
    byte[] png = page.screenshot();
    assertEquals((byte) 0x89, png[0]);
    assertEquals("PNG", new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    assertTrue(png.length > 20_000, "a page, not a blank: " + png.length + " bytes");
    Path picture = Path.of("target", "admin-page.png");
    Files.createDirectories(picture.getParent());
    Files.write(picture, png);
  }
}
