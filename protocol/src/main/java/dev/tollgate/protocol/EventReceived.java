package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code [EVENT_RECEIVED, EVENT.Publication|id]}
 *
 * <p>A subscriber acknowledges an EVENT (provisional, acknowledged event delivery).
 */
public record EventReceived(long publicationId) implements WampMessage {
  public static final int CODE = MessageCodes.EVENT_RECEIVED;

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(4);
    elements.add(CODE);
    elements.add(publicationId);
    return elements;
  }
}
