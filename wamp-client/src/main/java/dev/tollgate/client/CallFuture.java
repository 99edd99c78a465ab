package dev.tollgate.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The result of a call: completes with the final result, or fails with {@link ApplicationException} (the callee's or
 * the router's ERROR, {@code wamp.error.timeout} when the call's timeout passed) or {@link ConnectionLostException}.
 *
 * <p>Canceling asks the router to end the call (CANCEL) with a mode. {@link #cancel(boolean)}, as every
 * {@link CompletableFuture} does, completes this future at once with a {@link CancellationException}, and sends
 * CANCEL with the mode of the call's {@link Options.Call#cancelMode()}; whatever the router answers then is dropped.
 * {@link #cancel(Options.CancelMode)} sends CANCEL and lets the router's answer complete this future, as the spec
 * has each mode answer: {@code wamp.error.canceled} at once for {@code SKIP} and {@code KILLNOWAIT}, the callee's
 * answer (a result, or {@code wamp.error.canceled} if it stopped) for {@code KILL}. A router that does not offer call
 * canceling gets no CANCEL; the call is then failed with {@code wamp.error.canceled} at once and its answer dropped.
 */
public final class CallFuture extends CompletableFuture<Values> {
  /** How a future reaches the call it stands for. */
  interface Canceler {
    /** Sends CANCEL with {@code mode} if the call is in flight; with {@code dropAnswer}, forgets the call. */
    boolean cancel(Options.CancelMode mode, boolean dropAnswer);
  }

  private final Options.CancelMode defaultMode;
  private volatile Canceler canceler;

  CallFuture(Options.CancelMode defaultMode) {
    this.defaultMode = defaultMode;
  }

  static CallFuture failed(Throwable cause) {
    CallFuture f = new CallFuture(Options.CancelMode.SKIP);
    f.completeExceptionally(cause);
    return f;
  }

  /** Set once the call is sent; a future canceled before that sends nothing. */
  void bind(Canceler c) {
    this.canceler = c;
    if (isCancelled()) {
      c.cancel(defaultMode, true);
    }
  }

  /**
   * Completes this future at once with a {@link CancellationException} and asks the router to cancel the call with
   * the call's {@link Options.Call#cancelMode()}.
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean canceled = super.cancel(mayInterruptIfRunning);
    Canceler c = canceler;
    if (canceled && c != null) {
      c.cancel(defaultMode, true);
    }
    return canceled;
  }

  /**
   * Asks the router to cancel the call with {@code mode}; the router's answer completes this future. Returns false
   * if the call had already ended.
   */
  public boolean cancel(Options.CancelMode mode) {
    Canceler c = canceler;
    return !isDone() && c != null && c.cancel(java.util.Objects.requireNonNull(mode, "mode"), false);
  }
}
