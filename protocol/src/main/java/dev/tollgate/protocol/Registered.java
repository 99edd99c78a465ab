package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code [REGISTERED, REGISTER.Request|id, Registration|id]}
 *
 * <p>The dealer confirms a registration.
 */
public record Registered(long requestId, long registrationId) implements WampMessage {
  public static final int CODE = MessageCodes.REGISTERED;

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(5);
    elements.add(CODE);
    elements.add(requestId);
    elements.add(registrationId);
    return elements;
  }
}
