package dev.tollgate.protocol;

/**
 * A peer broke the WAMP protocol: a malformed message, a message of the wrong shape or in the wrong state. Its
 * consequence on the wire is ABORT {@code wamp.error.protocol_violation} with this message, then the transport
 * closes. The message names what was wrong in the form "expected X but was Y" and never contains secrets.
 */
public class ProtocolViolationException extends RuntimeException {
  public ProtocolViolationException(String message) {
    super(message);
  }

  public ProtocolViolationException(String message, Throwable cause) {
    super(message, cause);
  }
}
