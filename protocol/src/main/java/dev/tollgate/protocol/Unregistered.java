package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code [UNREGISTERED, UNREGISTER.Request|id] or, when the dealer revokes, [UNREGISTERED, 0, Details|dict]}
 *
 * <p>The dealer confirms or announces the end of a registration.
 */
public record Unregistered(long requestId, Map<String, Object> details) implements WampMessage {
  public static final int CODE = MessageCodes.UNREGISTERED;

  public Unregistered {
    details = details == null ? Map.of() : details;
  }

  @Override
  public int code() {
    return CODE;
  }

  /** The plain confirmation of a client's request. */
  public Unregistered(long requestId) {
    this(requestId, Map.of());
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(4);
    elements.add(CODE);
    elements.add(requestId);
    if (!details.isEmpty()) {
      elements.add(details);
    }
    return elements;
  }
}
