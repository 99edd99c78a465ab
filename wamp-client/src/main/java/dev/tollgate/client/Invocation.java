package dev.tollgate.client;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One invocation of a procedure registered with a {@link Handlers.ProgressiveInvocationHandler}: what the caller sent,
 * and the two ways a call can flow in pieces.
 *
 * <ul>
 *   <li><b>Progressive results</b>: when the caller asked for them ({@link #receivesProgress()}),
 *       {@link #progress} sends a result ahead of the final one, which the handler returns as usual. When it did
 *       not, the router would withhold them, so they are not sent at all.
 *   <li><b>Progressive call invocations</b>: a caller may send a call in pieces under one request id
 *       ({@link WampClient#callInPieces}). {@link #call()} is the first; while {@link #hasMoreInput()}, the further
 *       ones reach {@link #onInput}'s handler in order, the last with {@link Values#isProgress()} false. The handler
 *       may answer before the last piece; later pieces are then dropped, as the spec says.
 * </ul>
 *
 * <p>Threading: {@link #progress} may be called from any thread until the handler's answer is sent (it throws
 * IllegalArgumentException for a value Jackson cannot write); input handlers
 * run on the client's executor, one piece at a time. An input handler that throws answers the call with that error.
 */
public final class Invocation {
  /** Sends one progressive result unless the invocation was answered; false when it was. */
  interface ProgressSender {
    boolean send(List<?> args, Map<String, ?> kwargs);
  }

  private final Values call;
  private final ProgressSender progress;
  private final SerialExecutor order;
  private final Consumer<Throwable> fail;
  /** Pieces that came before {@link #onInput} was called; guarded by this. */
  private final ArrayDeque<Values> early = new ArrayDeque<>();
  private Handlers.InputHandler input;

  Invocation(Values call, ProgressSender progress, Executor executor, Consumer<Throwable> fail) {
    this.call = call;
    this.progress = progress;
    this.order = new SerialExecutor(executor);
    this.fail = fail;
  }

  /** The call's arguments and details: the whole call, or its first piece. */
  public Values call() {
    return call;
  }

  /** Whether the caller asked for progressive results ({@code details.receive_progress}). */
  public boolean receivesProgress() {
    return Boolean.TRUE.equals(call.details().get("receive_progress"));
  }

  /**
   * Sends a progressive result. Returns false, sending nothing, if the caller did not ask for them or the invocation
   * was already answered (or interrupted).
   */
  public boolean progress(List<?> args, Map<String, ?> kwargs) {
    return receivesProgress() && progress.send(args == null ? List.of() : args, kwargs == null ? Map.of() : kwargs);
  }

  /** Whether further pieces of the call follow {@link #call()}. */
  public boolean hasMoreInput() {
    return call.isProgress();
  }

  /** Where the further pieces go, in order; pieces that came before this was called are handed over first. */
  public void onInput(Handlers.InputHandler handler) {
    Objects.requireNonNull(handler, "handler");
    synchronized (this) {
      if (input != null) {
        throw new IllegalStateException("onInput was already called");
      }
      input = handler;
      while (!early.isEmpty()) {
        hand(handler, early.poll());
      }
    }
  }

  /** The router's next piece (the I/O thread). */
  synchronized void piece(Values piece) {
    if (input == null) {
      early.add(piece);
    } else {
      hand(input, piece);
    }
  }

  private void hand(Handlers.InputHandler handler, Values piece) {
    order.execute(() -> {
      try {
        handler.onInput(piece);
      } catch (Exception e) {
        fail.accept(e);
      }
    });
  }
}
