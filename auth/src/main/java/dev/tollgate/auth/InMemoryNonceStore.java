package dev.tollgate.auth;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NonceStore} in this process, bounded: expired claims are purged as new ones come, and when
 * {@code maxEntries} unexpired claims are held, further claims are refused until some expire (fail closed; only
 * tickets with a valid digest ever get here).
 */
public final class InMemoryNonceStore implements NonceStore {
  private final ConcurrentHashMap<String, Long> claims = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final AtomicLong nextPurge = new AtomicLong();

  public InMemoryNonceStore(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries < 1: " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  @Override
  public boolean claim(String key, Instant expiresAt, Instant now) {
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
      if (existing == null || existing < nowSecond) {
        claimed[0] = true;
        return expiry;
      }
      return existing;
    });
    return claimed[0];
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
    claims.values().removeIf(expiry -> expiry < nowSecond);
  }
}
