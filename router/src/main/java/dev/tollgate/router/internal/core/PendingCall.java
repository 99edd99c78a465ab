package dev.tollgate.router.internal.core;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call between its CALL and its answer: the whole of a call's state. Both ends index it (the caller's
 * {@link CallBook} by request id, the callee's by invocation id), and it is settled exactly once, by whoever
 * {@link #settle}s it first: the YIELD, the callee's ERROR, the caller's CANCEL, or either side leaving. The winner
 * removes it from both books and sends the one answer; every loser drops what it has.
 */
final class PendingCall {
  final RouterSession caller;
  final long callRequestId;
  final RouterSession callee;
  final long invocationId;
  private final AtomicBoolean settled = new AtomicBoolean();

  PendingCall(RouterSession caller, long callRequestId, RouterSession callee, long invocationId) {
    this.caller = caller;
    this.callRequestId = callRequestId;
    this.callee = callee;
    this.invocationId = invocationId;
  }

  /** True for the one caller that settles this call; it must then take it out of both books. */
  boolean settle() {
    return settled.compareAndSet(false, true);
  }

  void forget() {
    caller.calls().removeCall(callRequestId, this);
    callee.calls().removeInvocation(invocationId, this);
  }
}
