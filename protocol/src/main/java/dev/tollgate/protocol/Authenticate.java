package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code [AUTHENTICATE, Signature|string, Extra|dict]}
 *
 * <p>The client answers a CHALLENGE. The signature is a secret: never log it.
 */
public record Authenticate(String signature, Map<String, Object> extra) implements WampMessage {
  public static final int CODE = MessageCodes.AUTHENTICATE;

  public Authenticate {
    Objects.requireNonNull(signature, "signature");
    extra = extra == null ? Map.of() : extra;
  }

  @Override
  public int code() {
    return CODE;
  }

  @Override
  public List<Object> toList() {
    ArrayList<Object> elements = new ArrayList<>(5);
    elements.add(CODE);
    elements.add(signature);
    elements.add(extra);
    return elements;
  }
}
