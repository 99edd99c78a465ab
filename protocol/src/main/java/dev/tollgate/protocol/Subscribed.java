package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code [SUBSCRIBED, SUBSCRIBE.Request|id, Subscription|id]}
 *
 * <p>The broker confirms a subscription.
 */
public record Subscribed(long requestId, long subscriptionId) implements WampMessage {
  public static final int CODE = MessageCodes.SUBSCRIBED;

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(5);
    elements.add(CODE);
    elements.add(requestId);
    elements.add(subscriptionId);
    return elements;
  }
}
