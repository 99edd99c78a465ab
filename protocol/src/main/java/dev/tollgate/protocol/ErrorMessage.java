package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code [ERROR, REQUEST.Type|int, REQUEST.Request|id, Details|dict, Error|uri, Arguments|list, ArgumentsKw|dict]}
 *
 * <p>The error reply to a request (named so as not to shadow {@link java.lang.Error}).
 */
public record ErrorMessage(int requestType, long requestId, Map<String, Object> details, String error, Payload payload) implements WampMessage {
  public static final int CODE = MessageCodes.ERROR;

  public ErrorMessage {
    details = details == null ? Map.of() : details;
    Objects.requireNonNull(error, "error");
    payload = payload == null ? Payload.EMPTY : payload;
  }

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(7);
    elements.add(CODE);
    elements.add(requestType);
    elements.add(requestId);
    elements.add(details);
    elements.add(error);
    payload.appendTo(elements);
    return elements;
  }
}
