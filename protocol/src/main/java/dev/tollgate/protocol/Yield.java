package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code [YIELD, INVOCATION.Request|id, Options|dict, Arguments|list, ArgumentsKw|dict]}
 *
 * <p>A callee returns the result of an invocation.
 */
public record Yield(long requestId, Map<String, Object> options, Payload payload) implements WampMessage {
  public static final int CODE = MessageCodes.YIELD;

  public Yield {
    options = options == null ? Map.of() : options;
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
    elements.add(options);
    payload.appendTo(elements);
    return elements;
  }
}
