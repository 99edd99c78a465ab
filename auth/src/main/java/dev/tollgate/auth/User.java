package dev.tollgate.auth;

import java.util.List;

/**
 * A user as a ticket check sees it. {@code passwordHash} is the stored hash (bcrypt in Oro), which is also the key
 * of the user's tickets: it is a secret and never logged.
 *
 * @param roles the user's roles, the first being the WAMP {@code authrole}; never empty for an enabled user
 */
public record User(long id, String username, String email, String passwordHash, boolean enabled, List<String> roles) {
  public User {
    roles = List.copyOf(roles);
  }

  @Override
  public String toString() {
    return "User[id=" + id + ", username=" + username + ", email=" + email + ", enabled=" + enabled + ", roles=" + roles + "]";
  }
}
