package dev.tollgate.auth.internal;

import dev.tollgate.auth.Database.DataAccessException;
import dev.tollgate.auth.User;
import dev.tollgate.auth.UserStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Users read from another application's database, read-only: for Oro, its {@code oro_user} table, so that tickets
 * minted by an unchanged Oro application verify in Tollgate. Two queries, each with one {@code ?} parameter, return
 * the columns {@code id, username, email, password, enabled} (in that order): one by username, one by e-mail. Every
 * user gets one configured role. The JDBC driver of that database must be on the classpath.
 *
 * <p>Thread-safe and without state of its own: each lookup opens, and closes, its own connection.
 */
public final class JdbcUserStore implements UserStore {
  private final String url;
  private final String user;
  private final String password;
  private final String byUsername;
  private final String byEmail;
  private final String role;

  public JdbcUserStore(String url, String user, String password, String byUsername, String byEmail, String role) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.byUsername = byUsername;
    this.byEmail = byEmail;
    this.role = role;
  }

  @Override
  public String providerName() {
    return "jdbc";
  }

  @Override
  public Optional<User> find(String name) {
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      c.setReadOnly(true);
      Optional<User> found = query(c, byUsername, name);
      return found.isPresent() ? found : query(c, byEmail, name);
    } catch (SQLException e) {
      throw new DataAccessException("looking up a user in " + url, e);
    }
  }

  private Optional<User> query(Connection c, String sql, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new User(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5), List.of(role)));
      }
    }
  }
}
