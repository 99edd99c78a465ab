package dev.tollgate.router.internal.core;

import dev.tollgate.auth.Authorizer;
import dev.tollgate.auth.User;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the core asks of authentication and authorization: checking a ticket, releasing one when its session ends,
 * the current rules, and the users behind sessions. The router's implementation keeps them in H2 and checks tickets
 * on a pool of its own; a test's may keep them in memory. Thread-safe; nothing here blocks the caller.
 */
public interface Gatekeeper {

  /** Whether sessions may authenticate with tickets ({@code auth.secret} is set). */
  boolean ticketsEnabled();

  /** Checks a ticket off the caller's thread; the future never fails, a refusal is an outcome. */
  CompletableFuture<TicketOutcome> verifyTicket(String ticket, String clientAddress);

  /** A session that held a ticket ended: the ticket may come back, or stays spent (see the implementation). */
  void release(Identity identity);

  /** The rules in force now; replaced as a whole when they change. */
  Authorizer authorizer();

  /**
   * Re-reads rules and users if they changed, off the caller's thread; completes with true when they did, so that
   * sessions re-read their users.
   */
  CompletableFuture<Boolean> refresh();

  /** The user behind an authid, as the store has it now; blocking, so called from {@link #refresh}'s thread only. */
  Optional<User> findUser(String authid);
}
