package dev.tollgate.router.internal.core;

import dev.tollgate.auth.TicketVerdict;

/**
 * What a ticket check came to: an identity, or a refusal of one {@link Refusal} kind with what the client is told.
 * The kind, not the wording, decides the HTTP status of a refused upgrade.
 *
 * @param refused the verifier's verdict for an invalid ticket (for logs), else null
 */
public record TicketOutcome(Identity identity, Refusal refusal, TicketVerdict.Refused refused, String publicMessage) {

  /** Why a ticket was not accepted. */
  public enum Refusal {
    /** The ticket is invalid, expired, replayed or for an unknown user: HTTP 401. */
    INVALID,
    /** Its address failed too often and too many checks already wait: HTTP 429. */
    THROTTLED,
    /** The router is too busy to check it now, or its store failed: HTTP 503. */
    UNAVAILABLE
  }

  public static TicketOutcome accepted(Identity identity) {
    return new TicketOutcome(identity, null, null, null);
  }

  public static TicketOutcome refused(Refusal refusal, TicketVerdict.Refused verdict, String publicMessage) {
    return new TicketOutcome(null, refusal, verdict, publicMessage);
  }

  public boolean isAccepted() {
    return identity != null;
  }
}
