package dev.tollgate.router.internal.http;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.OroTicket;
import dev.tollgate.auth.Rule;
import dev.tollgate.auth.TicketInspection;
import dev.tollgate.auth.TicketVerdict;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.ProtocolViolationException;
import dev.tollgate.protocol.internal.JsonValues;
import dev.tollgate.router.RouterConfig;
import dev.tollgate.router.internal.core.AdminView;
import dev.tollgate.router.internal.security.Security;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin page under {@code admin.path}: three static files from the jar (the page, its script, its style) and a
 * small JSON API the script calls. Only users with role {@code admin} get past the login, with their password (the
 * same bcrypt check as the ticket endpoint's, throttled alike) or a ticket (used up like a WAMP login's).
 *
 * <p>The API, under {@code admin.path + "/api/"}; every request carries {@code X-Tollgate-Admin: 1}, a header a
 * page of another origin cannot add without a CORS preflight, which is never granted, so a logged-in browser cannot
 * be made to act by another site; the login cookie is also {@code SameSite=Strict}:
 * <ul>
 *   <li>{@code POST login} {@code {"username", "password"}} or {@code {"ticket"}}; {@code POST logout};
 *       {@code GET whoami}.
 *   <li>{@code GET sessions}, {@code POST sessions/kill} {@code {"realm", "session", "message"}}.
 *   <li>{@code GET subscriptions}, {@code GET registrations}.
 *   <li>{@code GET rules}, {@code POST rules} {@code {"realm", "role", "pattern", "match", "actions", "note"}},
 *       {@code POST rules/remove} {@code {"id"}}: in force for every session's next action at once, as the CLI's
 *       changes are within a second.
 *   <li>{@code POST ticket} {@code {"ticket"}}: the ticket's fields and verdict now, as {@code tollgate ticket verify}
 *       gives them, and whether it was used; the ticket is not used up.
 *   <li>{@code GET metrics}: the figures the page charts.
 * </ul>
 * Scripts may send HTTP Basic on each API request instead of logging in. Every change is logged with the admin's name.
 */
