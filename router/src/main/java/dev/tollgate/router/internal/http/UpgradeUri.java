package dev.tollgate.router.internal.http;

import java.net.URI;
import java.util.Collection;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Request;

/**
 * An accepted upgrade's URI as the WebSocket layer is to keep it: {@code ws://host:port/path} ({@code wss} over TLS),
 * without the query, and one object for every connection to the same URL.
 *
 * <p>Why: Jetty's websocket-core keeps a {@link URI} of the upgrade request for the connection's life
 * ({@code Negotiated}), parsed afresh from the request for each connection: about 300 bytes with its strings, per
 * idle session. And with the query in it, which held the ticket (a used ticket kept in memory for no purpose) and
 * nothing else the router reads. Jetty keeps a {@code ws}/{@code wss} URI as it is given, so handing it the same one
 * makes all connections to one URL share it. Nearly all connections to a router come to one URL, so the last one made
 * is kept and reused while requests match it: one object, never a map that odd Host headers could grow.
 */
final class UpgradeUri implements HttpURI {
  private final HttpURI.Immutable uri;
  private final URI javaUri;

  private UpgradeUri(HttpURI.Immutable uri) {
    this.uri = uri;
    this.javaUri = URI.create(uri.asString());
  }

  /** The URI for {@code request}: {@code last} when it is to the same URL, else a new one. */
  static UpgradeUri of(Request request, UpgradeUri last) {
    HttpURI.Immutable bare = HttpURI.build(request.getHttpURI()).scheme(request.isSecure() ? "wss" : "ws").query(null)
        .asImmutable();
    return last != null && last.uri.asString().equals(bare.asString()) ? last : new UpgradeUri(bare);
  }

  /** {@code request} as the WebSocket layer is to see it: with this URI. */
  Request on(Request request) {
    return new Request.Wrapper(request) {
      @Override
      public HttpURI getHttpURI() {
        return UpgradeUri.this;
      }
    };
  }

  @Override
  public URI toURI() {
    return javaUri;
  }

  @Override
  public HttpURI.Immutable asImmutable() {
    return uri;
  }

  @Override
  public String asString() {
    return uri.asString();
  }

  @Override
  public String getAuthority() {
    return uri.getAuthority();
  }

  @Override
  public String getDecodedPath() {
    return uri.getDecodedPath();
  }

  @Override
  public String getCanonicalPath() {
    return uri.getCanonicalPath();
  }

  @Override
  public String getFragment() {
    return uri.getFragment();
  }

  @Override
  public String getHost() {
    return uri.getHost();
  }

  @Override
  public String getParam() {
    return uri.getParam();
  }

  @Override
  public String getPath() {
    return uri.getPath();
  }

  @Override
  public String getPathQuery() {
    return uri.getPathQuery();
  }

  @Override
  public int getPort() {
    return uri.getPort();
  }

  @Override
  public String getQuery() {
    return uri.getQuery();
  }

  @Override
  public String getScheme() {
    return uri.getScheme();
  }

  @Override
  public String getUser() {
    return uri.getUser();
  }

  @Override
  public boolean hasAuthority() {
    return uri.hasAuthority();
  }

  @Override
  public boolean isAbsolute() {
    return uri.isAbsolute();
  }

  @Override
  public boolean isAmbiguous() {
    return uri.isAmbiguous();
  }

  @Override
  public boolean hasViolations() {
    return uri.hasViolations();
  }

  @Override
  public boolean hasViolation(UriCompliance.Violation violation) {
    return uri.hasViolation(violation);
  }

  @Override
  public Collection<UriCompliance.Violation> getViolations() {
    return uri.getViolations();
  }

  @Override
  public String toString() {
    return uri.toString();
  }
}
