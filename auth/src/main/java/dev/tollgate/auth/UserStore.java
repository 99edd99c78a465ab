package dev.tollgate.auth;

import dev.tollgate.auth.internal.JdbcUserStore;
import java.util.Optional;

/**
 * Where users come from: Tollgate's own H2 database, or a read-only query against another application's database
 * (Oro's {@code oro_user}). Every ticket check reads the user afresh, so a changed password hash takes effect at once.
 * Implementations are thread-safe.
 */
public interface UserStore {

  /** The user whose username is {@code name}, else the one whose e-mail is {@code name}, as Oro looks users up. */
  Optional<User> find(String name);

  /** Names the store in WELCOME's {@code authprovider}. */
  String providerName();

  /**
   * Users read, read-only, from another application's database: for Oro, its {@code oro_user} table, so that tickets
   * minted by an unchanged Oro application verify in Tollgate. {@code byUsername} and {@code byEmail} each take one
   * {@code ?} parameter and return the columns {@code id, username, email, password, enabled}, in that order; every
   * user gets {@code role}. The database's JDBC driver must be on the classpath; each lookup opens a connection.
   */
  static UserStore jdbc(String url, String user, String password, String byUsername, String byEmail, String role) {
    return new JdbcUserStore(url, user, password, byUsername, byEmail, role);
  }
}
