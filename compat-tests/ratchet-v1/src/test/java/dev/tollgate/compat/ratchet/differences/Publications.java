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
   * Whether a server frame is the EVENT Ratchet sends for a PUBLISH to {@code topic} (as Ratchet resolved it): by
   * value when the recording kept the EVENT whole, by the SHA-256 of PHP's encoding of {@code [EVENT, topic, event]}
   * when it kept only length and SHA-256.
   */
  static boolean carries(Frame event, String topic, Frame publish) {
    if (event.dir() != Direction.IN || topic == null || publish.text() == null) {
      return false;
    }
    ArrayNode m = V1.message(event);
    if (m != null) {
      return V1.type(m) == V1.EVENT && topic.equals(V1.text(m, 1))
          && PhpJson.difference(orNull(V1.element(m, 2)), orNull(PhpJson.parse(publish.text()).get(2)),
              new Bindings()) == null;
    }
    if (event.large() != null && event.data() == null) {
      ArrayNode expected = JsonNodeFactory.instance.arrayNode().add(V1.EVENT).add(topic)
          .add(orNull(PhpJson.decode(publish.text()).get(2)));
      return event.large().sameBytes(PhpJson.encode(expected).getBytes(StandardCharsets.UTF_8));
    }
    return false;
  }

  private static JsonNode orNull(JsonNode value) {
    return value == null ? NullNode.getInstance() : value;
  }
}
