package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code [RESULT, CALL.Request|id, Details|dict, YIELD.Arguments|list, YIELD.ArgumentsKw|dict]}
 *
 * <p>The dealer returns a call's result to the caller.
 */
public record Result(long requestId, Map<String, Object> details, Payload payload) implements WampMessage {
  public static final int CODE = MessageCodes.RESULT;

  public Result {
    details = details == null ? Map.of() : details;
    payload = payload == null ? Payload.EMPTY : payload;
  }

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(5);
    elements.add(CODE);
    elements.add(requestId);
    elements.add(details);
    payload.appendTo(elements);
    return elements;
  }
}
