package dev.tollgate.router.internal;

import dev.tollgate.protocol.Serializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;

/**
 * Accepts a WebSocket upgrade for the first subprotocol in the client's offer that Tollgate speaks, in the client's
 * order. No acceptable subprotocol: HTTP 400 with a body that lists what is spoken. Extensions such as
 * permessage-deflate are declined: they would transform the shared EVENT bytes once per receiver.
 */
public final class WampNegotiator implements WebSocketNegotiator {
  private final RouterCore router;

  public WampNegotiator(RouterCore router) {
    this.router = router;
  }

  @Override
  public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
    if (router.isShuttingDown()) {
      refuse(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "Tollgate is shutting down; try again shortly.\n");
      return null;
    }
    List<String> offered = request.getSubProtocols();
    for (String subprotocol : offered) {
      var serializer = Serializer.forSubprotocol(subprotocol);
      if (serializer.isPresent()) {
        response.setAcceptedSubProtocol(subprotocol);
        response.setExtensions(List.of());
        Identity identity = (Identity) request.getAttribute(UrlTicketHandler.IDENTITY_ATTRIBUTE);
        return new WampV2Connection(router, serializer.get(), identity);
      }
    }
    StringBuilder spoken = new StringBuilder();
    for (Serializer s : Serializer.values()) {
      spoken.append(spoken.length() == 0 ? "" : ", ").append(s.subprotocol());
    }
    refuse(response, callback, HttpStatus.BAD_REQUEST_400,
        "No acceptable WebSocket subprotocol: the client offered " + (offered.isEmpty() ? "none" : offered)
            + "; Tollgate speaks " + spoken + ".\n");
    return null;
  }

  private static void refuse(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }

  @Override
  public void customize(Configuration configuration) {
    int max = router.config().maxMessageSize();
    configuration.setMaxFrameSize(max);
    configuration.setMaxTextMessageSize(max);
    configuration.setMaxBinaryMessageSize(max);
    // A frame over the limit must be refused (1009), not silently split into several.
    configuration.setAutoFragment(false);
    configuration.setOutputBufferSize(router.config().outputBufferSize());
    // Liveness is judged by the router's own sweep from inbound traffic; Jetty's timer is only a backstop, since
    // our PINGs count as activity for it.
    configuration.setIdleTimeout(router.config().idleTimeout().plus(router.config().pingInterval()).multipliedBy(2));
  }
}
