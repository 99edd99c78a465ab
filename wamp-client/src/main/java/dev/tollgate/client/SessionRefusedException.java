package dev.tollgate.client;

/**
 * The router refused the session: an HTTP answer other than the WebSocket upgrade (a refused URL ticket is a 401, a
 * throttled address a 429), or ABORT instead of WELCOME (an unknown realm, a refused {@code ticket} authentication).
 * Carries the router's own words, so that a log line says why.
 */
public class SessionRefusedException extends RuntimeException {
  private final String reason;
  private final String routerMessage;
  private final int httpStatus;

  SessionRefusedException(String reason, String routerMessage, int httpStatus) {
    super((httpStatus > 0 ? "HTTP " + httpStatus + ": " : "") + (reason == null ? "refused" : reason)
        + (routerMessage == null ? "" : ": " + routerMessage));
    this.reason = reason;
    this.routerMessage = routerMessage;
    this.httpStatus = httpStatus;
  }

  /** The error URI: ABORT's reason, or the {@code error} of an HTTP refusal's JSON body (null if it had none). */
  public String reason() {
    return reason;
  }

  /** The router's explanation: ABORT's {@code details.message}, or the HTTP refusal's {@code message}; may be null. */
  public String routerMessage() {
    return routerMessage;
  }

  /** The HTTP status of a refused upgrade; 0 for an ABORT. */
  public int httpStatus() {
    return httpStatus;
  }
}
