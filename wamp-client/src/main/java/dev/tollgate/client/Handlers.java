package dev.tollgate.client;

/** The application's callbacks. They run on the client's executor, never on the I/O thread. */
public final class Handlers {
  private Handlers() {}

  /** Receives the events of one subscription, one at a time and in order. */
  @FunctionalInterface
  public interface EventHandler {
    void onEvent(Values event) throws Exception;
  }

  /**
   * Answers an invocation: return a value (one positional result; null for none), a {@link Values} (args and kwargs),
   * or a {@link java.util.concurrent.CompletionStage} of either; throw {@link ApplicationException} for a WAMP
   * error with its URI and payload. Any other exception answers {@code wamp.error.runtime_error}. An INTERRUPT (the
   * call was canceled or timed out) cancels the returned stage.
   */
  @FunctionalInterface
  public interface InvocationHandler {
    Object onInvocation(Values call) throws Exception;
  }

  /**
   * Answers an invocation as {@link InvocationHandler} does, and may also send progressive results
   * ({@link Invocation#progress}) and take a call sent in pieces ({@link Invocation#onInput}).
   */
  @FunctionalInterface
  public interface ProgressiveInvocationHandler {
    Object onInvocation(Invocation invocation) throws Exception;
  }

  /** Receives the further pieces of a call sent in pieces, one at a time and in order (see {@link Invocation}). */
  @FunctionalInterface
  public interface InputHandler {
    void onInput(Values piece) throws Exception;
  }

  /** Receives a call's progressive results, one at a time and in order, all before its future completes. */
  @FunctionalInterface
  public interface ProgressHandler {
    void onProgress(Values partial) throws Exception;
  }
}
