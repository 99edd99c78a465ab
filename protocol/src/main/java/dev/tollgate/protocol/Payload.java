package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The application payload of PUBLISH, EVENT, CALL, INVOCATION, YIELD, RESULT and ERROR: either positional and
 * keyword arguments, or one opaque value in payload passthru mode (when the options or details carry
 * {@code enc_algo}), which routers forward untouched.
 *
 * @param args positional arguments, {@code null} when absent
 * @param kwargs keyword arguments, {@code null} when absent
 * @param opaque the passthru payload (bytes, or a string), {@code null} unless in passthru mode
 */
public record Payload(List<Object> args, Map<String, Object> kwargs, Object opaque) {
  public static final Payload EMPTY = new Payload(null, null, null);

  public static Payload of(List<Object> args) {
    return new Payload(args, null, null);
  }

  public static Payload of(List<Object> args, Map<String, Object> kwargs) {
    return new Payload(args, kwargs, null);
  }

  public static Payload opaque(Object opaque) {
    if (opaque == null) {
      throw new IllegalArgumentException("opaque payload == null");
    }
    return new Payload(null, null, opaque);
  }

  public boolean isOpaque() {
    return opaque != null;
  }

  /** Positional arguments, never null. */
  public List<Object> argsOrEmpty() {
    return args == null ? List.of() : args;
  }

  /** Keyword arguments, never null. */
  public Map<String, Object> kwargsOrEmpty() {
    return kwargs == null ? Map.of() : kwargs;
  }

  /**
   * Appends the payload's trailing elements to a message under construction: the opaque value, or args and kwargs
   * with empty trailing ones left out, as the spec allows.
   */
  void appendTo(ArrayList<Object> elements) {
    if (opaque != null) {
      elements.add(opaque);
      return;
    }
    boolean hasKwargs = kwargs != null && !kwargs.isEmpty();
    if (hasKwargs || (args != null && !args.isEmpty())) {
      elements.add(args == null ? List.of() : args);
    }
    if (hasKwargs) {
      elements.add(kwargs);
    }
  }
}
