package dev.tollgate.router.internal.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
  /** 1 once settled; a plain field with a VarHandle, so that a call costs one object, not two. */
  private volatile int settled;
  private static final VarHandle SETTLED;

  static {
    try {
      SETTLED = MethodHandles.lookup().findVarHandle(PendingCall.class, "settled", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  PendingCall(RouterSession caller, long callRequestId, RouterSession callee, long invocationId) {
    this.caller = caller;
    this.callRequestId = callRequestId;
    this.callee = callee;
    this.invocationId = invocationId;
  }

  /** True for the one caller that settles this call; it must then take it out of both books. */
  boolean settle() {
    return SETTLED.compareAndSet(this, 0, 1);
  }

  /** Takes the settled call out of both books. */
  void forget() {
    caller.calls().removeCall(callRequestId, this);
    callee.calls().removeInvocation(invocationId, this);
  }
}
