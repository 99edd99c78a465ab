package dev.tollgate.auth;

import java.time.Instant;

/**
 * Remembers the tickets already accepted, so that each is accepted once. {@link Database#nonces} keeps them in
 * Tollgate's database, so that a restart forgets none; a shared implementation (Redis) would let several routers
 * refuse a ticket that any of them accepted.
 *
 * <p>A claim is <em>held</em> while a session uses the ticket. A <em>reusable</em> claim (an anonymous backend
 * ticket: Oro's publisher reconnects with the ticket it has) may be claimed again once its session has released it,
 * until the release's deadline; any other claim stays spent until it expires.
 *
 * <p>Implementations are thread-safe: a claim is atomic, so of two checks racing with one ticket only one wins.
 */
public interface NonceStore {

  /**
   * Claims {@code key} until {@code expiresAt}; true if nobody had claimed it (or its claim expired), or if it is a
   * reusable claim released until a deadline not yet passed. False if it is taken, or if the store cannot take more
   * claims now (fail closed).
   */
  boolean claim(String key, Instant expiresAt, Instant now, boolean reusable);

  /** Whether a {@link #claim} of {@code key} would be refused because the key is taken; never claims. */
  boolean isSpent(String key, Instant now);

  /** Whether {@code key} is a reusable claim that was released and may be claimed again at {@code now}. */
  boolean isReleased(String key, Instant now);

  /**
   * The session holding {@code key} ended. A reusable claim may be claimed again until {@code reusableUntil} (which
   * also keeps it remembered that long); any other claim stays spent.
   */
  void release(String key, Instant reusableUntil);

  /**
   * Every held claim is released until {@code reusableUntil}: at start, since the sessions that held them ended with
   * the previous run.
   */
  void releaseAll(Instant reusableUntil);
}
