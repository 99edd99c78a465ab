package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code [SUBSCRIBE, Request|id, Options|dict, Topic|uri]}
 *
 * <p>A client subscribes to a topic.
 */
public record Subscribe(long requestId, Map<String, Object> options, String topic) implements WampMessage {
  public static final int CODE = MessageCodes.SUBSCRIBE;

  public Subscribe {
    options = options == null ? Map.of() : options;
    Objects.requireNonNull(topic, "topic");
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
    elements.add(topic);
    return elements;
  }
}
