package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code [INVOCATION, Request|id, REGISTERED.Registration|id, Details|dict, CALL.Arguments|list, CALL.ArgumentsKw|dict]}
 *
 * <p>The dealer asks a callee to run a call.
 */
public record Invocation(long requestId, long registrationId, Map<String, Object> details, Payload payload) implements WampMessage {
  public static final int CODE = MessageCodes.INVOCATION;

  public Invocation {
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
    elements.add(requestId);
    elements.add(registrationId);
    elements.add(details);
    payload.appendTo(elements);
    return elements;
  }
}
