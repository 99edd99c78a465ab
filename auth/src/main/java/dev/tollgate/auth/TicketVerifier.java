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
 * Judges tickets exactly as OroPlatform's WebsocketAuthenticationByTicketProvider does, in the same order (format,
 * date, user, digest), and then refuses a ticket seen before. Times are whole seconds, as PHP's are; both limits
 * are inclusive: a ticket exactly {@code ttl} old, or exactly {@code futureTolerance} ahead, is still good.
 *
 * <p>Thread-safe. Each check costs about 5000 SHA-512 rounds: run it off the I/O threads.
 */
public final class TicketVerifier {
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
    Optional<OroTicket> decoded = OroTicket.decode(ticket == null ? "" : ticket);
    if (decoded.isEmpty()) {
      return new TicketVerdict.Refused(Reason.INVALID_FORMAT,
          "not Base64 of four ';'-separated fields (digest;username;nonce;created)");
    }
    OroTicket t = decoded.get();
    Long created = parseCreated(t.created());
    long nowSecond = now.getEpochSecond();
    if (created == null) {
      return new TicketVerdict.Refused(Reason.EXPIRED, "created '" + t.created() + "' is not a date; counted as expired");
    }
    if (created - nowSecond > futureTolerance.toSeconds()) {
      return new TicketVerdict.Refused(Reason.FROM_THE_FUTURE, "created " + (created - nowSecond)
          + " s in the future (tolerated: " + futureTolerance.toSeconds() + " s; check the clocks)");
    }
    if (nowSecond - created > ttl.toSeconds()) {
      return new TicketVerdict.Refused(Reason.EXPIRED, "expired by " + (nowSecond - created - ttl.toSeconds())
          + " s (lifetime " + ttl.toSeconds() + " s)");
    }
    User user = null;
    String password;
    if (t.isAnonymous()) {
      password = secret.anonymousPassword();
    } else {
      Optional<User> found = users.find(t.username());
      if (found.isEmpty()) {
        return new TicketVerdict.Refused(Reason.UNKNOWN_USER, "no user '" + t.username() + "' in " + users.providerName());
      }
      user = found.get();
      password = user.passwordHash();
    }
    String expected = OroTicket.digest(secret, t.nonce(), t.created(), password);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), t.digest().getBytes(StandardCharsets.UTF_8))) {
      return new TicketVerdict.Refused(Reason.INVALID_DIGEST, t.isAnonymous()
          ? "digest mismatch: the anonymous ticket was not made with this secret"
          : "digest mismatch: made with another secret or another password hash of '" + t.username() + "'");
    }
    if (user != null && !user.enabled()) {
      return new TicketVerdict.Refused(Reason.USER_DISABLED, "user '" + t.username() + "' is disabled");
    }
    if (nonces != null) {
      Instant expires = Instant.ofEpochSecond(created + ttl.toSeconds() + 1);
      if (!nonces.claim(t.username() + ";" + t.nonce() + ";" + t.created(), expires, now)) {
        return new TicketVerdict.Refused(Reason.REPLAYED, "this ticket was already used; tickets are one-time");
      }
    }
    return new TicketVerdict.Accepted(t, user);
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
