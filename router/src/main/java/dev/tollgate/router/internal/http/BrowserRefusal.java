package dev.tollgate.router.internal.http;

import dev.tollgate.router.RouterConfig;
import org.eclipse.jetty.util.thread.Scheduler;

import dev.tollgate.protocol.Serializer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;

/**
 * The browser form of a URL-ticket refusal, for the WAMP v1 pages of Oro and Gos. A browser hides an HTTP 401 before
 * the upgrade from the page's script and reports it exactly as a server that is down (close 1006, never opened;
 * AutobahnJS 0.8: "Connection could not be established."). So a browser's refused upgrade is accepted instead, and
 * a {@link RefusedConnection} says why in one text frame and then drops the TCP connection without a close frame.
 * Measured in Chromium 156 and Firefox 153: the page's socket opens, receives the frame and closes with 1006,
 * {@code wasClean} false; AutobahnJS 0.8 reports a lost connection ("Connection lost."), and Oro's sync/wamp.js
 * reconnects with a fresh ticket, as it does after a 401. A close frame would not do: both browsers call a close
 * frame followed by FIN clean, Firefox even one followed by RST, and AutobahnJS reports a clean close as
 * CONNECTION_CLOSED, the one code after which Oro's wrapper never reconnects. compat-tests/browser checks it all in
 * Chromium.
 *
 * <p>Only a browser ({@link AllowedOrigins#isBrowser}) from an admitted origin that would be served WAMP v1 gets it;
 * any other client keeps the HTTP answer (401, 429, 503). The refusal travels from the ticket check to the upgrade as
 * a request attribute, which {@link Negotiator} turns into a {@link RefusedConnection}.
 */
public final class BrowserRefusal {
  private static final String ATTRIBUTE = "dev.tollgate.browser-refusal";

  /** A refusal to deliver: the HTTP status the client would otherwise get, the public message, the subprotocol. */
  record Refused(int status, String message, String subprotocol) {}

  private final RouterConfig config;
  private final AllowedOrigins origins;

  BrowserRefusal(RouterConfig config) {
    this.config = config;
    this.origins = new AllowedOrigins(config.get("origins.allowed"));
  }

  /**
   * Answers a refused ticket the browser way if this request is a browser's WAMP v1 upgrade from an admitted origin:
   * hands it on to the WebSocket upgrade ({@code next}) carrying the refusal, and returns true. Returns false, having
   * done nothing, for any other request, which the caller answers over HTTP.
   */
  boolean answer(Handler next, Request request, Response response, Callback callback, int status, String message) {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (!AllowedOrigins.isBrowser(origin, request.getHeaders().get(HttpHeader.USER_AGENT))
        || !origins.allows(origin)) {
      return false;
    }
    String subprotocol = v1Subprotocol(request);
    if (subprotocol == null) {
      return false;
    }
    request.setAttribute(ATTRIBUTE, new Refused(status, message, subprotocol.isEmpty() ? null : subprotocol));
    try {
      if (!next.handle(request, response, callback)) {
        HttpReplies.text(response, callback, HttpStatus.NOT_FOUND_404, "Not found.\n");
      }
    } catch (Throwable t) {
      callback.failed(t);
    }
    return true;
  }

  /**
   * "wamp" when the first subprotocol offered that Tollgate speaks is WAMP v1, "" when none is offered and such a
   * client is taken as v1, else null: the same choice as {@code WampNegotiator}'s, so a refused page sees the
   * subprotocol an accepted one would (AutobahnJS closes a socket whose protocol is not "wamp").
   */
  private String v1Subprotocol(Request request) {
    if (!Boolean.parseBoolean(config.get("v1.enabled"))) {
      return null;
    }
    List<String> offered = request.getHeaders().getCSV(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL, true);
    for (String subprotocol : offered) {
      if (subprotocol.equals("wamp")) {
        return subprotocol;
      }
      if (Serializer.forSubprotocol(subprotocol).isPresent()) {
        return null;
      }
    }
    boolean noneIsV1 = Boolean.parseBoolean(config.get("v1.allow-no-subprotocol"));
    return offered.isEmpty() && noneIsV1 ? "" : null;
  }

  /** Accepts an upgrade that carries a refusal as a {@link RefusedConnection}; hands any other to the WAMP negotiator. */
  public static final class Negotiator implements WebSocketNegotiator {
    private final Scheduler scheduler;
    private final WebSocketNegotiator wamp;

    public Negotiator(Scheduler scheduler, WebSocketNegotiator wamp) {
      this.scheduler = scheduler;
      this.wamp = wamp;
    }

    @Override
    public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
      if (!(request.getAttribute(ATTRIBUTE) instanceof Refused refused)) {
        return wamp.negotiate(request, response, callback);
      }
      if (refused.subprotocol() != null) {
        response.setAcceptedSubProtocol(refused.subprotocol());
      }
      response.setExtensions(List.of());
      return new RefusedConnection(scheduler, refused);
    }

    @Override
    public void customize(Configuration configuration) {
      wamp.customize(configuration);
    }
  }
}
