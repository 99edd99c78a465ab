package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code [CANCEL, CALL.Request|id, Options|dict]}
 *
 * <p>A caller cancels a call in flight.
 */
public record Cancel(long requestId, Map<String, Object> options) implements WampMessage {
  public static final int CODE = MessageCodes.CANCEL;

  public Cancel {
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
