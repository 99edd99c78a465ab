package dev.tollgate.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** Password hashes as Oro stores them: bcrypt, {@code $2y$} (PHP's password_hash), also reading $2a$ and $2b$. */
public final class Passwords {
  /** bcrypt cost for new hashes; Symfony's "auto" uses 13, slower than a router wants per HTTP ticket request. */
  static final int COST = 12;

  /**
   * Stand-in hashes for {@link #check} by cost, each of a random password no one knows: made once per cost, when
   * first needed.
   */
  private static final java.util.concurrent.ConcurrentHashMap<Integer, String> STAND_INS =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** The cost of the last real hash checked: what a stand-in should cost, so that it takes as long. */
  private static volatile int typicalCost = COST;

  private Passwords() {}

  /**
   * Whether {@code password} matches {@code storedHash}, after the same work whether or not there is a hash to check:
   * for a missing user (null) or a hash that is not bcrypt, a bcrypt of a stand-in hash of the cost real hashes have
   * here is computed and the answer is false. So the time a refusal takes does not tell whether the user exists.
   */
  public static boolean check(String password, String storedHash) {
    int cost = costOf(storedHash);
    if (cost > 0) {
      typicalCost = cost;
      return matches(password, storedHash);
    }
    String standIn = STAND_INS.computeIfAbsent(typicalCost, c -> BCrypt.with(BCrypt.Version.VERSION_2Y)
        .hashToString(c, java.util.UUID.randomUUID().toString().toCharArray()));
    matches(password, standIn); // the work, and nothing else
    return false;
  }

  /** The cost of a well-formed bcrypt hash ({@code $2y$12$…}), or 0. */
  static int costOf(String hash) {
    if (hash == null || hash.length() != 60 || !hash.startsWith("$2") || hash.charAt(3) != '$' || hash.charAt(6) != '$') {
      return 0;
    }
    try {
      int cost = Integer.parseInt(hash.substring(4, 6));
      return cost >= 4 && cost <= 31 ? cost : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

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
