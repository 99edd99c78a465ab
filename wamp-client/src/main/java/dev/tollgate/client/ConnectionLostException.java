package dev.tollgate.client;

/** The session ended while a request was in flight; the request may or may not have taken effect. */
public class ConnectionLostException extends RuntimeException {
  public ConnectionLostException(String message) {
    super(message);
  }
}
