package dev.tollgate.router.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who a session is, once authenticated: what WELCOME announces and what authorization decides on.
 *
 * @param authid the username for a user; filled in at join for sessions without one (anonymous)
 * @param roles the session's roles, the first being its WAMP {@code authrole}
 * @param userId the user's numeric id, or null without a user
 */
record Identity(String authid, List<String> roles, String authmethod, String authprovider, Long userId) {
  Identity {
    roles = List.copyOf(roles);
  }

  /** A session without a ticket: role {@code auth.anonymous-role}; its authid is set at join. */
  static Identity anonymous(dev.tollgate.router.RouterConfig config) {
    return new Identity(null, List.of(config.get("auth.anonymous-role")), "anonymous", "static", null);
  }

  String authrole() {
    return roles.get(0);
  }

  Identity withAuthid(String id) {
    return new Identity(id, roles, authmethod, authprovider, userId);
  }

  Identity withRoles(List<String> newRoles) {
    return new Identity(authid, newRoles, authmethod, authprovider, userId);
  }

  /** WELCOME's {@code authextra}: the user's id, so that a page can build its per-user topics. */
  Map<String, Object> authextra() {
    Map<String, Object> extra = new HashMap<>();
    if (userId != null) {
      extra.put("user_id", userId);
    }
    return extra;
  }
}
