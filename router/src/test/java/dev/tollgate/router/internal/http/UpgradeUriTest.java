package dev.tollgate.router.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** What the WebSocket layer is handed of real requests to a real Jetty: one shared URI per URL, never the query. */
class UpgradeUriTest {

  @Test
  void requestsToOneUrlShareOneUriWithoutTheirQueries() throws Exception {
    List<URI> kept = new CopyOnWriteArrayList<>();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      private volatile UpgradeUri last;

      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        UpgradeUri uri = UpgradeUri.of(request, last);
        last = uri;
        // what websocket-core reads: the wrapped request's URI, as java.net.URI
        kept.add(uri.on(request).getHttpURI().toURI());
        response.setStatus(204);
        callback.succeeded();
        return true;
      }
    });
    server.start();
    int port = connector.getLocalPort();
    try {
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      for (String target : List.of("/ws?ticket=first", "/ws?ticket=second", "/other?ticket=third", "/ws")) {
        HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(URI.create(base + target)).build(),
            HttpResponse.BodyHandlers.discarding());
        assertEquals(204, answer.statusCode());
      }
    } finally {
      server.stop();
    }
    String ws = "ws://127.0.0.1:" + port;
    assertEquals(List.of(URI.create(ws + "/ws"), URI.create(ws + "/ws"), URI.create(ws + "/other"),
        URI.create(ws + "/ws")), kept, "scheme ws, no query");
    assertSame(kept.get(0), kept.get(1), "a second request to the same URL shares the first one's URI");
    assertNotSame(kept.get(1), kept.get(2));
    assertNotSame(kept.get(2), kept.get(3), "only the last URL is kept: never a map to grow");
  }
}
