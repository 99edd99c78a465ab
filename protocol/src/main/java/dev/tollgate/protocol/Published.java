package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code [PUBLISHED, PUBLISH.Request|id, Publication|id]}
 *
 * <p>The broker acknowledges a PUBLISH that asked for it.
 */
public record Published(long requestId, long publicationId) implements WampMessage {
  public static final int CODE = MessageCodes.PUBLISHED;

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(5);
    elements.add(CODE);
    elements.add(requestId);
    elements.add(publicationId);
    return elements;
  }
}
