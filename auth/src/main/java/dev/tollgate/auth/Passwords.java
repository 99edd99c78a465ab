package dev.tollgate.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** Password hashes as Oro stores them: bcrypt, {@code $2y$} (PHP's password_hash), also reading $2a$ and $2b$. */
public final class Passwords {
  /** bcrypt cost for new hashes; Symfony's "auto" uses 13, slower than a router wants per HTTP ticket request. */
  static final int COST = 12;

  private Passwords() {}

  public static String hash(String password) {
    return BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(COST, password.toCharArray());
  }

  /** True if {@code password} matches the bcrypt {@code hash}; false for any other kind of hash. */
  public static boolean matches(String password, String hash) {
    if (hash == null || !hash.startsWith("$2")) {
      return false;
    }
    try {
      return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }
}
