package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code [CHALLENGE, AuthMethod|string, Extra|dict]}
 *
 * <p>The router asks the client to prove its identity.
 */
public record Challenge(String authMethod, Map<String, Object> extra) implements WampMessage {
  public static final int CODE = MessageCodes.CHALLENGE;

  public Challenge {
    Objects.requireNonNull(authMethod, "authMethod");
    extra = extra == null ? Map.of() : extra;
  }

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(5);
    elements.add(CODE);
    elements.add(authMethod);
    elements.add(extra);
    return elements;
  }
}
