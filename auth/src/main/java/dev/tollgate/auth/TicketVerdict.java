package dev.tollgate.auth;

/** What a ticket check decided. A refusal says exactly why, without quoting the ticket or its digest. */
public sealed interface TicketVerdict {

  /** The ticket is good: for {@code user}, or anonymous (a backend) when {@code user} is null. */
  record Accepted(OroTicket ticket, User user) implements TicketVerdict {
    public boolean isAnonymous() {
      return user == null;
    }
  }

  /** The ticket is refused. */
  record Refused(Reason reason, String detail) implements TicketVerdict {}

  /** Why a ticket was refused; Oro's own verdict differs only in its wording, and not at all for REPLAYED. */
  enum Reason {
    /** Not Base64 of four {@code ;}-separated fields (Oro: "Authentication ticket has invalid format"). */
    INVALID_FORMAT,
    /** Older than the lifetime, or its date does not parse (Oro: "is expired"). */
    EXPIRED,
    /** Created further in the future than tolerated (Oro: "is in future"). */
    FROM_THE_FUTURE,
    /** No user with that username or e-mail (Oro: "user was not found"). */
    UNKNOWN_USER,
    /** The digest does not match (Oro: "invalid digest"). */
    INVALID_DIGEST,
    /** The user exists but is disabled. */
    USER_DISABLED,
    /** This ticket was accepted before: tickets are one-time in Tollgate (Oro does not check this). */
    REPLAYED
  }
}
