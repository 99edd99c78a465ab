package dev.tollgate.client;

/**
 * No session, or not any more: the router could not be reached, the transport was lost while a request was in flight
 * (which may or may not have taken effect), or the client is not connected.
 */
public class ConnectionLostException extends RuntimeException {
  public ConnectionLostException(String message) {
    super(message);
  }

  public ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
