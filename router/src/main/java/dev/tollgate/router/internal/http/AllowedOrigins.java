package dev.tollgate.router.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts {@code origins.allowed} admits, for the answers that depend on a browser's Origin: CORS on the ticket
 * path and the browser form of a ticket refusal. An Origin is admitted by its host alone, whatever its scheme and
 * port, as the WebSocket upgrade admits it. Immutable.
 */
public final class AllowedOrigins {
  private final List<String> hosts = new ArrayList<>();
  private final boolean any;

  public AllowedOrigins(String setting) {
    boolean star = false;
    for (String entry : setting.split(",")) {
      String host = entry.strip();
      if (host.equals("*")) {
        star = true;
      } else if (!host.isEmpty()) {
        hosts.add(host.toLowerCase(Locale.ROOT));
      }
    }
    this.any = star;
  }

  /** Whether {@code origin} (a URL's origin, or the bare host Oro's PHP client sends) names an admitted host. */
  public boolean allows(String origin) {
    return any || hosts.contains(host(origin).toLowerCase(Locale.ROOT));
  }

  /**
   * Whether a request comes from a page's script in a browser: its Origin is a URL (a scheme, unlike the bare host
   * of Oro's PHP client) and its User-Agent has the {@code Mozilla/} token every browser sends. A non-browser client
   * that copies a browser's Origin (Node's ws in the Ratchet recordings does) reads HTTP statuses, so it keeps them.
   */
  static boolean isBrowser(String origin, String userAgent) {
    return origin != null && origin.contains("://") && userAgent != null && userAgent.contains("Mozilla/");
  }

  private static String host(String origin) {
    String host = origin;
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end > 0 ? host.substring(1, end) : host;
    }
    int colon = host.indexOf(':');
    return colon >= 0 ? host.substring(0, colon) : host;
  }
}
