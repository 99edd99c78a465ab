package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code [ABORT, Details|dict, Reason|uri]}
 *
 * <p>A session is refused or ended without a closing handshake.
 */
public record Abort(Map<String, Object> details, String reason) implements WampMessage {
  public static final int CODE = MessageCodes.ABORT;

  public Abort {
    details = details == null ? Map.of() : details;
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(5);
    elements.add(CODE);
    elements.add(details);
    elements.add(reason);
    return elements;
  }
}
