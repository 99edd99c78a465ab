package dev.tollgate.protocol.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.tollgate.protocol.ProtocolViolationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/** WAMP's JSON value model as plain Java values, for dialects that are not WAMP v2 messages (WAMP v1). */
public final class JsonValues {
  private static final JsonFactory JSON = new JsonFactory();

  static {
    JSON.disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature());
  }

  private JsonValues() {}

  /** One JSON value; malformed JSON, invalid UTF-8 or trailing data is a protocol violation. */
  public static Object read(ByteBuffer data) {
    byte[] bytes = new byte[data.remaining()];
    data.duplicate().get(bytes);
    try (JsonParser p = JSON.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new ProtocolViolationException("empty message");
      }
      Object value = Values.read(p, first, true);
      if (p.nextToken() != null) {
        throw new ProtocolViolationException("trailing data after the JSON message");
      }
      return value;
    } catch (IOException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
      throw new ProtocolViolationException("malformed JSON message: " + m, e);
    }
  }

  public static byte[] write(Object value) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(128)) {
      try (JsonGenerator g = JSON.createGenerator(out)) {
        Values.write(g, value, true);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
