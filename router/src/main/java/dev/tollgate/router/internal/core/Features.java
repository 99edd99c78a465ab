package dev.tollgate.router.internal.core;

import java.util.Map;

/**
 * What a peer announced in HELLO.Details.roles that changes how the router treats it. A peer that announced
 * nothing (or speaks WAMP v1) gets the Basic Profile's behaviour.
 *
 * @param calleeCancels the callee announced {@code call_canceling}: it may be sent INTERRUPT
 * @param calleeProgress the callee announced {@code progressive_call_results}. The spec has the Dealer disregard that
 *     when the callee does not also announce call canceling ("A Callee that supports progressive results, but does not
 *     support call cancelling is considered by the Dealer to not support progressive results"), so that it can stop a
 *     stream whose caller left. Tollgate honours it anyway: npm autobahn announces progressive results and not call
 *     canceling, so the spec's rule would deny progress between two autobahn clients, which Crossbar gives them. A
 *     callee that cannot be interrupted keeps streaming after its caller left; its YIELDs are then dropped.
 */
record Features(boolean calleeCancels, boolean calleeProgress) {
  static final Features NONE = new Features(false, false);

  /** From HELLO.Details.roles. */
  static Features of(Object roles) {
    if (!(roles instanceof Map<?, ?> r) || !(r.get("callee") instanceof Map<?, ?> callee)
        || !(callee.get("features") instanceof Map<?, ?> features)) {
      return NONE;
    }
    boolean cancels = Boolean.TRUE.equals(features.get("call_canceling"));
    return new Features(cancels, Boolean.TRUE.equals(features.get("progressive_call_results")));
  }
}
