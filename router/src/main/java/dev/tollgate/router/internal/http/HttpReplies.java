package dev.tollgate.router.internal.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Small HTTP answers: JSON objects and plain text, each with its status. */
final class HttpReplies {
  private static final JsonFactory JSON = new JsonFactory();

  private HttpReplies() {}

  static void json(Response response, Callback callback, int status, Map<String, String> body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, String> e : body.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(response, callback, status, "application/json", out + "\n");
  }

  /** A JSON object whose values are strings or lists of strings. */
  static void jsonObject(Response response, Callback callback, int status, Map<String, Object> body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : body.entrySet()) {
        if (e.getValue() instanceof java.util.List<?> list) {
          g.writeArrayFieldStart(e.getKey());
          for (Object item : list) {
            g.writeString(String.valueOf(item));
          }
          g.writeEndArray();
        } else {
          g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(response, callback, status, "application/json", out + "\n");
  }

  static void text(Response response, Callback callback, int status, String body) {
    write(response, callback, status, "text/plain;charset=utf-8", body);
  }

  static void write(Response response, Callback callback, int status, String type, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }
}
