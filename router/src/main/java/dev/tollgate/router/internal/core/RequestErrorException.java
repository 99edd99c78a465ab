package dev.tollgate.router.internal.core;

import java.util.List;

/**
 * A request that cannot be served: its consequence on the wire is an ERROR reply to that request, with the error
 * URI and a human-readable message as the first argument. The session goes on.
 */
public final class RequestErrorException extends RuntimeException {
  private final String errorUri;

  public RequestErrorException(String errorUri, String message) {
    super(message, null, false, false);
    this.errorUri = errorUri;
  }

  public String errorUri() {
    return errorUri;
  }

  public List<Object> args() {
    return List.of(getMessage());
  }
}
