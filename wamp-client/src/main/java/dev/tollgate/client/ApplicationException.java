package dev.tollgate.client;

import java.util.List;
import java.util.Map;

/**
 * A WAMP error with its URI and payload: thrown by a procedure handler to answer a call with ERROR, and what a call
 * fails with when the callee (or the router, e.g. {@code wamp.error.no_such_procedure}) answers with ERROR.
 */
public class ApplicationException extends RuntimeException {
  private final String uri;
  private final List<Object> args;
  private final Map<String, Object> kwargs;

  public ApplicationException(String uri, List<Object> args, Map<String, Object> kwargs) {
    super(uri + (args == null || args.isEmpty() ? "" : ": " + args.get(0)));
    this.uri = uri;
    this.args = args == null ? List.of() : args;
    this.kwargs = kwargs == null ? Map.of() : kwargs;
  }

  public ApplicationException(String uri, Object... args) {
    this(uri, List.of(args), Map.of());
  }

  public String uri() {
    return uri;
  }

  public List<Object> args() {
    return args;
  }

  public Map<String, Object> kwargs() {
    return kwargs;
  }
}
