package dev.tollgate.router.internal;

import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Payload;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One EVENT on its way to every subscriber of one subscription. It is encoded at most once per serializer, and the
 * same bytes go to every receiver that speaks that serializer.
 *
 * <p>Not thread-safe: the broker delivers a publication from a single thread, the publisher's.
 */
final class Publication {
  private final Event event;
  private final String topic;
  private final ByteBuffer[] encoded = new ByteBuffer[WireFormat.values().length];

  Publication(String topic, long subscriptionId, long publicationId, Map<String, Object> details, Payload payload) {
    this.topic = topic;
    this.event = new Event(subscriptionId, publicationId, details, payload);
  }

  String topic() {
    return topic;
  }

  Event event() {
    return event;
  }

  /** The EVENT's bytes in {@code format}, read-only and shared: receivers must use a duplicate. */
  ByteBuffer encoded(WireFormat format) {
    int slot = format.ordinal();
    ByteBuffer bytes = encoded[slot];
    if (bytes == null) {
      bytes = ByteBuffer.wrap(format.encodeEvent(this)).asReadOnlyBuffer();
      encoded[slot] = bytes;
    }
    return bytes;
  }
}
