package dev.tollgate.router.internal.http;

import dev.tollgate.router.RouterConfig;
import dev.tollgate.router.internal.core.TicketOutcome;
import dev.tollgate.router.internal.security.Security;

import dev.tollgate.auth.OroTicket;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Oro-style authentication: a WebSocket upgrade carrying {@code ?ticket=…} is judged before it is accepted. A good
 * ticket lets the upgrade go on with the identity attached; a bad one is refused at the HTTP level with 401 and a
 * JSON body saying why (403 never: the client may retry with a fresh ticket), 429 when its throttled address has too
 * many checks waiting, 503 when the router is too busy to check; a browser's page, which cannot read that status,
 * gets the same answer inside an accepted WebSocket instead ({@link BrowserRefusal}). The query is read as PHP's
 * parse_str reads it, as Oro does.
 */
public final class UrlTicketHandler extends Handler.Wrapper {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UrlTicketHandler.class);
  public static final String IDENTITY_ATTRIBUTE = "dev.tollgate.identity";
  /** What a WAMP v1 client without a ticket is told where sessions without one may not join. */
  public static final String TICKET_REQUIRED = "a ticket is required: connect with ?ticket=…";

  private final RouterConfig config;
  private final Security security;
  private final ClientAddress clientAddress;
  private final BrowserRefusal browserRefusal;
  /** The URI handed to the WebSocket layer for the last upgrade, for the next to the same URL to share. */
  private volatile UpgradeUri lastUpgradeUri;

  public UrlTicketHandler(RouterConfig config, Security security, ClientAddress clientAddress, Handler next) {
    super(next);
    this.config = config;
    this.security = security;
    this.clientAddress = clientAddress;
    this.browserRefusal = new BrowserRefusal(config);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!isUpgrade(request) || !config.isWampPath(Request.getPathInContext(request))) {
      return super.handle(request, response, callback);
    }
    String ticket = OroTicket.queryParameter(request.getHttpURI().getQuery()).orElse(null);
    if (ticket == null) {
      // A v1 page without a ticket where none may join: WampNegotiator would answer 401, which the page's script
      // cannot tell from a router that is down; a browser gets the same answer inside the WebSocket.
      if (!config.allowAnonymous() && browserRefusal.answer(getHandler(), request, response, callback,
          HttpStatus.UNAUTHORIZED_401, TICKET_REQUIRED)) {
        LOG.info("refused the upgrade from {} with 401: {}", clientAddress.of(request),
            TICKET_REQUIRED);
        return true;
      }
      return super.handle(asAccepted(request), response, callback);
    }
    String remote = clientAddress.of(request);
    security.verifyTicket(ticket, remote).whenComplete((outcome, failure) -> {
      if (failure != null) {
        HttpReplies.json(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500,
            Map.of("error", "wamp.error.authentication_failed", "message", "the ticket could not be checked"));
        return;
      }
      if (!outcome.isAccepted()) {
        int status = switch (outcome.refusal()) {
          case INVALID -> HttpStatus.UNAUTHORIZED_401;
          case THROTTLED -> HttpStatus.TOO_MANY_REQUESTS_429;
          case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE_503;
        };
        if (outcome.refusal() != TicketOutcome.Refusal.INVALID) {
          // A 401 is logged with its exact reason where the ticket is judged; a 429 or 503 is logged here.
          LOG.info("refused the upgrade from {} with {}: {}", remote, status, outcome.publicMessage());
        }
        if (browserRefusal.answer(getHandler(), request, response, callback, status, outcome.publicMessage())) {
          return;
        }
        HttpReplies.json(response, callback, status,
            Map.of("error", "wamp.error.authentication_failed", "message", outcome.publicMessage()));
        return;
      }
      request.setAttribute(IDENTITY_ATTRIBUTE, outcome.identity());
      try {
        if (!super.handle(asAccepted(request), response, callback)) {
          HttpReplies.text(response, callback, HttpStatus.NOT_FOUND_404, "Not found.\n");
        }
      } catch (Throwable t) {
        callback.failed(t);
      }
    });
    return true;
  }

  /** The upgrade request as the WebSocket layer is to see it: see {@link UpgradeUri}. */
  private Request asAccepted(Request request) {
    UpgradeUri uri = UpgradeUri.of(request, lastUpgradeUri);
    lastUpgradeUri = uri;
    return uri.on(request);
  }

  private static boolean isUpgrade(Request request) {
    String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }
}
