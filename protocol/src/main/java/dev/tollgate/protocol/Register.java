package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code [REGISTER, Request|id, Options|dict, Procedure|uri]}
 *
 * <p>A callee registers a procedure.
 */
public record Register(long requestId, Map<String, Object> options, String procedure) implements WampMessage {
  public static final int CODE = MessageCodes.REGISTER;

  public Register {
    options = options == null ? Map.of() : options;
    Objects.requireNonNull(procedure, "procedure");
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
    return elements;
  }
}
