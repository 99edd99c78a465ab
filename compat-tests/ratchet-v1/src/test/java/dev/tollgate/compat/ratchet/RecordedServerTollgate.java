package dev.tollgate.compat.ratchet;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Database;
import dev.tollgate.auth.Rule;
import dev.tollgate.auth.RuleStore;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestRouters;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tollgate configured like the server application the recordings were made against (their
 * {@code server_application}), started fresh for one scenario as each recording had a fresh PHP process:
 *
 * <ul>
 *   <li>WAMP v1 sessions join {@code realm1}, and WELCOME names the server {@code Ratchet/0.4.4}, so that it
 *       compares equal;
 *   <li>{@code secured/} topics are denied (the handler refused them as Oro's UserAwareTopicTrait does), and
 *       clients may only subscribe to {@code oro/ping} (Oro's WebsocketPingTopic ignores their publishes);
 *   <li>the keep-alive publishes "Connection keep alive" on {@code oro/ping} every {@link #KEEPALIVE_INTERVAL}
 *       (1 s in the recordings, 50 s in Oro). Not 200 ms: oro-ping-periodic unsubscribes 250 ms after the first
 *       ping, and a second ping before that would be a frame Ratchet never sent;
 *   <li>the sample procedures come from a {@link SampleCallee};
 *   <li>a strict server ({@code v1.allow-no-subprotocol=false}, Ratchet's WsServer default) is started besides the
 *       default lenient one only when the recording has a connection for which the difference shows.
 * </ul>
 *
 * Everything else is left at Tollgate's defaults (the {@code open} rules preset of test routers aside).
 */
final class RecordedServerTollgate implements ReplayTarget, AutoCloseable {
  static final String REALM = "realm1";
  static final String SERVER_IDENT = "Ratchet/0.4.4";
  static final String KEEPALIVE_INTERVAL = "600ms";

  private final List<AutoCloseable> running = new ArrayList<>();
  private final List<SampleCallee> callees = new ArrayList<>();
  private URI lenient;
  private URI strict;

  private RecordedServerTollgate() {}

  static RecordedServerTollgate start(Setup setup) throws IOException {
    RecordedServerTollgate t = new RecordedServerTollgate();
    try {
      if (setup.lenientServer()) {
        t.lenient = t.startRouter(true);
      }
      if (setup.strictServer()) {
        t.strict = t.startRouter(false);
      }
    } catch (IOException | RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  /** The settings of one router, as the recorded server application behaved. */
  static Map<String, String> settings(String databaseUrl, boolean allowNoSubprotocol) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("db.url", databaseUrl);
    s.put("v1.enabled", "true");
    s.put("v1.realm", REALM);
    s.put("v1.server-ident", SERVER_IDENT);
    s.put("v1.allow-no-subprotocol", Boolean.toString(allowNoSubprotocol));
    s.put("keepalive.topic", Setup.KEEPALIVE_TOPIC);
    s.put("keepalive.interval", KEEPALIVE_INTERVAL);
    s.put("keepalive.message", "Connection keep alive");
    return s;
  }

  /** The rules added to the {@code open} preset: longer prefixes and exact patterns win over its "" prefix. */
  static List<Rule> rules() {
    return List.of(
        Rule.of("*", "*", Setup.SECURED_PREFIX, MatchPolicy.PREFIX, EnumSet.noneOf(Action.class),
            "secured topics: refused as Oro's UserAwareTopicTrait refuses them"),
        Rule.of("*", "*", Setup.KEEPALIVE_TOPIC, MatchPolicy.EXACT, EnumSet.of(Action.SUBSCRIBE),
            "the keep-alive topic: clients only subscribe, as Oro's WebsocketPingTopic ignores their publishes"));
  }

  private URI startRouter(boolean allowNoSubprotocol) throws IOException {
    String db = TestRouters.newDatabaseUrl();
    // The in-memory database outlives this handle (DB_CLOSE_DELAY=-1); the router opens it again.
    try (Database database = Database.open(db)) {
      RuleStore store = database.rules();
      rules().forEach(store::add);
    }
    Router router = TestRouters.start(settings(db, allowNoSubprotocol));
    running.add(router);
    SampleCallee callee = SampleCallee.start(router.uri(), REALM);
    running.add(callee);
    callees.add(callee);
    return router.uri();
  }

  @Override
  public URI endpoint(Setup.Strictness strictness) {
    URI uri = strictness == Setup.Strictness.STRICT ? strict : lenient;
    if (uri == null) {
      throw new IllegalStateException("no " + strictness + " router was started for this recording");
    }
    return uri;
  }

  @Override
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    callees.forEach(c -> problems.addAll(c.problems()));
    return problems;
  }

  @Override
  public void close() {
    // Callees first, so that the routers' shutdown does not count as a callee problem.
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        // Stopping is best effort; the next scenario starts its own.
      }
    }
  }
}
