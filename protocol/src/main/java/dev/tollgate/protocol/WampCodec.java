package dev.tollgate.protocol;

import java.nio.ByteBuffer;

/**
 * Turns WAMP v2 messages into bytes and back, for one serializer. Codecs are stateless and thread-safe.
 *
 * <p>Decoding checks the whole structure: element count, element types, id ranges and the types of the options and
 * details the spec defines. Whatever is wrong becomes a {@link ProtocolViolationException}; no other exception escapes.
 */
public interface WampCodec {

  /** Decodes one message from the remaining bytes of {@code data} (its position is not moved). */
  WampMessage decode(ByteBuffer data) throws ProtocolViolationException;

  /**
   * What the first bytes of a message say about it (its type, request id, and whether a PUBLISH asked for
   * acknowledgment), for answering a message too large to be read whole; empty when they do not say that much.
   */
  java.util.Optional<MessageHead> head(byte[] firstBytes);

  /** The start of a message: its type code and request id (0 when it has none), and PUBLISH's acknowledge option. */
  record MessageHead(int type, long requestId, boolean acknowledge) {}

  /** Encodes one message. */
  byte[] encode(WampMessage message);
}
