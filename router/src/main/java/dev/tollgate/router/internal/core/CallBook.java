package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Ids;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls one session is part of: those it made (by its request id) and those it has to answer (by invocation id).
 * Closed when the session leaves, after which nothing can be added: a caller that picked this session as callee
 * just before it left learns so from {@link #addInvocation}, instead of leaving a call nobody will answer.
 *
 * <p>Threading: any thread; its own lock guards only these maps and nothing is called while holding it, so it can be
 * taken while holding a session's or a realm's lock without ordering concerns.
 */
final class CallBook {
  private final Map<Long, PendingCall> made = new HashMap<>();
  private final Map<Long, PendingCall> toAnswer = new HashMap<>();
  private final Ids.Sequence invocationIds = new Ids.Sequence();
  private boolean closed;
  /** The highest request id of a call this session made: below it, an id not in flight is a call that ended. */
  private long watermark;
  /** Whether any call is in flight, read without the lock by the liveness check. */
  private volatile boolean busy;

  /** Adds a call this session made; false if its request id is already in flight or the book is closed. */
  synchronized boolean addCall(PendingCall call) {
    if (closed || made.putIfAbsent(call.callRequestId, call) != null) {
      return false;
    }
    watermark = Math.max(watermark, call.callRequestId);
    busy = true;
    return true;
  }

  /** A fresh invocation id in this (callee's) session scope. */
  long nextInvocationId() {
    return invocationIds.next();
  }

  /** Adds a call this session is to answer; false if the session has left. */
  synchronized boolean addInvocation(PendingCall call) {
    if (closed) {
      return false;
    }
    toAnswer.put(call.invocationId, call);
    return true;
  }

  /**
   * Whether {@code requestId} was a call of this session that has ended: at or below the highest id it used, and no
   * longer in flight. Callers use sequential request ids (the spec's session scope), which is what makes this hold.
   */
  synchronized boolean answered(long requestId) {
    return requestId <= watermark && !made.containsKey(requestId);
  }

  synchronized PendingCall call(long requestId) {
    return made.get(requestId);
  }

  synchronized PendingCall invocation(long invocationId) {
    return toAnswer.get(invocationId);
  }

  synchronized void removeCall(long requestId, PendingCall call) {
    made.remove(requestId, call);
    busy = !made.isEmpty();
  }

  synchronized void removeInvocation(long invocationId, PendingCall call) {
    toAnswer.remove(invocationId, call);
  }

  /** Takes out and returns the call this session was to answer under {@code invocationId}, or null. */
  synchronized PendingCall takeInvocation(long invocationId) {
    return toAnswer.remove(invocationId);
  }

  /** Whether a call this session made awaits its answer. */
  boolean awaitsResults() {
    return busy;
  }

  /** Closes the book and returns every call in it, made or to answer. */
  synchronized List<PendingCall> close() {
    closed = true;
    List<PendingCall> all = new ArrayList<>(made.size() + toAnswer.size());
    all.addAll(made.values());
    all.addAll(toAnswer.values());
    return all;
  }
}
