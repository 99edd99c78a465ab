package dev.tollgate.router.internal.http;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is logged in to the admin page: a random token per login, which the browser holds in an HttpOnly cookie, so
 * that the page costs one bcrypt (or one ticket) per login rather than one per request. Logins end after
 * {@link #IDLE} without a request, after {@link #LONGEST} in any case, at logout, and when the router stops (they are
 * held in memory only). At most {@link #MAX_LOGINS} at once: the oldest goes first.
 *
 * <p>Thread-safe.
 */
final class AdminLogins {
  static final Duration IDLE = Duration.ofMinutes(30);
  static final Duration LONGEST = Duration.ofHours(12);
  static final int MAX_LOGINS = 256;

  private record Login(String admin, long startedNanos, long lastSeenNanos) {}

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Login> byToken = new ConcurrentHashMap<>();

  /** A new login for {@code admin}: its token. */
  String start(String admin) {
    long now = System.nanoTime();
    byToken.entrySet().removeIf(e -> expired(e.getValue(), now));
    while (byToken.size() >= MAX_LOGINS) {
      byToken.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().startedNanos()))
          .ifPresent(oldest -> byToken.remove(oldest.getKey()));
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    byToken.put(token, new Login(admin, now, now));
    return token;
  }

  /** The admin this token is a live login of, or null; a hit counts as activity. */
  String adminOf(String token) {
    if (token == null) {
      return null;
    }
    long now = System.nanoTime();
    Login login = byToken.get(token);
    if (login == null) {
      return null;
    }
    if (expired(login, now)) {
      byToken.remove(token, login);
      return null;
    }
    byToken.replace(token, login, new Login(login.admin(), login.startedNanos(), now));
    return login.admin();
  }

  void end(String token) {
    if (token != null) {
      byToken.remove(token);
    }
  }

  private static boolean expired(Login login, long now) {
    return now - login.lastSeenNanos() > IDLE.toNanos() || now - login.startedNanos() > LONGEST.toNanos();
  }
}
