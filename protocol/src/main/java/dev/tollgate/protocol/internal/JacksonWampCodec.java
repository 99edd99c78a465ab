package dev.tollgate.protocol.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.tollgate.protocol.ProtocolViolationException;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampCodec;
import dev.tollgate.protocol.WampMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** The codec of every Jackson-backed serializer: JSON, MessagePack and CBOR share one reader and one writer. */
public final class JacksonWampCodec implements WampCodec {
  /** Deeper nesting than this is refused: no real payload needs it, and it bounds the decoder's recursion. */
  static final int MAX_NESTING_DEPTH = 256;

  private final Serializer serializer;
  private final JsonFactory factory;
  private final boolean jsonBinary;

  public JacksonWampCodec(Serializer serializer) {
    this.serializer = serializer;
    this.jsonBinary = serializer == Serializer.JSON;
    JsonFactory f =
        switch (serializer) {
          case JSON -> new JsonFactory();
          case MSGPACK -> new MessagePackFactory();
          case CBOR -> new CBORFactory();
        };
    // Error messages must never quote the input: it may hold a ticket or a signature.
    f.disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature());
    f.setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    this.factory = f;
  }

  @Override
  public java.util.Optional<MessageHead> head(byte[] firstBytes) {
    int type = -1;
    long requestId = 0;
    boolean acknowledge = false;
    try (JsonParser p = factory.createParser(firstBytes)) {
      if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
        return java.util.Optional.empty();
      }
      type = p.getIntValue();
      if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
        return java.util.Optional.of(new MessageHead(type, 0, false));
      }
      requestId = p.getLongValue();
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (name.equals("acknowledge") && value == JsonToken.VALUE_TRUE) {
            acknowledge = true;
          } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            p.skipChildren();
          }
        }
      }
    } catch (IOException | RuntimeException endOfTheBytes) {
      // The head is cut off somewhere: what was read so far stands.
    }
    return type < 0 ? java.util.Optional.empty() : java.util.Optional.of(new MessageHead(type, requestId, acknowledge));
  }

  @Override
  public WampMessage decode(ByteBuffer data) {
    byte[] bytes;
    int from;
    int to;
    if (data.hasArray()) {
      bytes = data.array();
      from = data.arrayOffset() + data.position();
      to = from + data.remaining();
    } else {
      bytes = new byte[data.remaining()];
      data.duplicate().get(bytes);
      from = 0;
      to = bytes.length;
    }
    Object wire;
    try (JsonParser p = factory.createParser(bytes, from, to - from)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new ProtocolViolationException("empty " + serializer + " message");
      }
      wire = Values.read(p, first, jsonBinary);
      if (hasTrailingData(p, bytes, from, to)) {
        throw new ProtocolViolationException("trailing data after the " + serializer + " message");
      }
    } catch (IOException e) {
      throw new ProtocolViolationException("malformed " + serializer + " message: " + shortReason(e), e);
    } catch (RuntimeException e) {
      if (e instanceof ProtocolViolationException pve) {
        throw pve;
      }
      // Jackson's binary parsers signal some corrupt input with runtime exceptions; they are still bad input.
      throw new ProtocolViolationException("malformed " + serializer + " message: " + e.getClass().getSimpleName(), e);
    }
    return MessageDecoder.decode(wire);
  }

  /** Whether bytes follow the message; asked of the MessagePack parser, the question costs an exception. */
  private boolean hasTrailingData(JsonParser p, byte[] bytes, int from, int to) throws IOException {
    if (serializer == Serializer.MSGPACK) {
      return MsgpackExtent.end(bytes, from, to) != to;
    }
    return p.nextToken() != null;
  }

  @Override
  public byte[] encode(WampMessage message) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(256)) {
      try (JsonGenerator g = factory.createGenerator(out)) {
        Values.write(g, message.toList(), jsonBinary);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into memory failed", e);
    }
  }

  private static String shortReason(IOException e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }
}
