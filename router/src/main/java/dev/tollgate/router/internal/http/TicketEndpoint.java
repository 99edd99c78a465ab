package dev.tollgate.router.internal.http;

import dev.tollgate.router.RouterConfig;
import dev.tollgate.router.internal.security.Security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /sync/ticket} (the path is {@code auth.ticket-path}): what Oro's {@code oro_sync_ticket} route does for
 * a browser. The caller proves who it is with HTTP Basic (password against the stored bcrypt hash) and gets
 * {@code {"ticket": "…"}}. Errors are JSON {@code {"error": …, "message": …}}: 401 for missing or wrong credentials,
 * 405 for another method, 429 when the address has too many checks waiting, 503 when tickets are off or the router
 * is busy.
 */
public final class TicketEndpoint extends Handler.Wrapper {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TicketEndpoint.class);
  private final RouterConfig config;
  private final Security security;
  private final ClientAddress clientAddress;

  public TicketEndpoint(RouterConfig config, Security security, ClientAddress clientAddress, Handler next) {
    super(next);
    this.config = config;
    this.security = security;
    this.clientAddress = clientAddress;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!Request.getPathInContext(request).equals(config.get("auth.ticket-path"))) {
      return super.handle(request, response, callback);
    }
    if (!HttpMethod.POST.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      HttpReplies.json(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
          Map.of("error", "method_not_allowed", "message", "POST with HTTP Basic credentials to get a ticket"));
      return true;
    }
    if (!security.ticketsEnabled()) {
      HttpReplies.json(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
          Map.of("error", "tickets_disabled", "message", "this router has no auth.secret, so it issues no tickets"));
      return true;
    }
    String remote = clientAddress.of(request);
    String[] credentials = basicCredentials(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (credentials == null) {
      unauthorized(response, callback, "HTTP Basic credentials are required");
      return true;
    }
    security.ticketForCredentials(credentials[0], credentials[1], remote).whenComplete((outcome, failure) -> {
      int status = failure != null ? HttpStatus.SERVICE_UNAVAILABLE_503 : outcome.status();
      switch (status) {
        case HttpStatus.OK_200 -> HttpReplies.json(response, callback, status, Map.of("ticket", outcome.ticket()));
        case HttpStatus.UNAUTHORIZED_401 -> unauthorized(response, callback, "wrong username or password");
        case HttpStatus.TOO_MANY_REQUESTS_429 -> {
          LOG.info("ticket request from {} refused with 429: too many checks waiting while the address is throttled",
              remote);
          HttpReplies.json(response, callback, status, Map.of("error", "too_many_failures", "message", Security.THROTTLED));
        }
        default -> HttpReplies.json(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
            Map.of("error", "busy", "message", Security.BUSY));
      }
    });
    return true;
  }

  private static void unauthorized(Response response, Callback callback, String message) {
    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"tollgate\", charset=\"UTF-8\"");
    HttpReplies.json(response, callback, HttpStatus.UNAUTHORIZED_401, Map.of("error", "unauthorized", "message", message));
  }

  /** {@code [username, password]} from an {@code Authorization: Basic …} header, or null. */
  static String[] basicCredentials(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }
}
