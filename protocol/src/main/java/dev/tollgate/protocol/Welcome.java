package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code [WELCOME, Session|id, Details|dict]}
 *
 * <p>The router accepts a session into a realm.
 */
public record Welcome(long session, Map<String, Object> details) implements WampMessage {
  public static final int CODE = MessageCodes.WELCOME;

  public Welcome {
    details = details == null ? Map.of() : details;
  }

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(5);
    elements.add(CODE);
    elements.add(session);
    elements.add(details);
    return elements;
  }
}
