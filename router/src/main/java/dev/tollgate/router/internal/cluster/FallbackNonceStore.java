package dev.tollgate.router.internal.cluster;

import dev.tollgate.auth.NonceStore;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cluster.tickets-when-redis-down=local}: the shared used tickets while Redis answers, this node's own while it
 * does not. Logins go on during an outage, at a price the operator chose: a ticket used on one node during it may be
 * used once more on another (each node knows only its own), and what this node claimed meanwhile is not in Redis
 * afterwards.
 */
final class FallbackNonceStore implements NonceStore {
  private static final Logger LOG = LoggerFactory.getLogger(FallbackNonceStore.class);

  private final NonceStore shared;
  private final NonceStore local;
  private volatile boolean down;

  FallbackNonceStore(NonceStore shared, NonceStore local) {
    this.shared = shared;
    this.local = local;
  }

  private <T> T either(Supplier<T> onShared, Supplier<T> onLocal) {
    try {
      T result = onShared.get();
      if (down) {
        down = false;
        LOG.info("cluster: used tickets are shared again (Redis answers)");
      }
      return result;
    } catch (RuntimeException e) {
      if (!down) {
        down = true;
        LOG.warn("cluster: Redis does not answer ({}); used tickets are this node's own until it does"
            + " (cluster.tickets-when-redis-down=local)", e.toString());
      }
      return onLocal.get();
    }
  }

  /**
   * A claim the shared store grants is written to the local one too, so that during an outage this node still
   * refuses the tickets it accepted before.
   */
  @Override
  public boolean claim(String key, Instant expiresAt, Instant now, boolean reusable) {
    return either(() -> {
      boolean claimed = shared.claim(key, expiresAt, now, reusable);
      if (claimed) {
        local.claim(key, expiresAt, now, reusable);
      }
      return claimed;
    }, () -> local.claim(key, expiresAt, now, reusable));
  }

  @Override
  public boolean isSpent(String key, Instant now) {
    return either(() -> shared.isSpent(key, now), () -> local.isSpent(key, now));
  }

  @Override
  public boolean isReleased(String key, Instant now) {
    return either(() -> shared.isReleased(key, now), () -> local.isReleased(key, now));
  }

  @Override
  public void release(String key, Instant reusableUntil) {
    either(() -> {
      shared.release(key, reusableUntil);
      local.release(key, reusableUntil);
      return null;
    }, () -> {
      local.release(key, reusableUntil);
      return null;
    });
  }

  @Override
  public void releaseAll(Instant reusableUntil) {
    either(() -> {
      shared.releaseAll(reusableUntil);
      return null;
    }, () -> {
      local.releaseAll(reusableUntil);
      return null;
    });
  }
}
