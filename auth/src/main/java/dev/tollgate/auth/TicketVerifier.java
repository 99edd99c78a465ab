package dev.tollgate.auth;

import dev.tollgate.auth.TicketVerdict.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Judges tickets as OroPlatform's WebsocketAuthenticationByTicketProvider does (format, date, user, digest), and then
 * refuses a ticket seen before. Times are whole seconds, as PHP's are; both limits are inclusive: a ticket exactly
 * {@code ttl} old, or exactly {@code futureTolerance} ahead, is still good.
 *
 * <p>Unlike Oro's, a ticket for a user that does not exist costs the same digest as one for a user that does (made
 * with a stand-in password, and refused after it), so that the time a refusal takes does not tell an outsider which
 * user names exist; a disabled user too is refused after the digest. The verdict's reason still says which it was,
 * for the log.
 *
 * <p>Thread-safe. Each check costs about 5000 SHA-512 rounds: run it off the I/O threads.
 */
public final class TicketVerifier {
  /**
   * What the digest of a ticket for an unknown user is made with: as long as a bcrypt hash, so that the digest's work
   * is the same (it hashes the password with the rest), and matching no real hash.
   */
  private static final String STAND_IN_PASSWORD = "$2y$12$" + "0".repeat(53);

  private final TicketSecret secret;
  private final UserStore users;
  private final Duration ttl;
  private final Duration futureTolerance;
  private final NonceStore nonces;

  /** @param nonces where accepted tickets are remembered; null checks like Oro, without replay protection */
  public TicketVerifier(TicketSecret secret, UserStore users, Duration ttl, Duration futureTolerance, NonceStore nonces) {
    this.secret = secret;
    this.users = users;
    this.ttl = ttl;
    this.futureTolerance = futureTolerance;
    this.nonces = nonces;
  }

  /** Judges {@code ticket} (the query parameter's value, already URL-decoded) at {@code now}. */
  public TicketVerdict verify(String ticket, Instant now) {
    Prepared prepared = prepare(ticket, now);
    return prepared.refused() != null ? prepared.refused() : finish(prepared, now);
  }

  /**
   * The cheap part of a check (format, date, user, and whether the ticket was used already): a refusal, or what
   * {@link #finish} needs. Never computes the digest, so a caller can refuse stale tickets for free and pace only
   * the costly rest.
   */
  public Prepared prepare(String ticket, Instant now) {
    Optional<OroTicket> decoded = OroTicket.decode(ticket == null ? "" : ticket);
    if (decoded.isEmpty()) {
      return Prepared.refused(Reason.INVALID_FORMAT,
          "not Base64 of four ';'-separated fields (digest;username;nonce;created)");
    }
    OroTicket t = decoded.get();
    Long created = parseCreated(t.created());
    long nowSecond = now.getEpochSecond();
    if (created == null) {
      return Prepared.refused(Reason.EXPIRED, "created '" + t.created() + "' is not a date; counted as expired");
    }
    if (created - nowSecond > futureTolerance.toSeconds()) {
      return Prepared.refused(Reason.FROM_THE_FUTURE, "created " + (created - nowSecond)
          + " s in the future (tolerated: " + futureTolerance.toSeconds() + " s; check the clocks)");
    }
    String key = nonceKey(t);
    if (nowSecond - created > ttl.toSeconds()) {
      // Oro's backend publisher keeps its ticket for the life of its process and reconnects with it after a failed
      // write; an anonymous ticket whose session ended within the grace may come back (see NonceStore.release).
      if (!(t.isAnonymous() && nonces != null && nonces.isReleased(key, now))) {
        return Prepared.refused(Reason.EXPIRED, "expired by " + (nowSecond - created - ttl.toSeconds())
            + " s (lifetime " + ttl.toSeconds() + " s)");
      }
    }
    if (nonces != null && nonces.isSpent(key, now)) {
      return Prepared.refused(Reason.REPLAYED, "this ticket was already used; tickets are one-time");
    }
    if (t.isAnonymous()) {
      return new Prepared(null, t, null, secret.anonymousPassword(), created, null);
    }
    Optional<User> found = users.find(t.username());
    if (found.isEmpty()) {
      // refused by finish(), after the same digest a known user's ticket costs
      return new Prepared(null, t, null, STAND_IN_PASSWORD, created,
          new TicketVerdict.Refused(Reason.UNKNOWN_USER, "no user '" + t.username() + "' in " + users.providerName()));
    }
    return new Prepared(null, t, found.get(), found.get().passwordHash(), created, null);
  }

  /**
   * The costly part of a check prepared by {@link #prepare}: the digest (5,000 rounds), then the one-time claim. A
   * ticket for an unknown user is refused here, after the digest, like one with a wrong digest.
   */
  public TicketVerdict finish(Prepared prepared, Instant now) {
    if (prepared.refused() != null) {
      return prepared.refused();
    }
    OroTicket t = prepared.ticket();
    User user = prepared.user();
    String expected = OroTicket.digest(secret, t.nonce(), t.created(), prepared.password());
    boolean digestMatches =
        MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), t.digest().getBytes(StandardCharsets.UTF_8));
    if (prepared.refusedAfterDigest() != null) {
      return prepared.refusedAfterDigest();
    }
    if (!digestMatches) {
      return new TicketVerdict.Refused(Reason.INVALID_DIGEST, t.isAnonymous()
          ? "digest mismatch: the anonymous ticket was not made with this secret"
          : "digest mismatch: made with another secret or another password hash of '" + t.username() + "'");
    }
    if (user != null && !user.enabled()) {
      return new TicketVerdict.Refused(Reason.USER_DISABLED, "user '" + t.username() + "' is disabled");
    }
    if (nonces != null) {
      Instant expires = Instant.ofEpochSecond(prepared.created() + ttl.toSeconds() + 1);
      if (!nonces.claim(nonceKey(t), expires, now, t.isAnonymous())) {
        return new TicketVerdict.Refused(Reason.REPLAYED, "this ticket was already used; tickets are one-time");
      }
    }
    return new TicketVerdict.Accepted(t, user);
  }

  /** The key under which a ticket is remembered as used. */
  public static String nonceKey(OroTicket t) {
    return t.username() + ";" + t.nonce() + ";" + t.created();
  }

  /**
   * A check half done by {@link #prepare}: either {@code refused}, or the ticket with the password its digest is
   * made with (the user's stored hash, the secret's for an anonymous ticket, a stand-in for an unknown user, whose
   * refusal waits in {@code refusedAfterDigest}).
   */
  public record Prepared(TicketVerdict.Refused refused, OroTicket ticket, User user, String password, long created,
      TicketVerdict.Refused refusedAfterDigest) {
    static Prepared refused(Reason reason, String detail) {
      return new Prepared(new TicketVerdict.Refused(reason, detail), null, null, null, 0, null);
    }

    @Override
    public String toString() {
      return refused != null ? "Prepared[" + refused + "]" : "Prepared[ticket for '" + ticket.username() + "']";
    }
  }

  /**
   * Seconds since the epoch of a ticket's date: ISO-8601 with an offset, as PHP's {@code date('c')} writes it; one
   * without an offset is read as UTC, like Oro's verifier in UTC. Null when it does not parse.
   */
  static Long parseCreated(String created) {
    try {
      return OffsetDateTime.parse(created, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toEpochSecond();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(created, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toEpochSecond(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
