package dev.tollgate.auth.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.auth.Database.DataAccessException;
import dev.tollgate.auth.User;
import dev.tollgate.auth.UserStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Users read from another application's database, read-only: for Oro, its {@code oro_user} table, so that tickets
 * minted by an unchanged Oro application verify in Tollgate. Two queries, each with one {@code ?} parameter, return
 * the columns {@code id, username, email, password, enabled} (in that order): one by username, one by e-mail. Every
 * user gets one configured role. The JDBC driver of that database must be on the classpath (PostgreSQL's and MySQL's
 * ship with the router).
 *
 * <p>Connections come from a small pool (HikariCP) that is made without touching the database, so that the router
 * starts while it is down. Every wait is bounded, so that a database that is down or hung costs a lookup at most
 * {@link #CONNECT_TIMEOUT_MS} to get a connection and {@link #QUERY_TIMEOUT_S} per query, and fails it with a
 * {@link DataAccessException} naming the database; lookups work again as soon as it answers.
 *
 * <p>Thread-safe. {@link #close()} releases the pool.
 */
public final class JdbcUserStore implements UserStore, AutoCloseable {
  static final int CONNECT_TIMEOUT_MS = 2_000;
  static final int QUERY_TIMEOUT_S = 5;

  private final String url;
  private final String byUsername;
  private final String byEmail;
  private final String role;
  private final HikariDataSource pool;

  public JdbcUserStore(String url, String user, String password, String byUsername, String byEmail, String role) {
    this.url = url;
    this.byUsername = byUsername;
    this.byEmail = byEmail;
    this.role = role;
    HikariConfig c = new HikariConfig();
    c.setPoolName("tollgate-users");
    c.setJdbcUrl(url);
    if (!user.isEmpty()) {
      c.setUsername(user);
    }
    if (!password.isEmpty()) {
      c.setPassword(password);
    }
    c.setReadOnly(true);
    c.setMaximumPoolSize(4);
    c.setMinimumIdle(0);
    c.setConnectionTimeout(CONNECT_TIMEOUT_MS);
    c.setValidationTimeout(1_000);
    c.setInitializationFailTimeout(-1); // start without the database; lookups fail until it answers
    // the driver's own limits on connecting and on a silent socket, where it has them
    if (url.startsWith("jdbc:postgresql:")) {
      c.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_MS / 1000));
      c.addDataSourceProperty("socketTimeout", String.valueOf(QUERY_TIMEOUT_S * 2));
    } else if (url.startsWith("jdbc:mysql:")) {
      c.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_MS));
      c.addDataSourceProperty("socketTimeout", String.valueOf(QUERY_TIMEOUT_S * 2_000));
    }
    this.pool = new HikariDataSource(c);
  }

  @Override
  public String providerName() {
    return "jdbc";
  }

  @Override
  public Optional<User> find(String name) {
    Connection c = null;
    try {
      c = pool.getConnection();
      Optional<User> found = query(c, byUsername, name);
      return found.isPresent() ? found : query(c, byEmail, name);
    } catch (SQLException e) {
      if (c != null) {
        // a connection a query failed on may be dead (the database restarted): never lent again
        pool.evictConnection(c);
        c = null;
      }
      throw new DataAccessException("looking up a user in " + url, e);
    } finally {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException e) {
          pool.evictConnection(c);
        }
      }
    }
  }

  private Optional<User> query(Connection c, String sql, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setQueryTimeout(QUERY_TIMEOUT_S);
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new User(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5), List.of(role)));
      }
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
