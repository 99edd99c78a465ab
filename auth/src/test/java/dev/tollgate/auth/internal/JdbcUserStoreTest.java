package dev.tollgate.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The external user database over a real network connection (H2's TCP server, standing in for Oro's database server),
 * stopped and started again under a store that keeps running: lookups fail within a bounded time, saying which
 * database, and work again when it is back.
 */
class JdbcUserStoreTest {
  private static final String SELECT = "SELECT id, username, email, password, enabled FROM oro_user WHERE ";

  @Test
  void aDatabaseThatGoesAwayFailsLookupsQuicklyAndTheyWorkAgainWhenItReturns(@TempDir Path dir) throws Exception {
    Server server = Server.createTcpServer("-tcpPort", "0", "-tcpAllowOthers", "-ifNotExists", "-baseDir",
        dir.toString()).start();
    int port = server.getPort();
    String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/oro";
    try (Connection c = DriverManager.getConnection(url, "sa", "pw"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE oro_user (id INT PRIMARY KEY, username VARCHAR(255), email VARCHAR(255), "
          + "password VARCHAR(255), enabled BOOLEAN)");
      s.execute("INSERT INTO oro_user VALUES (7, 'admin', 'admin@example.com', '$2y$13$abc', TRUE)");
    }
    try (JdbcUserStore store = new JdbcUserStore(url, "sa", "pw", SELECT + "username = ?", SELECT + "email = ?",
        "user")) {
      assertEquals(7, store.find("admin").orElseThrow().id());

      server.stop();
      Database.DataAccessException down = assertTimeoutPreemptively(Duration.ofSeconds(15),
          () -> assertThrows(Database.DataAccessException.class, () -> store.find("admin")),
          "a lookup with the database down must not hang");
      assertTrue(down.getMessage().startsWith("looking up a user in " + url + " failed"), down.getMessage());

      Server again = Server.createTcpServer("-tcpPort", String.valueOf(port), "-tcpAllowOthers", "-ifNotExists",
          "-baseDir", dir.toString()).start();
      try {
        assertEquals(7, assertTimeoutPreemptively(Duration.ofSeconds(15),
            () -> store.find("admin@example.com").orElseThrow().id()), "back as soon as the database is");
      } finally {
        again.stop();
      }
    }
  }

  @Test
  void aStoreIsMadeWhileItsDatabaseIsDown() {
    try (JdbcUserStore store = new JdbcUserStore("jdbc:h2:tcp://127.0.0.1:1/nowhere", "sa", "", SELECT + "username = ?",
        SELECT + "email = ?", "user")) {
      assertThrows(Database.DataAccessException.class, () -> store.find("admin"));
    }
  }
}
