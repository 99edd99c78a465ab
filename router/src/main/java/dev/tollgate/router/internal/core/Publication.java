package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Payload;
import java.util.Map;

/**
 * One EVENT on its way to every receiver of one subscription. It is encoded at most once per format, and the same
 * bytes go to every peer that reads that format; framing them is the transport's business.
 *
 * <p>Not thread-safe: the broker delivers a publication from a single thread, the publisher's. A peer that keeps it
 * past {@link Peer#deliver} (to write it later) must take the bytes there, not keep the publication.
 */
public final class Publication {
  private static final int FORMATS = WireFormat.values().length;

  private final Event event;
  private final String topic;
  private final byte[][] encoded = new byte[FORMATS][];

  Publication(String topic, long subscriptionId, long publicationId, Map<String, Object> details, Payload payload) {
    this.topic = topic;
    this.event = new Event(subscriptionId, publicationId, details, payload);
  }

  /** The topic published to (WAMP v1's EVENT names it). */
  public String topic() {
    return topic;
  }

  public Event event() {
    return event;
  }

  /** The EVENT in {@code format}, shared by every receiver of that format: it must not be modified. */
  public byte[] encoded(WireFormat format) {
    int slot = format.ordinal();
    byte[] bytes = encoded[slot];
    if (bytes == null) {
      bytes = format.encodeEvent(this);
      encoded[slot] = bytes;
    }
    return bytes;
  }
}
