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
   * error with its URI and payload. Any other exception answers {@code wamp.error.runtime_error}.
   */
  @FunctionalInterface
  public interface InvocationHandler {
    Object onInvocation(Values call) throws Exception;
  }
}
