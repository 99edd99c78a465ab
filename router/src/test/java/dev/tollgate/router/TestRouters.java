package dev.tollgate.router;

import java.util.Map;

/** Routers for tests: on 127.0.0.1, a free port, and whatever settings the test changes. */
public final class TestRouters {
  private TestRouters() {}

  public static Router start(Map<String, String> settings) {
    try {
      return Router.start(RouterConfig.defaults()
          .with("server.host", "127.0.0.1")
          .with("server.port", "0")
          .with("server.shutdown-grace", "500ms")
          .with(settings));
    } catch (Exception e) {
      throw new IllegalStateException("test router did not start", e);
    }
  }

  public static Router start() {
    return start(Map.of());
  }
}
