package dev.tollgate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.MatchPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tollgate's H2 database on a real file, and a second database laid out like Oro's. */
class DatabaseTest {

  @Test
  void aFileDatabaseIsCreatedMigratedOnceAndKeepsItsData(@TempDir Path dir) {
    String url = Database.fileUrl(dir);
    try (Database db = Database.open(url)) {
      UserAdmin users = db.users();
      long before = db.revision();
      users.addUser("alice", "alice@example.com", Passwords.hash("s3cret"), List.of());
      assertTrue(db.revision() > before, "a change bumps the revision");
      assertEquals(List.of("anonymous", "backend", "user"), users.listRoles());
    }
    assertTrue(Files.exists(dir.resolve("tollgate.mv.db")));
    try (Database again = Database.open(url)) {
      User alice = again.users().find("alice@example.com").orElseThrow();
      assertEquals("alice", alice.username());
      assertEquals(List.of("user"), alice.roles());
      assertTrue(Passwords.matches("s3cret", alice.passwordHash()));
      assertFalse(Passwords.matches("wrong", alice.passwordHash()));
    }
  }

  @Test
  void usersAndRolesAreManaged() {
    try (Database db = Database.open("jdbc:h2:mem:users;DB_CLOSE_DELAY=-1")) {
      UserAdmin users = db.users();
      users.addRole("admin", "operators");
      users.addUser("bob", null, "$2y$04$x", List.of("admin", "user"));
      assertEquals(List.of("admin", "user"), users.find("bob").orElseThrow().roles());
      assertTrue(users.revoke("bob", "admin"));
      assertEquals(List.of("user"), users.find("bob").orElseThrow().roles());
      assertThrows(IllegalArgumentException.class, () -> users.grant("bob", "nope"));
      assertThrows(IllegalArgumentException.class, () -> users.addUser("semi;colon", null, "x", List.of()));
      assertTrue(users.setEnabled("bob", false));
      assertFalse(users.find("bob").orElseThrow().enabled());
      assertTrue(users.removeUser("bob"));
      assertTrue(users.find("bob").isEmpty());
    }
  }

  @Test
  void rulesAreStoredAndThePresetLoadsOnlyOnce() {
    try (Database db = Database.open("jdbc:h2:mem:rules;DB_CLOSE_DELAY=-1")) {
      RuleStore rules = db.rules();
      assertTrue(rules.loadPresetOnce("oro"));
      assertEquals(Rule.preset("oro").size(), rules.list().size());
      rules.remove(rules.list().get(0).id());
      assertFalse(rules.loadPresetOnce("oro"), "a removed preset rule does not come back");
      assertThrows(IllegalArgumentException.class, () -> rules.loadPresetOnce("nope"));
      Rule added = rules.add(Rule.of("realm1", "user", "com.", MatchPolicy.PREFIX, EnumSet.of(Action.CALL, Action.PUBLISH), "test"));
      Rule stored = rules.list().stream().filter(r -> r.id() == added.id()).findFirst().orElseThrow();
      assertEquals(EnumSet.of(Action.CALL, Action.PUBLISH), stored.actions());
      assertEquals(MatchPolicy.PREFIX, stored.match());
    }
  }

  @Test
  void usersCanComeReadOnlyFromADatabaseLaidOutLikeOros() throws Exception {
    String url = "jdbc:h2:mem:oro;DB_CLOSE_DELAY=-1;MODE=PostgreSQL";
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE oro_user (id INT PRIMARY KEY, username VARCHAR(255), email VARCHAR(255), "
          + "password VARCHAR(255), salt VARCHAR(255), enabled BOOLEAN, first_name VARCHAR(255))");
      s.execute("INSERT INTO oro_user VALUES (7, 'admin', 'admin@example.com', '$2y$13$abc', NULL, TRUE, 'John')");
      String select = "SELECT id, username, email, password, enabled FROM oro_user WHERE ";
      UserStore store = UserStore.jdbc(url, "sa", "", select + "username = ?", select + "email = ?", "user");
      User admin = store.find("admin@example.com").orElseThrow();
      assertEquals(7, admin.id());
      assertEquals("admin", admin.username());
      assertEquals("$2y$13$abc", admin.passwordHash());
      assertEquals(List.of("user"), admin.roles());
      assertTrue(store.find("ghost").isEmpty());
      s.execute("UPDATE oro_user SET password = '$2y$13$changed' WHERE id = 7");
      assertEquals("$2y$13$changed", store.find("admin").orElseThrow().passwordHash(), "read afresh every time");
    }
  }
}
