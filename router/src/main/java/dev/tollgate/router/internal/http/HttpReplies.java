package dev.tollgate.router.internal.http;

import dev.tollgate.protocol.internal.JsonValues;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Small HTTP answers: JSON objects and plain text, each with its status, never cached. */
final class HttpReplies {

  private HttpReplies() {}

  /** A JSON object of WAMP's value model: strings, numbers, booleans, nulls, lists and maps of them. */
  static void json(Response response, Callback callback, int status, Map<String, ?> body) {
    write(response, callback, status, "application/json",
        new String(JsonValues.write(body), StandardCharsets.UTF_8) + "\n");
  }

  static void text(Response response, Callback callback, int status, String body) {
    write(response, callback, status, "text/plain;charset=utf-8", body);
  }

  static void write(Response response, Callback callback, int status, String type, String body) {
    write(response, callback, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  static void write(Response response, Callback callback, int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
