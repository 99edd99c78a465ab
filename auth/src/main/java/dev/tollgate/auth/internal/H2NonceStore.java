package dev.tollgate.auth.internal;

import dev.tollgate.auth.Database;
import dev.tollgate.auth.NonceStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NonceStore} in Tollgate's H2 database ({@code tg_used_ticket}): a ticket used before a restart is still
 * refused after it, for the rest of its life. Bounded like {@link InMemoryNonceStore}: expired claims are purged
 * every ten seconds, and past {@code maxEntries} claims are refused (fail closed). Keys are stored as their SHA-256.
 *
 * <p>Each claim is one conditional statement, so two routers' threads racing for one key cannot both win: the
 * primary key refuses the second INSERT, and the UPDATE of a reclaimable claim matches only while it is one.
 */
final class H2NonceStore implements NonceStore {
  private static final long PURGE_EVERY_SECONDS = 10;

  private final H2Database db;
  private final int maxEntries;
  private final AtomicInteger approximateSize = new AtomicInteger();
  private final AtomicLong nextPurge = new AtomicLong();

  H2NonceStore(H2Database db, int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries < 1: " + maxEntries);
    }
    this.db = db;
    this.maxEntries = maxEntries;
    approximateSize.set(count());
  }

  @Override
  public boolean claim(String key, Instant expiresAt, Instant now, boolean reusable) {
    long nowSecond = now.getEpochSecond();
    purgeIfDue(nowSecond);
    if (approximateSize.get() >= maxEntries) {
      purge(nowSecond);
      if (approximateSize.get() >= maxEntries) {
        return false;
      }
    }
    String hash = hash(key);
    try (Connection c = db.connection()) {
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO tg_used_ticket (ticket_hash, expires_at, reusable, held) VALUES (?, ?, ?, TRUE)")) {
        insert.setString(1, hash);
        insert.setLong(2, expiresAt.getEpochSecond());
        insert.setBoolean(3, reusable);
        insert.executeUpdate();
        approximateSize.incrementAndGet();
        return true;
      } catch (SQLException e) {
        if (!isDuplicateKey(e)) {
          throw e;
        }
      }
      // Taken: it may still be claimed if it expired and nobody holds it, or if it is a released reusable claim.
      try (PreparedStatement update = c.prepareStatement("UPDATE tg_used_ticket SET held = TRUE,"
          + " expires_at = GREATEST(expires_at, ?), reusable = (reusable AND ?)"
          + " WHERE ticket_hash = ? AND ((expires_at < ? AND NOT (held AND reusable))"
          + " OR (reusable AND NOT held AND expires_at >= ?))")) {
        update.setLong(1, expiresAt.getEpochSecond());
        update.setBoolean(2, reusable);
        update.setString(3, hash);
        update.setLong(4, nowSecond);
        update.setLong(5, nowSecond);
        return update.executeUpdate() == 1;
      }
    } catch (SQLException e) {
      throw new Database.DataAccessException("claiming a ticket", e);
    }
  }

  @Override
  public boolean isSpent(String key, Instant now) {
    long nowSecond = now.getEpochSecond();
    return exists("SELECT 1 FROM tg_used_ticket WHERE ticket_hash = ? AND (expires_at >= ? OR (held AND reusable))"
        + " AND NOT (reusable AND NOT held AND expires_at >= ?)", hash(key), nowSecond, nowSecond);
  }

  @Override
  public boolean isReleased(String key, Instant now) {
    return exists("SELECT 1 FROM tg_used_ticket WHERE ticket_hash = ? AND reusable AND NOT held AND expires_at >= ?",
        hash(key), now.getEpochSecond(), null);
  }

  @Override
  public void release(String key, Instant reusableUntil) {
    update("UPDATE tg_used_ticket SET held = FALSE,"
        + " expires_at = CASE WHEN reusable THEN GREATEST(expires_at, ?) ELSE expires_at END WHERE ticket_hash = ?",
        reusableUntil.getEpochSecond(), hash(key));
  }

  @Override
  public void releaseAll(Instant reusableUntil) {
    update("UPDATE tg_used_ticket SET held = FALSE,"
        + " expires_at = CASE WHEN reusable THEN GREATEST(expires_at, ?) ELSE expires_at END WHERE held",
        reusableUntil.getEpochSecond(), null);
  }

  private boolean exists(String sql, String hash, long a, Long b) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, hash);
      ps.setLong(2, a);
      if (b != null) {
        ps.setLong(3, b);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new Database.DataAccessException("reading used tickets", e);
    }
  }

  private void update(String sql, long value, String hash) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, value);
      if (hash != null) {
        ps.setString(2, hash);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new Database.DataAccessException("releasing used tickets", e);
    }
  }

  private void purgeIfDue(long nowSecond) {
    long due = nextPurge.get();
    if (nowSecond >= due && nextPurge.compareAndSet(due, nowSecond + PURGE_EVERY_SECONDS)) {
      purge(nowSecond);
    }
  }

  private void purge(long nowSecond) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM tg_used_ticket WHERE expires_at < ? AND NOT (held AND reusable)")) {
      ps.setLong(1, nowSecond);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new Database.DataAccessException("purging used tickets", e);
    }
    approximateSize.set(count());
  }

  private int count() {
    try (Connection c = db.connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM tg_used_ticket")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new Database.DataAccessException("counting used tickets", e);
    }
  }

  private static boolean isDuplicateKey(SQLException e) {
    // SQLSTATE 23505: unique constraint violation (H2's DUPLICATE_KEY_1).
    return "23505".equals(e.getSQLState());
  }

  private static String hash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
