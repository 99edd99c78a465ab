package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code [PUBLISH, Request|id, Options|dict, Topic|uri, Arguments|list, ArgumentsKw|dict]}
 *
 * <p>A publisher sends an event to a topic.
 */
public record Publish(long requestId, Map<String, Object> options, String topic, Payload payload) implements WampMessage {
  public static final int CODE = MessageCodes.PUBLISH;

  public Publish {
    options = options == null ? Map.of() : options;
    Objects.requireNonNull(topic, "topic");
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
    elements.add(topic);
    payload.appendTo(elements);
    return elements;
  }
}
