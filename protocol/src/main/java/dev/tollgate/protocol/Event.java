package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code [EVENT, SUBSCRIBED.Subscription|id, PUBLISHED.Publication|id, Details|dict, PUBLISH.Arguments|list, PUBLISH.ArgumentsKw|dict]}
 *
 * <p>The broker delivers a publication to a subscriber.
 */
public record Event(long subscriptionId, long publicationId, Map<String, Object> details, Payload payload) implements WampMessage {
  public static final int CODE = MessageCodes.EVENT;

  public Event {
    details = details == null ? Map.of() : details;
    payload = payload == null ? Payload.EMPTY : payload;
  }

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(6);
    elements.add(CODE);
    elements.add(subscriptionId);
    elements.add(publicationId);
    elements.add(details);
    payload.appendTo(elements);
    return elements;
  }
}
