package dev.tollgate.router.internal.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who a session is, once authenticated: what WELCOME announces and what authorization decides on.
 *
 * @param authid the username for a user; filled in at join for sessions without one (anonymous)
 * @param roles the session's roles, the first being its WAMP {@code authrole}
 * @param userId the user's numeric id, or null without a user
 * @param ticketKey the key under which the session's ticket is remembered as used, or null without a ticket; the
 *     ticket is released under it when the session ends
 */
public record Identity(String authid, List<String> roles, String authmethod, String authprovider, Long userId,
    String ticketKey) {
  public Identity {
    roles = List.copyOf(roles);
  }

  /** A session without a ticket: role {@code auth.anonymous-role}; its authid is set at join. */
  public static Identity anonymous(dev.tollgate.router.RouterConfig config) {
    return new Identity(null, List.of(config.get("auth.anonymous-role")), "anonymous", "static", null, null);
  }

  /** Whether the session holds an anonymous ticket: Oro's backend, made with the application secret. */
  public boolean isBackendTicket() {
    return ticketKey != null && userId == null;
  }

  public String authrole() {
    return roles.get(0);
  }

  public Identity withAuthid(String id) {
    return new Identity(id, roles, authmethod, authprovider, userId, ticketKey);
  }

  public Identity withRoles(List<String> newRoles) {
    return new Identity(authid, newRoles, authmethod, authprovider, userId, ticketKey);
  }

  /** WELCOME's {@code authextra}: the user's id, so that a page can build its per-user topics. */
  public Map<String, Object> authextra() {
    Map<String, Object> extra = new HashMap<>();
    if (userId != null) {
      extra.put("user_id", userId);
    }
    return extra;
  }
}
