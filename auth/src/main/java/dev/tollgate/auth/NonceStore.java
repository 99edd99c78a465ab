package dev.tollgate.auth;

import java.time.Instant;

/**
 * Remembers the tickets already accepted, so that each is accepted once. A shared implementation (Redis, NATS) lets
 * several routers refuse a ticket that any of them accepted; {@link InMemoryNonceStore} serves one router.
 */
public interface NonceStore {

  /**
   * Claims {@code key} until {@code expiresAt}; true if nobody had claimed it (or its claim expired), false if it is
   * taken, or if the store cannot take more claims now (fail closed).
   */
  boolean claim(String key, Instant expiresAt, Instant now);
}
