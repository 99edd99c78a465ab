package dev.tollgate.router.internal;

import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Payload;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One EVENT on its way to every subscriber of one subscription. It is encoded and framed at most once per format,
 * and the same bytes go to every receiver that speaks that format.
 *
 * <p>Not thread-safe: the broker delivers a publication from a single thread, the publisher's.
 */
final class Publication {
  private final Event event;
  private final String topic;
  private final ByteBuffer[] frames = new ByteBuffer[WireFormat.values().length];

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

  /** The EVENT as a WebSocket frame in {@code format}, read-only and shared: readers must not move its position. */
  ByteBuffer frame(WireFormat format) {
    int slot = format.ordinal();
    ByteBuffer bytes = frames[slot];
    if (bytes == null) {
      bytes = ServerFrames.frame(format.binary(), format.encodeEvent(this)).asReadOnlyBuffer();
      frames[slot] = bytes;
    }
    return bytes;
  }
}
