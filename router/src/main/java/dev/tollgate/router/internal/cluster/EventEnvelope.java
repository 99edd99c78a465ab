package dev.tollgate.router.internal.cluster;

import dev.tollgate.protocol.ProtocolViolationException;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampCodec;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.router.internal.core.Cluster;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A publication as it crosses Redis: the publisher's PUBLISH in MessagePack (so its payload, binary included, crosses
 * as it came), with what the other nodes need added to its options under {@code x_tollgate_} names, which WAMP leaves
 * to implementations and which are taken off again on arrival.
 */
final class EventEnvelope {
  private static final WampCodec CODEC = Serializer.MSGPACK.codec();
  private static final String REALM = "x_tollgate_realm";
  private static final String ORIGIN = "x_tollgate_origin";
  private static final String PUBLICATION = "x_tollgate_publication";
  private static final String PUBLISHER = "x_tollgate_publisher";
  private static final String AUTHID = "x_tollgate_authid";
  private static final String AUTHROLE = "x_tollgate_authrole";

  /** An arrived publication: its realm, the node instance and sequence number it was sent with, and the event. */
  record Arrived(String realm, long origin, long sequence, Cluster.ClusterEvent event) {}

  private EventEnvelope() {}

  /**
   * @param origin the sending node's instance, so that it skips its own messages
   * @param sequence this node's count of publications sent: one message may arrive twice at a node (for its channel and
   *     for a pattern), and the pair tells the second one apart
   */
  static byte[] encode(String realm, long origin, long sequence, Cluster.ClusterEvent event) {
    Publish publish = event.publish();
    Map<String, Object> options = new HashMap<>(publish.options());
    options.put(REALM, realm);
    options.put(ORIGIN, origin);
    options.put(PUBLICATION, event.publicationId());
    options.put(PUBLISHER, event.publisher());
    options.put(AUTHID, event.publisherAuthid());
    options.put(AUTHROLE, event.publisherAuthrole());
    return CODEC.encode(new Publish(sequence, options, publish.topic(), publish.payload()));
  }

  /** The publication in {@code bytes}; a message no Tollgate node sent is refused. */
  static Arrived decode(byte[] bytes) throws ProtocolViolationException {
    WampMessage message = CODEC.decode(ByteBuffer.wrap(bytes));
    if (!(message instanceof Publish publish) || !(publish.options().get(REALM) instanceof String realm)) {
      throw new ProtocolViolationException("not a Tollgate node's publication: " + message.code());
    }
    Map<String, Object> options = new HashMap<>(publish.options());
    long origin = number(options.remove(ORIGIN));
    long publicationId = number(options.remove(PUBLICATION));
    long publisher = number(options.remove(PUBLISHER));
    String authid = (String) options.remove(AUTHID);
    String authrole = (String) options.remove(AUTHROLE);
    options.remove(REALM);
    Publish original = new Publish(0, options, publish.topic(), publish.payload());
    return new Arrived(realm, origin, publish.requestId(),
        new Cluster.ClusterEvent(original, publicationId, publisher, authid, authrole));
  }

  private static long number(Object value) throws ProtocolViolationException {
    if (value instanceof Number n) {
      return n.longValue();
    }
    throw new ProtocolViolationException("not a Tollgate node's publication: a number is missing");
  }
}
