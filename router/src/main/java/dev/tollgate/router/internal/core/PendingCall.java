package dev.tollgate.router.internal.core;

/**
 * One call between its CALL and its answer: the whole of a call's state. Both ends index it (the caller's
 * {@link CallBook} by request id, the callee's by invocation id), and it is settled exactly once, by whoever
 * {@link #settle}s it first: the final YIELD, the callee's ERROR, the caller's CANCEL, the timeout, or either side
 * leaving. The winner removes it from both books and sends the one answer; every loser drops what it has. Progressive
 * results go to the caller only while it is not settled, under the same lock, so none can follow the final answer.
 *
 * <p>Threading: any thread; its lock guards only its own state, and sends under it only queue (see {@link Peer}).
 */
final class PendingCall {
  final RouterSession caller;
  final long callRequestId;
  final RouterSession callee;
  final long invocationId;
  /** The caller asked for progressive results and the callee can produce them. */
  final boolean progress;
  /** The callee announced call canceling, so it may be sent INTERRUPT. */
  final boolean interruptible;
  /** The registration the call reached; its later pieces go there too. */
  volatile long registrationId;
  /** The caller still sends this call's payload in pieces (progressive call invocations): more CALLs will follow. */
  volatile boolean streaming;
  /** The CALL's timeout in milliseconds when the router enforces it, else 0; set before the invocation is sent. */
  volatile long timeoutMillis;
  /** When the CALL was routed (System.nanoTime), for the round-trip histogram. */
  private final long routedNanos = System.nanoTime();
  private boolean settled;
  private Timers.Task timeout;

  PendingCall(RouterSession caller, long callRequestId, RouterSession callee, long invocationId, boolean progress,
      boolean interruptible) {
    this.caller = caller;
    this.callRequestId = callRequestId;
    this.callee = callee;
    this.invocationId = invocationId;
    this.progress = progress;
    this.interruptible = interruptible;
  }

  /** True for the one caller that settles this call; it must then take it out of both books. */
  synchronized boolean settle() {
    if (settled) {
      return false;
    }
    settled = true;
    if (timeout != null) {
      timeout.cancel();
      timeout = null;
    }
    caller.counters().callRoundTrip(System.nanoTime() - routedNanos);
    return true;
  }

  /** Runs {@code send} unless the call is settled; true if it ran. */
  synchronized boolean whileOpen(Runnable send) {
    if (settled) {
      return false;
    }
    send.run();
    return true;
  }

  /** (Re)arms the router's timeout for this call: the time until the first result, then between results. */
  synchronized void armTimeout(Timers.Task task) {
    if (timeout != null) {
      timeout.cancel();
    }
    if (settled) {
      task.cancel();
    } else {
      timeout = task;
    }
  }

  /** Takes the settled call out of both books. */
  void forget() {
    caller.calls().removeCall(callRequestId, this);
    callee.calls().removeInvocation(invocationId, this);
  }
}
