package dev.tollgate.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * Makes tickets byte for byte as Oro's TicketProvider::generateTicket does, so that Oro and Tollgate can mint
 * tickets for each other: for a user (keyed by its stored password hash) or anonymous (keyed by the secret, for
 * backends that only publish). Thread-safe.
 */
public final class TicketGenerator {
  private static final DateTimeFormatter PHP_DATE_C = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TicketSecret secret;
  private final Clock clock;

  public TicketGenerator(TicketSecret secret, Clock clock) {
    this.secret = secret;
    this.clock = clock;
  }

  /** A ticket for {@code username}, whose stored password hash is {@code passwordHash}. */
  public String forUser(String username, String passwordHash) {
    if (username.isEmpty()) {
      throw new IllegalArgumentException("username is empty: that is an anonymous ticket");
    }
    return generate(username, passwordHash, newNonce(), now());
  }

  /** An anonymous ticket: empty username, the secret as password. */
  public String anonymous() {
    return generate("", secret.anonymousPassword(), newNonce(), now());
  }

  String generate(String username, String password, String nonce, String created) {
    String digest = OroTicket.digest(secret, nonce, created, password);
    return new OroTicket(digest, username, nonce, created).encode();
  }

  private String now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(PHP_DATE_C);
  }

  /** 16 hex characters, like Oro's {@code substr(md5(uniqid(...)), 0, 16)}, but from a strong random source. */
  private static String newNonce() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
