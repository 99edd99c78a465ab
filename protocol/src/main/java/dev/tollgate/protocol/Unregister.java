package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code [UNREGISTER, Request|id, REGISTERED.Registration|id]}
 *
 * <p>A callee withdraws a registration.
 */
public record Unregister(long requestId, long registrationId) implements WampMessage {
  public static final int CODE = MessageCodes.UNREGISTER;

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
