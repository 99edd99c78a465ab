package dev.tollgate.compat.ratchet;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * A Tollgate someone else started ({@code -Dtollgate.ratchet.url=ws://host:port/ws}). It must serve v1 in realm1
 * with {@code v1.server-ident=Ratchet/0.4.4} and let this run's callee register the sample procedures (the
 * {@code open} rules preset); recordings that need more ({@link Setup#beyondDefaults()}) are reported as not run.
 */
final class RunningTollgate implements ReplayTarget, AutoCloseable {
  static final String URL_PROPERTY = "tollgate.ratchet.url";

  private final URI endpoint;
  private final SampleCallee callee;

  private RunningTollgate(URI endpoint, SampleCallee callee) {
    this.endpoint = endpoint;
    this.callee = callee;
  }

  /** The running Tollgate named by {@link #URL_PROPERTY}, or null when none is. */
  static RunningTollgate fromSystemProperty() throws IOException {
    String url = System.getProperty(URL_PROPERTY);
    if (url == null || url.isBlank()) {
      return null;
    }
    URI endpoint = URI.create(url.strip());
    if (!"ws".equals(endpoint.getScheme()) || endpoint.getPort() < 0) {
      throw new IllegalArgumentException("-D" + URL_PROPERTY + " must look like ws://host:port/ws, not " + url);
    }
    return new RunningTollgate(endpoint, SampleCallee.start(endpoint, RecordedServerTollgate.REALM));
  }

  /** Why a recording cannot be replayed here, or null when it can. */
  String cannotReplay(Setup setup) {
    List<String> needs = setup.beyondDefaults();
    return needs.isEmpty() ? null : "needs " + String.join(", ", needs);
  }

  @Override
  public URI endpoint(Setup.Strictness strictness) {
    return endpoint;
  }

  @Override
  public List<String> problems() {
    return callee.problems();
  }

  @Override
  public void close() {
    callee.close();
  }

  @Override
  public String toString() {
    return endpoint.toString();
  }
}