public final class AdminPage extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(AdminPage.class);
  private static final String COOKIE = "tollgate_admin";
  private static final String GUARD = "X-Tollgate-Admin";
  private static final int MAX_BODY = 64 * 1024;
  /** What the page may load and where it may send: only its own origin; no frames around it. */
  private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private record Asset(String type, byte[] bytes) {}

  private final String base;
  private final String access;
  private final Security security;
  private final ClientAddress clientAddress;
  private final AdminView view;
  private final Metrics metrics;
  private final AdminLogins logins = new AdminLogins();
  private final Map<String, Asset> assets = new LinkedHashMap<>();

  public AdminPage(RouterConfig config, Security security, ClientAddress clientAddress, AdminView view,
      Metrics metrics, Handler next) {
    super(next);
    this.base = config.get("admin.path");
    this.access = config.get("admin.access");
    this.security = security;
    this.clientAddress = clientAddress;
    this.view = view;
    this.metrics = metrics;
    assets.put("/", new Asset("text/html;charset=utf-8", resource("index.html")));
    assets.put("/admin.js", new Asset("text/javascript;charset=utf-8", resource("admin.js")));
    assets.put("/admin.css", new Asset("text/css;charset=utf-8", resource("admin.css")));
  }

  private static byte[] resource(String name) {
    try (InputStream in = AdminPage.class.getResourceAsStream("/dev/tollgate/router/admin/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the admin page's " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (access.equals("off") || !(path.equals(base) || path.startsWith(base + "/"))) {
      return super.handle(request, response, callback);
    }
    String address = clientAddress.of(request);
    if (access.equals("local") && !ClientAddress.isLoopback(address)) {
      HttpReplies.json(response, callback, HttpStatus.FORBIDDEN_403,
          Map.of("error", "forbidden", "message", "admin.access is local: the admin page answers loopback clients only"));
      return true;
    }
    String rest = path.substring(base.length());
    if (rest.isEmpty()) {
      response.setStatus(HttpStatus.FOUND_302);
      response.getHeaders().put(HttpHeader.LOCATION, base + "/");
      callback.succeeded();
      return true;
    }
    if (rest.startsWith("/api/")) {
      api(rest.substring("/api/".length()), request, response, callback, address);
      return true;
    }
    Asset asset = assets.get(rest);
    if (asset == null || !(HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod()))) {
      HttpReplies.text(response, callback, HttpStatus.NOT_FOUND_404, "Not found.\n");
      return true;
    }
    response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    HttpReplies.write(response, callback, HttpStatus.OK_200, asset.type(), asset.bytes());
    return true;
  }

  private void api(String call, Request request, Response response, Callback callback, String address) {
    if (!"1".equals(request.getHeaders().get(GUARD))) {
      HttpReplies.json(response, callback, HttpStatus.FORBIDDEN_403, Map.of("error", "forbidden",
          "message", "the admin API takes requests with the header " + GUARD + ": 1 only (what the admin page sends)"));
      return;
    }
    boolean post = HttpMethod.POST.is(request.getMethod());
    if (!post && !HttpMethod.GET.is(request.getMethod())) {
      HttpReplies.json(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, error("method_not_allowed", "GET or POST"));
      return;
    }
    CompletableFuture<Map<String, Object>> body = post ? body(request) : CompletableFuture.completedFuture(Map.of());
    if (call.equals("login") && post) {
      body.thenCompose(b -> login(b, request, response, address))
          .whenComplete((answer, e) -> finish(response, callback, answer, e));
      return;
    }
    authenticated(request, address).thenCompose(admin -> {
      if (admin == null) {
        return CompletableFuture.completedFuture(new Answer(HttpStatus.UNAUTHORIZED_401,
            error("unauthorized", "log in as a user with role admin")));
      }
      return body.thenCompose(b -> route(call, post, b, admin, request, response, address));
    }).whenComplete((answer, e) -> finish(response, callback, answer, e));
  }

  /** An API answer: a status and a JSON object. */
  private record Answer(int status, Map<String, Object> body) {
    static Answer ok(Map<String, Object> body) {
      return new Answer(HttpStatus.OK_200, body);
    }
  }

  private CompletableFuture<Answer> route(String call, boolean post, Map<String, Object> body, String admin,
      Request request, Response response, String address) {
    String verb = (post ? "POST " : "GET ") + call;
    switch (verb) {
      case "GET whoami" -> {
        return done(Answer.ok(Map.of("admin", admin)));
      }
      case "POST logout" -> {
        logins.end(cookie(request));
        response.getHeaders().add(HttpHeader.SET_COOKIE, cookieHeader("", request, 0));
        return done(Answer.ok(Map.of("admin", admin)));
      }
      case "GET sessions" -> {
        List<Object> rows = new ArrayList<>();
        for (AdminView.SessionRow s : view.sessions()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("realm", s.realm());
          row.put("session", s.id());
          row.put("authid", s.authid());
          row.put("authrole", s.authrole());
          row.put("authmethod", s.authmethod());
          row.put("authprovider", s.authprovider());
          row.put("dialect", s.dialect());
          row.put("address", s.address());
          row.put("joined", s.joinedAt().toString());
          row.put("subscriptions", s.subscriptions());
          row.put("registrations", s.registrations());
          rows.add(row);
        }
        return done(Answer.ok(Map.of("sessions", rows)));
      }
      case "POST sessions/kill" -> {
        String realm = string(body, "realm", null);
        long session = number(body, "session");
        String message = string(body, "message", "ended by an administrator");
        if (!view.kill(realm, session, message)) {
          return done(new Answer(HttpStatus.NOT_FOUND_404,
              error("no_such_session", "no session " + session + " in realm " + realm)));
        }
        LOG.info("admin {} from {} killed session {} in realm {}", admin, address, session, realm);
        return done(Answer.ok(Map.of("killed", session)));
      }
      case "GET subscriptions" -> {
        return done(Answer.ok(Map.of("subscriptions", entries(view.subscriptions()))));
      }
      case "GET registrations" -> {
        return done(Answer.ok(Map.of("registrations", entries(view.registrations()))));
      }
      case "GET rules" -> {
        return security.rules().thenApply(rules -> Answer.ok(Map.of("rules", rules.stream().map(AdminPage::rule).toList())));
      }
      case "POST rules" -> {
        Rule rule = Rule.of(string(body, "realm", "*"), string(body, "role", null), string(body, "pattern", null),
            MatchPolicy.parse(string(body, "match", "exact")), Action.parseList(string(body, "actions", "")),
            emptyToNull(string(body, "note", "")));
        return security.addRule(rule).thenApply(added -> {
          LOG.info("admin {} from {} added rule {}: {}", admin, address, added.id(), rule(added));
          return new Answer(HttpStatus.CREATED_201, rule(added));
        });
      }
      case "POST rules/remove" -> {
        long id = number(body, "id");
        return security.removeRule(id).thenApply(removed -> {
          if (!removed) {
            return new Answer(HttpStatus.NOT_FOUND_404, error("no_such_rule", "no rule " + id));
          }
          LOG.info("admin {} from {} removed rule {}", admin, address, id);
          return Answer.ok(Map.of("removed", id));
        });
      }
      case "POST ticket" -> {
        return security.inspectTicket(string(body, "ticket", null)).thenApply(i -> Answer.ok(inspection(i)));
      }
      case "GET metrics" -> {
        return done(Answer.ok(metrics.summary()));
      }
      default -> {
        return done(new Answer(HttpStatus.NOT_FOUND_404, error("not_found", "no " + verb + " in the admin API")));
      }
    }
  }

  /** Logs in with a password or a ticket: sets the login cookie, or answers 401 saying nothing of which part was wrong. */
  private CompletableFuture<Answer> login(Map<String, Object> body, Request request, Response response,
      String address) {
    CompletableFuture<String> admin;
    if (body.get("ticket") instanceof String ticket && !ticket.isEmpty()) {
      admin = security.ticketsEnabled() ? security.adminOfTicket(ticket, address)
          : CompletableFuture.completedFuture(null);
    } else {
      String username = string(body, "username", null);
      String password = string(body, "password", null);
      admin = security.isAdmin(username, password, address).thenApply(yes -> yes ? username : null);
    }
    return admin.thenApply(name -> {
      if (name == null) {
        return new Answer(HttpStatus.UNAUTHORIZED_401,
            error("unauthorized", "not the credentials of a user with role admin"));
      }
      response.getHeaders().add(HttpHeader.SET_COOKIE, cookieHeader(logins.start(name), request, -1));
      LOG.info("admin {} logged in to the admin page from {}", name, address);
      return Answer.ok(Map.of("admin", name));
    });
  }

  /** The admin this request is from: its login cookie, or HTTP Basic of an admin (for scripts); null if neither. */
  private CompletableFuture<String> authenticated(Request request, String address) {
    String admin = logins.adminOf(cookie(request));
    if (admin != null) {
      return CompletableFuture.completedFuture(admin);
    }
    String[] basic = TicketEndpoint.basicCredentials(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (basic == null) {
      return CompletableFuture.completedFuture(null);
    }
    return security.isAdmin(basic[0], basic[1], address).thenApply(yes -> yes ? basic[0] : null);
  }

  private static String cookie(Request request) {
    for (HttpCookie c : Request.getCookies(request)) {
      if (c.getName().equals(COOKIE)) {
        return c.getValue();
      }
    }
    return null;
  }

  /** The login cookie: HttpOnly (the script never sees it), SameSite=Strict, Secure over TLS, for the page's path. */
  private String cookieHeader(String token, Request request, int maxAge) {
    return COOKIE + "=" + token + "; Path=" + base + "; HttpOnly; SameSite=Strict"
        + (request.isSecure() ? "; Secure" : "") + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
  }

  private static CompletableFuture<Map<String, Object>> body(Request request) {
    return Content.Source.asByteArrayAsync(request, MAX_BODY).thenApply(bytes -> {
      Object value;
      try {
        value = JsonValues.read(ByteBuffer.wrap(bytes));
      } catch (ProtocolViolationException e) {
        throw new BadRequest("the body must be a JSON object: " + e.getMessage());
      }
      if (!(value instanceof Map<?, ?> map)) {
        throw new BadRequest("the body must be a JSON object");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    });
  }

  private static void finish(Response response, Callback callback, Answer answer, Throwable failure) {
    if (failure == null) {
      HttpReplies.json(response, callback, answer.status(), answer.body());
      return;
    }
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof BadRequest || cause instanceof IllegalArgumentException) {
      HttpReplies.json(response, callback, HttpStatus.BAD_REQUEST_400, error("bad_request", cause.getMessage()));
    } else if (cause instanceof IllegalStateException) {
      HttpReplies.json(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, error("unavailable", cause.getMessage()));
    } else {
      // a too-large body, a database that failed: said, and logged for the operator
      LOG.warn("admin API request failed: {}", cause.toString());
      HttpReplies.json(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, error("unavailable",
          cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }
  }

  private static CompletableFuture<Answer> done(Answer answer) {
    return CompletableFuture.completedFuture(answer);
  }

  private static Map<String, Object> error(String error, String message) {
    return Map.of("error", error, "message", message);
  }

  /** A request's mistake, answered 400 with its message. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private static String string(Map<String, Object> body, String key, String otherwise) {
    Object v = body.get(key);
    if (v == null && otherwise != null) {
      return otherwise;
    }
    if (!(v instanceof String s)) {
      throw new BadRequest(key + ": expected a string");
    }
    return s;
  }

  private static long number(Map<String, Object> body, String key) {
    if (!(body.get(key) instanceof Number n)) {
      throw new BadRequest(key + ": expected a number");
    }
    return n.longValue();
  }

  private static String emptyToNull(String s) {
    return s.isBlank() ? null : s;
  }

  private static List<Object> entries(List<AdminView.EntryRow> rows) {
    List<Object> out = new ArrayList<>();
    for (AdminView.EntryRow e : rows) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("realm", e.realm());
      row.put("id", e.id());
      row.put("uri", e.uri());
      row.put("match", e.match());
      if (e.invoke() != null) {
        row.put("invoke", e.invoke());
      }
      row.put("sessions", List.copyOf(e.members()));
      out.add(row);
    }
    return out;
  }

  private static Map<String, Object> rule(Rule r) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", r.id());
    row.put("realm", r.realm());
    row.put("role", r.role());
    row.put("pattern", r.pattern());
    row.put("match", r.match().wireName());
    row.put("actions", r.actions().stream().map(Action::wireName).toList());
    row.put("note", r.note());
    return row;
  }

  /** The ticket debugger's answer: the fields (the digest shortened), the notes, the verdict and one-time use. */
  private static Map<String, Object> inspection(TicketInspection i) {
    Map<String, Object> out = new LinkedHashMap<>();
    OroTicket t = i.decoded();
    if (t != null) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("username", t.username());
      fields.put("anonymous", t.isAnonymous());
      fields.put("nonce", t.nonce());
      fields.put("created", t.created());
      fields.put("digest", i.digestShown());
      out.put("fields", fields);
    } else {
      out.put("fields", null);
    }
    out.put("fieldCount", i.fieldCount());
    out.put("notes", i.notes());
    if (i.verdict() instanceof TicketVerdict.Refused r) {
      out.put("verdict", "REFUSED");
      out.put("reason", r.reason().name());
      out.put("detail", r.detail());
    } else {
      TicketVerdict.Accepted a = (TicketVerdict.Accepted) i.verdict();
      out.put("verdict", "ACCEPTED");
      out.put("detail", a.isAnonymous() ? "an anonymous (backend) ticket"
          : "a ticket of user " + a.user().username() + " (roles " + a.user().roles() + ")");
    }
    out.put("used", i.used());
    out.put("judgedAt", i.judgedAt().toString());
    return out;
  }
}
