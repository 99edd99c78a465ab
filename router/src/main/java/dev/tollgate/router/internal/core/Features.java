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
 * @param callerStreams the caller announced {@code progressive_call_invocations}: it may send CALL {@code progress}
 * @param calleeStreams the callee announced {@code progressive_call_invocations} and {@code call_canceling} ("In
 *     addition, Callees MUST announce support of the Call Cancelling feature")
 */
record Features(boolean calleeCancels, boolean calleeProgress, boolean callerStreams, boolean calleeStreams) {
  static final Features NONE = new Features(false, false, false, false);

  /** From HELLO.Details.roles. */
  static Features of(Object roles) {
    Map<?, ?> callee = features(roles, "callee");
    boolean cancels = Boolean.TRUE.equals(callee.get("call_canceling"));
    return new Features(cancels, Boolean.TRUE.equals(callee.get("progressive_call_results")),
        Boolean.TRUE.equals(features(roles, "caller").get("progressive_call_invocations")),
        cancels && Boolean.TRUE.equals(callee.get("progressive_call_invocations")));
  }

  private static Map<?, ?> features(Object roles, String role) {
    return roles instanceof Map<?, ?> r && r.get(role) instanceof Map<?, ?> details
        && details.get("features") instanceof Map<?, ?> features ? features : Map.of();
  }
}
