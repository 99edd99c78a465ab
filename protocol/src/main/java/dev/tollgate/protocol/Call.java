package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code [CALL, Request|id, Options|dict, Procedure|uri, Arguments|list, ArgumentsKw|dict]}
 *
 * <p>A caller calls a procedure.
 */
public record Call(long requestId, Map<String, Object> options, String procedure, Payload payload) implements WampMessage {
  public static final int CODE = MessageCodes.CALL;

  public Call {
    options = options == null ? Map.of() : options;
    Objects.requireNonNull(procedure, "procedure");
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
    elements.add(requestId);
    elements.add(options);
    elements.add(procedure);
    payload.appendTo(elements);
    return elements;
  }
}
