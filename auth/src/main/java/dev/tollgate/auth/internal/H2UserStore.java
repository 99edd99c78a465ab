package dev.tollgate.auth.internal;

import dev.tollgate.auth.Database.DataAccessException;
import dev.tollgate.auth.User;
import dev.tollgate.auth.UserAdmin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Users and roles in Tollgate's own database, read afresh at every lookup. Every change bumps the revision. */
final class H2UserStore implements UserAdmin {
  private final H2Database db;

  H2UserStore(H2Database db) {
    this.db = db;
  }

  @Override
  public String providerName() {
    return "tollgate";
  }

  @Override
  public Optional<User> find(String name) {
    Optional<User> byName = query("SELECT id, username, email, password_hash, enabled FROM tg_user WHERE username = ?", name);
    return byName.isPresent() ? byName : query("SELECT id, username, email, password_hash, enabled FROM tg_user WHERE email = ?", name);
  }

  private Optional<User> query(String sql, String value) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long id = rs.getLong(1);
        return Optional.of(new User(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5), roles(c, id)));
      }
    } catch (SQLException e) {
      throw new DataAccessException("looking up a user", e);
    }
  }

  private static List<String> roles(Connection c, long userId) throws SQLException {
    List<String> roles = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT role_name FROM tg_user_role WHERE user_id = ? ORDER BY role_name")) {
      ps.setLong(1, userId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          roles.add(rs.getString(1));
        }
      }
    }
    return roles;
  }

  @Override
  public User addUser(String username, String email, String passwordHash, List<String> roles) {
    if (username == null || username.isEmpty() || username.contains(";")) {
      throw new IllegalArgumentException("a username must be non-empty and contain no ';' (the ticket's separator)");
    }
    List<String> granted = roles.isEmpty() ? List.of("user") : roles;
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      long id;
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO tg_user (username, email, password_hash) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, username);
        ps.setString(2, email);
        ps.setString(3, passwordHash);
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      for (String role : granted) {
        grant(c, id, role);
      }
      H2Database.bumpRevision(c);
      c.commit();
      return new User(id, username, email, passwordHash, true, granted);
    } catch (SQLException e) {
      throw new DataAccessException("adding user " + username, e);
    }
  }

  @Override
  public boolean removeUser(String username) {
    return update("DELETE FROM tg_user WHERE username = ?", username) > 0;
  }

  @Override
  public boolean setPasswordHash(String username, String passwordHash) {
    return update("UPDATE tg_user SET password_hash = ? WHERE username = ?", passwordHash, username) > 0;
  }

  @Override
  public boolean setEnabled(String username, boolean enabled) {
    return update("UPDATE tg_user SET enabled = ? WHERE username = ?", enabled, username) > 0;
  }

  @Override
  public List<User> listUsers() {
    List<User> users = new ArrayList<>();
    try (Connection c = db.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, username, email, password_hash, enabled FROM tg_user ORDER BY username")) {
      while (rs.next()) {
        users.add(new User(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5), roles(c, rs.getLong(1))));
      }
    } catch (SQLException e) {
      throw new DataAccessException("listing users", e);
    }
    return users;
  }

  @Override
  public void addRole(String name, String description) {
    update("INSERT INTO tg_role (name, description) VALUES (?, ?)", name, description);
  }

  @Override
  public boolean removeRole(String name) {
    return update("DELETE FROM tg_role WHERE name = ?", name) > 0;
  }

  @Override
  public List<String> listRoles() {
    List<String> roles = new ArrayList<>();
    try (Connection c = db.connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM tg_role ORDER BY name")) {
      while (rs.next()) {
        roles.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new DataAccessException("listing roles", e);
    }
    return roles;
  }

  @Override
  public void grant(String username, String role) {
    User user = find(username).orElseThrow(() -> new IllegalArgumentException("no user '" + username + "'"));
    try (Connection c = db.connection()) {
      grant(c, user.id(), role);
      H2Database.bumpRevision(c);
    } catch (SQLException e) {
      throw new DataAccessException("granting " + role + " to " + username, e);
    }
  }

  @Override
  public boolean revoke(String username, String role) {
    return update("DELETE FROM tg_user_role WHERE role_name = ? AND user_id = (SELECT id FROM tg_user WHERE username = ?)",
        role, username) > 0;
  }

  private static void grant(Connection c, long userId, String role) throws SQLException {
    try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM tg_role WHERE name = ?")) {
      check.setString(1, role);
      try (ResultSet rs = check.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalArgumentException("no role '" + role + "'; add it first");
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("MERGE INTO tg_user_role (user_id, role_name) KEY (user_id, role_name) VALUES (?, ?)")) {
      ps.setLong(1, userId);
      ps.setString(2, role);
      ps.executeUpdate();
    }
  }

  private int update(String sql, Object... params) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      int n;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          ps.setObject(i + 1, params[i]);
        }
        n = ps.executeUpdate();
      }
      H2Database.bumpRevision(c);
      c.commit();
      return n;
    } catch (SQLException e) {
      throw new DataAccessException(sql.split(" ")[0].toLowerCase() + " on users/roles", e);
    }
  }
}
