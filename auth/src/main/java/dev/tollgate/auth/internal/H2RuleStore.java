package dev.tollgate.auth.internal;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Database.DataAccessException;
import dev.tollgate.auth.Rule;
import dev.tollgate.auth.RuleStore;
import dev.tollgate.protocol.MatchPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The authorization rules in Tollgate's database. Every change bumps the revision, which routers poll. */
final class H2RuleStore implements RuleStore {
  private static final String PRESET_SETTING = "rules.preset.loaded";
  private final H2Database db;

  H2RuleStore(H2Database db) {
    this.db = db;
  }

  @Override
  public Rule add(Rule rule) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      Rule added = insert(c, rule);
      H2Database.bumpRevision(c);
      c.commit();
      return added;
    } catch (SQLException e) {
      throw new DataAccessException("adding a rule", e);
    }
  }

  @Override
  public boolean remove(long id) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      int n;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM tg_rule WHERE id = ?")) {
        ps.setLong(1, id);
        n = ps.executeUpdate();
      }
      H2Database.bumpRevision(c);
      c.commit();
      return n > 0;
    } catch (SQLException e) {
      throw new DataAccessException("removing rule " + id, e);
    }
  }

  @Override
  public List<Rule> list() {
    List<Rule> rules = new ArrayList<>();
    try (Connection c = db.connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, realm, role, pattern, match_policy, actions, note FROM tg_rule ORDER BY id")) {
      while (rs.next()) {
        rules.add(new Rule(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            MatchPolicy.parse(rs.getString(5)), Action.parseList(rs.getString(6)), rs.getString(7)));
      }
    } catch (SQLException e) {
      throw new DataAccessException("listing rules", e);
    }
    return rules;
  }

  @Override
  public boolean loadPresetOnce(String name) {
    List<Rule> preset = OroPreset.named(name);
    if (db.setting(PRESET_SETTING) != null) {
      return false;
    }
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      for (Rule r : preset) {
        insert(c, r);
      }
      db.putSetting(c, PRESET_SETTING, name);
      H2Database.bumpRevision(c);
      c.commit();
      return true;
    } catch (SQLException e) {
      throw new DataAccessException("loading the " + name + " preset", e);
    }
  }

  private static Rule insert(Connection c, Rule r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO tg_rule (realm, role, pattern, match_policy, actions, note) VALUES (?, ?, ?, ?, ?, ?)",
        Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, r.realm());
      ps.setString(2, r.role());
      ps.setString(3, r.pattern());
      ps.setString(4, r.match().wireName());
      ps.setString(5, Action.format(r.actions()));
      ps.setString(6, r.note());
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return new Rule(keys.getLong(1), r.realm(), r.role(), r.pattern(), r.match(), r.actions(), r.note());
      }
    }
  }
}
