package dev.tollgate.auth;

import java.util.Objects;

/**
 * The application secret (Oro's {@code kernel.secret}) that salts every ticket digest, and that anonymous tickets
 * use as their password. Never printed: {@link #toString()} hides it.
 */
public final class TicketSecret {
  private final String value;

  private TicketSecret(String value) {
    this.value = value;
  }

  /**
   * A secret as Oro would use it. Refuses one containing { or }: Symfony's MessageDigestPasswordHasher throws
   * "Cannot use { or } in salt." for such a salt, so no ticket made or checked with it can ever work in Oro.
   */
  public static TicketSecret of(String secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.indexOf('{') >= 0 || secret.indexOf('}') >= 0) {
      throw new IllegalArgumentException("the ticket secret must not contain { or }: Oro's hasher refuses such a "
          + "salt (\"Cannot use { or } in salt.\"), so no ticket could ever be made or checked with it");
    }
    return new TicketSecret(secret);
  }

  /** Symfony's mergePasswordAndSalt: the salt in braces, unless PHP's empty() says the salt is empty ("" or "0"). */
  String salt(String raw) {
    return value.isEmpty() || value.equals("0") ? raw : raw + "{" + value + "}";
  }

  /** The password of an anonymous ticket is the secret itself. */
  String anonymousPassword() {
    return value;
  }

  @Override
  public String toString() {
    return "TicketSecret(hidden)";
  }
}
