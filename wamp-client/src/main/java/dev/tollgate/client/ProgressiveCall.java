package dev.tollgate.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A call sent in pieces under one request id (WAMP's progressive call invocations), made by
 * {@link WampClient#callInPieces}: {@link #send} each piece but the last, then {@link #finish} with the last. The
 * router sends every piece to the callee the first one reached, which may answer at any time; {@link #result()}
 * completes with that answer.
 *
 * <p>A piece sent after the call has ended (the callee answered early, the call was canceled or timed out, the session
 * was lost) is not sent, and {@code send} returns false. Thread-safe; pieces leave in the order of the calls.
 */
public final class ProgressiveCall {
  private final String procedure;
  private final Options.Call options;
  private final ClientCore core;
  private final CallFuture result;
  /** The call once its first piece left; guarded by this. */
  private OutgoingCalls.Outgoing started;
  private OutgoingCalls owner;
  private boolean finished;

  ProgressiveCall(String procedure, Options.Call options, ClientCore core) {
    this.procedure = procedure;
    this.options = options;
    this.core = core;
    this.result = new CallFuture(options.cancelMode());
  }

  /** Sends a piece that more will follow; the first one starts the call. False when the call has already ended. */
  public synchronized boolean send(List<?> args, Map<String, ?> kwargs) {
    return piece(args, kwargs, false);
  }

  /** Sends the last piece; returns {@link #result()}. */
  public synchronized CallFuture finish(List<?> args, Map<String, ?> kwargs) {
    piece(args, kwargs, true);
    return result;
  }

  /** The call's answer; canceling it cancels the call. */
  public CallFuture result() {
    return result;
  }

  private boolean piece(List<?> rawArgs, Map<String, ?> rawKwargs, boolean last) {
    if (finished) {
      throw new IllegalStateException("the last piece was already sent");
    }
    finished = last;
    if (result.isDone()) {
      return false;
    }
    List<Object> args;
    Map<String, Object> kwargs;
    try {
      args = core.values.args(Objects.requireNonNull(rawArgs, "args"));
      kwargs = core.values.kwargs(Objects.requireNonNull(rawKwargs, "kwargs"));
    } catch (RuntimeException e) {
      // a piece that cannot be sent ends the call: the callee must not take the rest as the whole
      result.completeExceptionally(e);
      if (started != null) {
        started.cancel(Options.CancelMode.KILLNOWAIT, true);
      }
      return false;
    }
    if (started == null) {
      RealSession session = core.currentSession();
      if (session == null) {
        result.completeExceptionally(new ConnectionLostException("not connected (state " + core.state() + ")"));
        return false;
      }
      if (!last && !session.dealerOffers("progressive_call_invocations")) {
        // A CALL with progress: true to a router that did not announce the feature "MUST be treated as protocol
        // errors with the underlying WAMP sessions being aborted": never send it.
        result.completeExceptionally(new ApplicationException("wamp.error.feature_not_supported",
            List.of("the router does not offer progressive call invocations"), Map.of()));
        return false;
      }
      owner = session.calls();
      started = owner.start(procedure, args, kwargs, options, !last, result);
      return true;
    }
    return owner.piece(started, procedure, args, kwargs, last);
  }
}
