package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.WampErrors;

/**
 * A REGISTER that the registration already there refuses. The message says why, naming the procedure and the
 * policies, and is fit for the ERROR's payload; {@link #kind()} says which WAMP error to answer with.
 */
public final class RegistrationConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the registration was refused. */
  public enum Kind {
    /** A single registration holds the procedure, or a single one was asked where a shared one is. */
    ALREADY_REGISTERED(WampErrors.PROCEDURE_ALREADY_EXISTS),
    /** A shared registration holds the procedure with another invocation policy. */
    DIFFERENT_INVOCATION_POLICY(WampErrors.PROCEDURE_EXISTS_WITH_DIFFERENT_INVOCATION_POLICY),
    /** The callee is already one of the registration's callees. */
    SAME_CALLEE_TWICE(WampErrors.PROCEDURE_ALREADY_EXISTS);

    private final String wampError;

    Kind(String wampError) {
      this.wampError = wampError;
    }

    /** The error URI to answer the REGISTER with. */
    public String wampError() {
      return wampError;
    }
  }

  private final Kind kind;

  RegistrationConflictException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
