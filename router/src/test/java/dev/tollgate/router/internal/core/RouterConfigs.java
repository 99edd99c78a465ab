package dev.tollgate.router.internal.core;

import dev.tollgate.router.RouterConfig;

/** Configurations the in-memory tests use. */
final class RouterConfigs {
  private RouterConfigs() {}

  static RouterConfig twoRealms() {
    return RouterConfig.defaults().with("realms", "realm1,realm2");
  }
}
