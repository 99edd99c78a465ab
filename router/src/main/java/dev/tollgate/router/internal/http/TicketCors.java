package dev.tollgate.router.internal.http;

import dev.tollgate.router.RouterConfig;

import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * CORS for the ticket path ({@code auth.ticket-path}), so that a page served from another admitted origin can fetch a
 * ticket with {@code fetch} or jQuery. A browser asks first (a preflight: OPTIONS with
 * {@code Access-Control-Request-Method}), since the POST carries {@code Authorization}: an Origin whose host is in
 * {@code origins.allowed} gets 204 with the CORS headers, any other 403 without them, so its page never sends the
 * POST. The ticket endpoint's answers (200, 401, 429, 503) then carry {@code Access-Control-Allow-Origin} for an
 * admitted Origin and nothing for another, which the browser keeps from the page. Other paths are untouched.
 */
public final class TicketCors extends Handler.Wrapper {
  /** How long a browser may reuse a preflight's answer; Chromium caps it at 7,200 s. */
  private static final String PREFLIGHT_MAX_AGE_SECONDS = "600";

  private final String ticketPath;
  private final AllowedOrigins origins;

  public TicketCors(RouterConfig config, Handler next) {
    super(next);
    this.ticketPath = config.get("auth.ticket-path");
    this.origins = new AllowedOrigins(config.get("origins.allowed"));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin == null || !Request.getPathInContext(request).equals(ticketPath)) {
      return super.handle(request, response, callback);
    }
    // The answer depends on the Origin, so no cache may hand it to a page of another origin.
    response.getHeaders().add(HttpHeader.VARY, "Origin");
    boolean allowed = origins.allows(origin);
    boolean preflight = HttpMethod.OPTIONS.is(request.getMethod())
        && request.getHeaders().contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
    if (preflight && !allowed) {
      HttpReplies.json(response, callback, HttpStatus.FORBIDDEN_403, Map.of("error", "origin_not_allowed",
          "message", "Origin '" + origin + "' is not allowed; add its host to origins.allowed"));
      return true;
    }
    if (allowed) {
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    if (preflight) {
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "POST");
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type");
      response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS);
      response.setStatus(HttpStatus.NO_CONTENT_204);
      callback.succeeded();
      return true;
    }
    return super.handle(request, response, callback);
  }
}
