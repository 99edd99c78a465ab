package dev.tollgate.auth.internal;

import dev.tollgate.auth.Database;
import dev.tollgate.auth.NonceStore;
import dev.tollgate.auth.RuleStore;
import dev.tollgate.auth.UserAdmin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tollgate's own H2 database: users, roles, rules and used tickets. Opening it applies the versioned migrations it
 * has not seen yet, each once, in order, recorded in {@code tg_schema_history}. A file database is opened in H2's
 * mixed mode ({@code AUTO_SERVER}), so the command line's admin verbs work on it while the router runs.
 *
 * <p>Thread-safe; close it to release the pool (and, for a file database, the file).
 */
public final class H2Database implements Database {
  private static final Logger LOG = LoggerFactory.getLogger(H2Database.class);
  /** The migrations, in order. A released migration is never edited: add the next one. */
  private static final List<String> MIGRATIONS = List.of("V1__users_roles_rules.sql", "V2__used_tickets.sql");

  private final JdbcConnectionPool pool;
  private final String url;

  private H2Database(String url) {
    this.url = url;
    this.pool = JdbcConnectionPool.create(url, "sa", "");
    pool.setMaxConnections(16);
  }

  /** Opens (creating if needed) and migrates the database at a JDBC URL, e.g. {@code jdbc:h2:mem:test}. */
  public static H2Database open(String url) {
    H2Database db = new H2Database(url);
    try {
      db.migrate();
    } catch (SQLException e) {
      db.close();
      if (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
        throw new IllegalStateException("the database " + url + " is in use by another process that opened it without"
            + " AUTO_SERVER (an H2 console or shell?): stop that process, or open the file with ;AUTO_SERVER=TRUE as"
            + " Tollgate and its command line do", e);
      }
      // a file it cannot write: H2 opens it read-only, which in mixed mode it refuses as a feature it lacks
      if (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_IS_READ_ONLY
          || (e.getErrorCode() == org.h2.api.ErrorCode.FEATURE_NOT_SUPPORTED_1 && String.valueOf(e.getMessage()).contains("readOnly"))) {
        throw new IllegalStateException("the database " + url + " is read-only (its file or file system cannot be"
            + " written): Tollgate writes used tickets and rules there, so it needs it writable", e);
      }
      throw new IllegalStateException("cannot open or migrate the database " + url + ": " + e.getMessage(), e);
    } catch (IOException e) {
      db.close();
      throw new IllegalStateException("cannot open or migrate the database " + url + ": " + e.getMessage(), e);
    }
    return db;
  }

  /** The URL of the file database under {@code dataDir}, shareable between the router and the command line. */
  public static String fileUrl(java.nio.file.Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("tollgate") + ";AUTO_SERVER=TRUE";
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public UserAdmin users() {
    return new H2UserStore(this);
  }

  @Override
  public RuleStore rules() {
    return new H2RuleStore(this);
  }

  @Override
  public NonceStore nonces(int maxEntries) {
    return new H2NonceStore(this, maxEntries);
  }

  Connection connection() throws SQLException {
    return pool.getConnection();
  }

  @Override
  public long revision() {
    try (Connection c = connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT revision FROM tg_revision WHERE id = 1")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new DataAccessException("reading the revision", e);
    }
  }

  static void bumpRevision(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE tg_revision SET revision = revision + 1 WHERE id = 1");
    }
  }

  String setting(String name) {
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement("SELECT setting_value FROM tg_setting WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new DataAccessException("reading setting " + name, e);
    }
  }

  void putSetting(Connection c, String name, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("MERGE INTO tg_setting (name, setting_value) KEY (name) VALUES (?, ?)")) {
      ps.setString(1, name);
      ps.setString(2, value);
      ps.executeUpdate();
    }
  }

  private void migrate() throws SQLException, IOException {
    try (Connection c = connection()) {
      // H2 writes commits to its file up to WRITE_DELAY (500 ms by default) after they return: a router killed with
      // kill -9 lost half of the rules the admin API had just acknowledged (FaultsTest). With 0, a commit is in the
      // file (the operating system's cache) before it returns, so only a power cut can take it. Persistent, and cheap
      // here: rules, users and used tickets are small rows written a few at a time.
      try (Statement s = c.createStatement()) {
        s.execute("SET WRITE_DELAY 0");
      }
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS tg_schema_history (version INT PRIMARY KEY, script VARCHAR(255) NOT NULL,"
            + " applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
      }
      int applied = 0;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM tg_schema_history")) {
        rs.next();
        applied = rs.getInt(1);
      }
      for (int i = applied; i < MIGRATIONS.size(); i++) {
        String script = MIGRATIONS.get(i);
        try (Statement s = c.createStatement()) {
          for (String sql : statements(read(script))) {
            s.execute(sql);
          }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tg_schema_history (version, script) VALUES (?, ?)")) {
          ps.setInt(1, i + 1);
          ps.setString(2, script);
          ps.executeUpdate();
        }
        c.commit();
        LOG.info("database {}: applied migration {}", url, script);
      }
      c.setAutoCommit(true);
    }
  }

  private static String read(String script) throws IOException {
    try (InputStream in = H2Database.class.getResourceAsStream("/db/migration/" + script)) {
      if (in == null) {
        throw new IOException("migration " + script + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Splits a script on ';' at line ends, dropping {@code --} comments. */
  private static List<String> statements(String script) {
    StringBuilder clean = new StringBuilder();
    for (String line : script.split("\n")) {
      int comment = line.indexOf("--");
      clean.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
    }
    return java.util.Arrays.stream(clean.toString().split(";\\s*\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  @Override
  public void close() {
    pool.dispose();
  }
}
