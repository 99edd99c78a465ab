package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code [UNSUBSCRIBE, Request|id, SUBSCRIBED.Subscription|id]}
 *
 * <p>A client ends a subscription.
 */
public record Unsubscribe(long requestId, long subscriptionId) implements WampMessage {
  public static final int CODE = MessageCodes.UNSUBSCRIBE;

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
