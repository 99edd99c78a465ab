package dev.tollgate.auth;

import dev.tollgate.auth.internal.Php;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * An OroPlatform WebSocket ticket: {@code base64(digest ";" username ";" nonce ";" created)}, where {@code digest}
 * is Symfony's MessageDigestPasswordHasher (SHA-512, 5000 iterations, Base64) over
 * {@code nonce "|" created "|" password} salted with the application secret. {@code password} is the user's stored
 * password hash, or the secret itself for an anonymous ticket (empty username).
 *
 * <p>The digest is a credential: {@link #toString()} leaves it out.
 */
public record OroTicket(String digest, String username, String nonce, String created) {
  static final int ITERATIONS = 5000;

  public boolean isAnonymous() {
    return username.isEmpty();
  }

  /** The ticket as it travels: standard Base64 with padding, as PHP's base64_encode writes it. */
  public String encode() {
    String plain = digest + ";" + username + ";" + nonce + ";" + created;
    return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a ticket as Oro does: PHP's lenient base64_decode (characters outside the alphabet are skipped), then the
   * first four {@code ;}-separated fields. Empty when there are fewer than four.
   */
  public static Optional<OroTicket> decode(String ticket) {
    String[] fields = fields(ticket);
    if (fields.length < 4) {
      return Optional.empty();
    }
    return Optional.of(new OroTicket(fields[0], fields[1], fields[2], fields[3]));
  }

  /** How many {@code ;}-separated fields {@code ticket} decodes to as Oro reads it, to explain why it is malformed. */
  public static int fieldCount(String ticket) {
    return fields(ticket).length;
  }

  private static String[] fields(String ticket) {
    return new String(Php.base64DecodeLenient(ticket), StandardCharsets.UTF_8).split(";", -1);
  }

  /**
   * The {@code ticket} parameter of a raw URL query, decoded as PHP's parse_str does ('+' is a space), as Oro reads
   * it; empty when absent.
   */
  public static Optional<String> queryParameter(String rawQuery) {
    return Optional.ofNullable(Php.parseQuery(rawQuery).get("ticket"));
  }

  /** The digest Oro computes for these fields and this password. Deliberately slow: about 5000 SHA-512 rounds. */
  static String digest(TicketSecret secret, String nonce, String created, String password) {
    byte[] salted = secret.salt(nonce + "|" + created + "|" + password).getBytes(StandardCharsets.UTF_8);
    MessageDigest sha512;
    try {
      sha512 = MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-512", e);
    }
    // Into one buffer, round after round: a new array per round was 320 KB of garbage per ticket, which under a burst
    // of logins grew the heap that the router then kept.
    byte[] d = sha512.digest(salted);
    try {
      for (int i = 1; i < ITERATIONS; i++) {
        sha512.update(d);
        sha512.update(salted);
        sha512.digest(d, 0, d.length);
      }
    } catch (java.security.DigestException e) {
      throw new IllegalStateException("a SHA-512 digest is 64 bytes", e);
    }
    return Base64.getEncoder().encodeToString(d);
  }

  @Override
  public String toString() {
    return "OroTicket[username=" + username + ", nonce=" + nonce + ", created=" + created + "]";
  }
}
