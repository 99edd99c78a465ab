package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.protocol.internal.JsonValues;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The admin page's JSON API, called from a test over HTTP: JSON both ways, the guard header, the login cookie. */
final class AdminApi {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private AdminApi() {}

  /** An answer: its status, its JSON object, and the response itself (for headers). */
  record Reply(int status, Map<String, Object> body, HttpResponse<String> raw) {}

  /** {@code method /admin/api/call} with {@code body} as JSON (none if null) and the headers given, nothing else. */
  static Reply call(int port, String method, String call, Map<String, Object> body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/api/" + call))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(JsonValues.write(body)));
    if (headers.length > 0) {
      b.headers(headers);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    @SuppressWarnings("unchecked")
    Map<String, Object> json = (Map<String, Object>) JsonValues.read(ByteBuffer.wrap(r.body().getBytes(StandardCharsets.UTF_8)));
    return new Reply(r.statusCode(), json, r);
  }

  /** Logs in with a password, which must succeed; the login cookie's {@code name=value}. */
  static String login(int port, String username, String password) throws Exception {
    Reply r = call(port, "POST", "login", Map.of("username", username, "password", password), "X-Tollgate-Admin", "1");
    assertEquals(200, r.status(), r.body().toString());
    String setCookie = r.raw().headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  /** A call as the logged-in admin: the guard header and the cookie. */
  static Reply as(int port, String cookie, String method, String call, Map<String, Object> body) throws Exception {
    return call(port, method, call, body, "X-Tollgate-Admin", "1", "Cookie", cookie);
  }
}
