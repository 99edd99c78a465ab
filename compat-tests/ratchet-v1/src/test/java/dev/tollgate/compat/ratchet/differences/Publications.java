package dev.tollgate.compat.ratchet.differences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.tollgate.compat.ratchet.recording.Bindings;
import dev.tollgate.compat.ratchet.recording.PhpJson;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.V1;
import java.nio.charset.StandardCharsets;

/** How a recorded EVENT is traced to the PUBLISH that caused it. */
final class Publications {
  private Publications() {}

  /**
   * Whether a server frame is the EVENT Ratchet sends for a publication of {@code published} to {@code topic} (as
   * Ratchet resolved it): by value when the recording kept it whole, by the SHA-256 of PHP's encoding of
   * {@code [EVENT, topic, published]} when it kept only length and SHA-256.
   */
  static boolean carries(Frame event, String topic, JsonNode published) {
    if (event.dir() != Direction.IN || topic == null) {
      return false;
    }
    JsonNode value = published == null ? NullNode.getInstance() : published;
    ArrayNode m = V1.message(event);
    if (m != null) {
      JsonNode carried = V1.element(m, 2);
      return V1.type(m) == V1.EVENT && topic.equals(V1.text(m, 1))
          && PhpJson.difference(carried == null ? NullNode.getInstance() : carried, value, new Bindings()) == null;
    }
    if (event.large() != null && event.data() == null) {
      ArrayNode expected = JsonNodeFactory.instance.arrayNode().add(V1.EVENT).add(topic).add(value);
      return event.large().sameBytes(PhpJson.encode(expected).getBytes(StandardCharsets.UTF_8));
    }
    return false;
  }
}
