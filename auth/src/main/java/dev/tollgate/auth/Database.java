package dev.tollgate.auth;

import dev.tollgate.auth.internal.H2Database;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Tollgate's own database: its users and roles, the authorization rules, and the tickets already used. Opening it
 * applies the schema migrations it has not seen yet. A file database ({@link #fileUrl}) is shared: the command line's
 * admin verbs work on it while a router runs, and the router sees their changes through {@link #revision()}.
 *
 * <p>Thread-safe, as are the stores it hands out, which work through its connections: close it once, after them, to
 * release the connections and, for a file database, the file.
 */
public interface Database extends AutoCloseable {

  /** Opens (creating if needed) and migrates the database at a JDBC URL, e.g. {@code jdbc:h2:mem:test}. */
  static Database open(String url) {
    return H2Database.open(url);
  }

  /** The URL of the file database under {@code dataDir}, shareable between the router and the command line. */
  static String fileUrl(Path dataDir) {
    return H2Database.fileUrl(dataDir);
  }

  String url();

  /** A number that changes whenever users, roles or rules change. */
  long revision();

  /** Tollgate's own users and roles. */
  UserAdmin users();

  /** The authorization rules. */
  RuleStore rules();

  /**
   * The tickets already used, kept in this database so that a restart forgets none; at most {@code maxEntries} at
   * once, past which claims are refused (fail closed). Each call makes a store with its own count: one per router.
   */
  NonceStore nonces(int maxEntries);

  /** Releases the connections; a store handed out before fails afterwards. */
  @Override
  void close();

  /** A database operation failed; carries the operation in its message. */
  final class DataAccessException extends RuntimeException {
    public DataAccessException(String operation, SQLException cause) {
      super(operation + " failed: " + cause.getMessage(), cause);
    }
  }
}
