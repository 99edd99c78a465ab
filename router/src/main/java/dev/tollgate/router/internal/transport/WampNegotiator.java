package dev.tollgate.router.internal.transport;

import dev.tollgate.protocol.Serializer;
import dev.tollgate.router.RouterConfig;
import dev.tollgate.router.internal.core.Identity;
import dev.tollgate.router.internal.http.AllowedOrigins;
import dev.tollgate.router.internal.http.ClientAddress;
import dev.tollgate.router.internal.http.UrlTicketHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
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
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WampNegotiator.class);
  private final Transport transport;
  private final RouterConfig config;
  private final ClientAddress clientAddress;
  private final AllowedOrigins origins;

  public WampNegotiator(Transport transport, ClientAddress clientAddress) {
    this.transport = transport;
    this.config = transport.config();
    this.clientAddress = clientAddress;
    this.origins = new AllowedOrigins(config.get("origins.allowed"));
  }

  @Override
  public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
    WebSocketConnection connection = choose(request, response, callback);
    if (connection != null) {
      connection.setClientAddress(clientAddress.of(request));
    }
    return connection;
  }

  private WebSocketConnection choose(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
    if (transport.core().isShuttingDown()) {
      refuse(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "Tollgate is shutting down; try again shortly.\n");
      return null;
    }
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin != null && !origins.allows(origin)) {
      refuse(response, callback, HttpStatus.FORBIDDEN_403,
          "Origin '" + origin + "' is not allowed; add its host to origins.allowed.\n");
      return null;
    }
    Identity identity = (Identity) request.getAttribute(UrlTicketHandler.IDENTITY_ATTRIBUTE);
    boolean v1 = Boolean.parseBoolean(config.get("v1.enabled"));
    List<String> offered = request.getSubProtocols();
    for (String subprotocol : offered) {
      var serializer = Serializer.forSubprotocol(subprotocol);
      if (serializer.isPresent()) {
        response.setAcceptedSubProtocol(subprotocol);
        response.setExtensions(List.of());
        return new WampV2Connection(transport, serializer.get(), identity, Wire.of(request));
      }
      if (v1 && subprotocol.equals("wamp")) {
        response.setAcceptedSubProtocol(subprotocol);
        return acceptV1(request, response, callback, identity);
      }
    }
    if (offered.isEmpty() && v1) {
      if (Boolean.parseBoolean(config.get("v1.allow-no-subprotocol"))) {
        // GosWebSocketBundle runs Ratchet leniently: a client offering nothing speaks WAMP v1.
        return acceptV1(request, response, callback, identity);
      }
      // As plain Ratchet answers it; a 426 must name the protocol to upgrade to (RFC 9110).
      response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
      response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
      response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_VERSION, "13");
      refuse(response, callback, HttpStatus.UPGRADE_REQUIRED_426, "No Sec-WebSocket-Protocols requested supported\n");
      return null;
    }
    StringBuilder spoken = new StringBuilder();
    for (Serializer s : Serializer.values()) {
      spoken.append(spoken.length() == 0 ? "" : ", ").append(s.subprotocol());
    }
    if (v1) {
      spoken.append(", wamp");
    }
    refuse(response, callback, HttpStatus.BAD_REQUEST_400,
        "No acceptable WebSocket subprotocol: the client offered " + (offered.isEmpty() ? "none" : offered)
            + "; Tollgate speaks " + spoken + ".\n");
    return null;
  }

  /**
   * A WAMP v1 peer: it has no HELLO, so a session without a ticket is refused here, at the HTTP level, when the
   * router takes no anonymous sessions (Oro's page then fetches a fresh ticket and retries).
   */
  private WebSocketConnection acceptV1(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback,
      Identity identity) {
    if (identity == null && !config.allowAnonymous()) {
      refuse(response, callback, HttpStatus.UNAUTHORIZED_401, UrlTicketHandler.TICKET_REQUIRED + "\n");
      return null;
    }
    response.setExtensions(List.of());
    Wire endPoint = Wire.of(request);
    endPoint.hold();
    return new WampV1Connection(transport, identity, endPoint);
  }

  private static void refuse(Response response, Callback callback, int status, String body) {
    LOG.info("refused the upgrade from {} to {} with {}: {}", Request.getRemoteAddr(response.getRequest()),
        Request.getPathInContext(response.getRequest()), status, body.strip());
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }

  /** The largest piece of a data frame Jetty hands over at once. */
  private static final int FRAGMENT_BYTES = 64 * 1024;

  @Override
  public void customize(Configuration configuration) {
    // Jetty hands over a large frame in pieces of at most this size as its bytes arrive, so a frame is never held
    // whole before WebSocketConnection judges its size against the session's limit (and skips it if it is over).
    configuration.setAutoFragment(true);
    configuration.setMaxFrameSize(FRAGMENT_BYTES);
    long max = Math.max(config.maxMessageSize(), config.backendMaxMessageSize());
    configuration.setMaxTextMessageSize(max);
    configuration.setMaxBinaryMessageSize(max);
    // Liveness is judged by the router's own sweep, for connections that receive (WebSocketConnection.checkLiveness),
    // and by TCP keep-alive for the rest: Jetty's timer would close a publisher that pauses, losing its next event.
    configuration.setIdleTimeout(java.time.Duration.ZERO);
  }
}
