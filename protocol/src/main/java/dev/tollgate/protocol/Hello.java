package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code [HELLO, Realm|uri, Details|dict]}
 *
 * <p>A client asks to join a realm.
 */
public record Hello(String realm, Map<String, Object> details) implements WampMessage {
  public static final int CODE = MessageCodes.HELLO;

  public Hello {
    Objects.requireNonNull(realm, "realm");
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
    elements.add(realm);
    elements.add(details);
    return elements;
  }
}
