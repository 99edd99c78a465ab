package dev.tollgate.auth.internal;

import dev.tollgate.auth.NonceStore;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NonceStore} in this process, bounded: expired claims are purged as new ones come, and when
 * {@code maxEntries} unexpired claims are held, further claims are refused until some expire (fail closed; only
 * tickets with a valid digest ever get here). Forgets everything when the process ends: for tests and tools.
 */
public final class InMemoryNonceStore implements NonceStore {
  /** A claim: remembered until {@code expiry} (epoch seconds); a released reusable one may be claimed again. */
  private record Claim(long expiry, boolean reusable, boolean held) {
    boolean reclaimable(long nowSecond) {
      return reusable && !held && expiry >= nowSecond;
    }

    /**
     * Whether it can be forgotten: expired, unless a session still holds a reusable one (its backend may reconnect
     * with it after the session ends, however old the ticket is by then).
     */
    boolean expired(long nowSecond) {
      return expiry < nowSecond && !(held && reusable);
    }
  }

  private final ConcurrentHashMap<String, Claim> claims = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final AtomicLong nextPurge = new AtomicLong();

  public InMemoryNonceStore(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries < 1: " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  @Override
  public boolean claim(String key, Instant expiresAt, Instant now, boolean reusable) {
    long nowSecond = now.getEpochSecond();
    purgeIfDue(nowSecond);
    if (claims.size() >= maxEntries) {
      purge(nowSecond);
      if (claims.size() >= maxEntries) {
        return false;
      }
    }
    long expiry = expiresAt.getEpochSecond();
    boolean[] claimed = new boolean[1];
    claims.compute(key, (k, existing) -> {
      if (existing == null || existing.expired(nowSecond)) {
        claimed[0] = true;
        return new Claim(expiry, reusable, true);
      }
      if (existing.reclaimable(nowSecond)) {
        claimed[0] = true;
        return new Claim(Math.max(existing.expiry, expiry), true, true);
      }
      return existing;
    });
    return claimed[0];
  }

  @Override
  public boolean isSpent(String key, Instant now) {
    Claim c = claims.get(key);
    long nowSecond = now.getEpochSecond();
    return c != null && !c.expired(nowSecond) && !c.reclaimable(nowSecond);
  }

  @Override
  public boolean isReleased(String key, Instant now) {
    Claim c = claims.get(key);
    return c != null && c.reclaimable(now.getEpochSecond());
  }

  @Override
  public void release(String key, Instant reusableUntil) {
    long until = reusableUntil.getEpochSecond();
    claims.computeIfPresent(key, (k, c) -> new Claim(c.reusable ? Math.max(c.expiry, until) : c.expiry, c.reusable, false));
  }

  @Override
  public void releaseAll(Instant reusableUntil) {
    for (String key : claims.keySet()) {
      release(key, reusableUntil);
    }
  }

  int size() {
    return claims.size();
  }

  private void purgeIfDue(long nowSecond) {
    long due = nextPurge.get();
    if (nowSecond >= due && nextPurge.compareAndSet(due, nowSecond + 10)) {
      purge(nowSecond);
    }
  }

  private void purge(long nowSecond) {
    claims.values().removeIf(c -> c.expired(nowSecond));
  }
}
