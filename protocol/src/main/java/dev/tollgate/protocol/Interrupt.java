package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code [INTERRUPT, INVOCATION.Request|id, Options|dict]}
 *
 * <p>The dealer tells a callee that an invocation was canceled.
 */
public record Interrupt(long requestId, Map<String, Object> options) implements WampMessage {
  public static final int CODE = MessageCodes.INTERRUPT;

  public Interrupt {
    options = options == null ? Map.of() : options;
  }

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(5);
    elements.add(CODE);
    elements.add(requestId);
    elements.add(options);
    return elements;
  }
}
