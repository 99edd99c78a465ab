package dev.tollgate.router.internal.http;

import dev.tollgate.router.RouterConfig;
import dev.tollgate.router.internal.security.Security;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The operator's endpoints on the WebSocket port, for load balancers, systemd and Prometheus:
 * <ul>
 *   <li>{@code GET /health}: 200 while the process serves HTTP (liveness); nothing else is checked.
 *   <li>{@code GET /ready}: 200 when the listener is up and the databases answer (Tollgate's own, and an external
 *       user database), else 503; the reasons are shown to clients that {@code metrics.access} lets in, the status to
 *       everyone.
 *   <li>{@code GET /metrics}: {@link Metrics}, to clients that {@code metrics.access} lets in: {@code local} (the
 *       client's address, read through trusted proxies, is a loopback one), {@code admin} (HTTP Basic of an enabled
 *       user with role admin), {@code open}, or {@code off} (404).
 * </ul>
 */
public final class OperationsEndpoint extends Handler.Wrapper {
  /**
   * How long /ready waits for the databases before it answers 503: longer than the user database's pool waits for a
   * connection (2 s), so that the answer says what failed rather than that it took too long.
   */
  static final Duration READY_WITHIN = Duration.ofSeconds(4);

  private final String access;
  private final Security security;
  private final ClientAddress clientAddress;
  private final Metrics metrics;
  private final BooleanSupplier listening;

  public OperationsEndpoint(RouterConfig config, Security security, ClientAddress clientAddress, Metrics metrics,
      BooleanSupplier listening, Handler next) {
    super(next);
    this.access = config.get("metrics.access");
    this.security = security;
    this.clientAddress = clientAddress;
    this.metrics = metrics;
    this.listening = listening;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.equals("/health") && !path.equals("/ready") && !path.equals("/metrics")) {
      return super.handle(request, response, callback);
    }
    if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      HttpReplies.json(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
          Map.of("error", "method_not_allowed", "message", "GET " + path));
      return true;
    }
    switch (path) {
      case "/health" -> HttpReplies.json(response, callback, HttpStatus.OK_200, Map.of("status", "up"));
      case "/ready" -> allowed(request).whenComplete((seesReasons, e) -> ready(response, callback,
          e == null && seesReasons));
      default -> {
        if (access.equals("off")) {
          HttpReplies.text(response, callback, HttpStatus.NOT_FOUND_404, "Not found.\n");
          return true;
        }
        allowed(request).whenComplete((ok, e) -> {
          if (e != null || !ok) {
            if (access.equals("admin")) {
              response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"tollgate\", charset=\"UTF-8\"");
              HttpReplies.json(response, callback, HttpStatus.UNAUTHORIZED_401,
                  Map.of("error", "unauthorized", "message", "metrics.access is admin: an admin's HTTP Basic credentials"));
            } else {
              HttpReplies.json(response, callback, HttpStatus.FORBIDDEN_403,
                  Map.of("error", "forbidden", "message", "metrics.access is " + access));
            }
            return;
          }
          HttpReplies.write(response, callback, HttpStatus.OK_200, Metrics.contentType(), metrics.scrape());
        });
      }
    }
    return true;
  }

  private void ready(Response response, Callback callback, boolean seesReasons) {
    CompletableFuture<List<String>> problems = listening.getAsBoolean()
        ? security.notReady(READY_WITHIN) : CompletableFuture.completedFuture(List.of("the listener is not up"));
    problems.whenComplete((reasons, e) -> {
      List<String> why = e != null ? List.of("the readiness check failed: " + e.getMessage()) : reasons;
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", why.isEmpty() ? "ready" : "not ready");
      if (seesReasons && !why.isEmpty()) {
        body.put("reasons", why);
      }
      HttpReplies.json(response, callback, why.isEmpty() ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503,
          body);
    });
  }

  /** Whether {@code metrics.access} lets this request's client in. */
  private CompletableFuture<Boolean> allowed(Request request) {
    String client = clientAddress.of(request);
    return switch (access) {
      case "open" -> CompletableFuture.completedFuture(true);
      case "local" -> CompletableFuture.completedFuture(ClientAddress.isLoopback(client));
      case "admin" -> {
        String[] credentials = TicketEndpoint.basicCredentials(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        yield credentials == null ? CompletableFuture.completedFuture(false)
            : security.isAdmin(credentials[0], credentials[1], client);
      }
      default -> CompletableFuture.completedFuture(false);
    };
  }
}
