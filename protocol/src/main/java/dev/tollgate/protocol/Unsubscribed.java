package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code [UNSUBSCRIBED, UNSUBSCRIBE.Request|id] or, when the broker revokes, [UNSUBSCRIBED, 0, Details|dict]}
 *
 * <p>The broker confirms or announces the end of a subscription.
 */
public record Unsubscribed(long requestId, Map<String, Object> details) implements WampMessage {
  public static final int CODE = MessageCodes.UNSUBSCRIBED;

  public Unsubscribed {
    details = details == null ? Map.of() : details;
  }

  @Override
  public int code() {
    return CODE;
  }

  /** The plain confirmation of a client's request. */
  public Unsubscribed(long requestId) {
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
