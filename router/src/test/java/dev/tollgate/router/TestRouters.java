package dev.tollgate.router;

import java.util.Map;

/** Routers for tests: on 127.0.0.1, a free port, and whatever settings the test changes. */
public final class TestRouters {
  private TestRouters() {}

  private static final java.util.concurrent.atomic.AtomicInteger DATABASES = new java.util.concurrent.atomic.AtomicInteger();

  /** A new in-memory database for one test router; tests may open the same URL to change users and rules. */
  public static String newDatabaseUrl() {
    return "jdbc:h2:mem:tollgate-test-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
  }

  /** Settings changed from the defaults for every test router: loopback, a free port, a fresh database, open rules. */
  public static RouterConfig config(Map<String, String> settings) {
    return RouterConfig.defaults()
        .with("server.host", "127.0.0.1")
        .with("server.port", "0")
        .with("server.shutdown-grace", "500ms")
        .with("db.url", newDatabaseUrl())
        .with("rules.preset", "open")
        .with(settings);
  }

  public static Router start(Map<String, String> settings) {
    try {
      return Router.start(config(settings));
    } catch (Exception e) {
      throw new IllegalStateException("test router did not start", e);
    }
  }

  /** The router's WebSocket URL with {@code ?ticket=}, URL-encoded as Oro encodes it. */
  public static java.net.URI withTicket(Router router, String ticket) {
    return java.net.URI.create(router.uri() + "?ticket="
        + java.net.URLEncoder.encode(ticket, java.nio.charset.StandardCharsets.UTF_8));
  }

  public static Router start() {
    return start(Map.of());
  }
}
