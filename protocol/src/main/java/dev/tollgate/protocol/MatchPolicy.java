package dev.tollgate.protocol;

import java.util.Locale;

/**
 * How a URI pattern matches a URI: the {@code match} option of SUBSCRIBE and REGISTER (Advanced Profile,
 * pattern-based subscription and registration), and the match of an authorization rule. One definition for both, so
 * that what a rule allows and what a subscription receives can never disagree on what "prefix" means.
 */
public enum MatchPolicy {
  /** The whole URI. */
  EXACT,
  /**
   * The URI starts with the pattern, character by character: the spec's own example has prefix
   * {@code com.myapp.topic.emergency} match {@code com.myapp.topic.emergency-low}.
   */
  PREFIX,
  /**
   * The URI has as many {@code .}-separated components as the pattern, and equals it in every component the pattern
   * does not leave empty: {@code com.myapp..userevent} matches {@code com.myapp.foo.userevent}.
   */
  WILDCARD;

  /** The policy a wire option or a setting names ({@code exact}, {@code prefix}, {@code wildcard}); case is ignored. */
  public static MatchPolicy parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown match policy '" + text + "'; use exact, prefix or wildcard");
    }
  }

  /** The policy of a SUBSCRIBE's or REGISTER's {@code match} option: absent means exact. */
  public static MatchPolicy ofOption(Object match) {
    return match == null ? EXACT : parse(String.valueOf(match));
  }

  /** The name on the wire and in settings. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code pattern} under this policy matches {@code uri}. */
  public boolean matches(String pattern, String uri) {
    return switch (this) {
      case EXACT -> uri.equals(pattern);
      case PREFIX -> uri.startsWith(pattern);
      case WILDCARD -> wildcardMatches(pattern, uri);
    };
  }

  /** Component by component, without splitting into arrays: authorization checks run on every new action. */
  private static boolean wildcardMatches(String pattern, String uri) {
    int p = 0;
    int u = 0;
    int pn = pattern.length();
    int un = uri.length();
    while (true) {
      int pEnd = pattern.indexOf('.', p);
      int uEnd = uri.indexOf('.', u);
      if (pEnd < 0) {
        pEnd = pn;
      }
      if (uEnd < 0) {
        uEnd = un;
      }
      int length = pEnd - p;
      if (length > 0 && (length != uEnd - u || !pattern.regionMatches(p, uri, u, length))) {
        return false;
      }
      boolean patternDone = pEnd == pn;
      boolean uriDone = uEnd == un;
      if (patternDone || uriDone) {
        return patternDone && uriDone;
      }
      p = pEnd + 1;
      u = uEnd + 1;
    }
  }

  /**
   * The number of components a wildcard pattern fixes (its non-empty ones): among wildcards matching one URI, the
   * one that fixes more is the more specific.
   */
  public static int fixedComponents(String wildcardPattern) {
    int fixed = 0;
    int length = 0;
    for (int i = 0, n = wildcardPattern.length(); i <= n; i++) {
      if (i == n || wildcardPattern.charAt(i) == '.') {
        if (length > 0) {
          fixed++;
        }
        length = 0;
      } else {
        length++;
      }
    }
    return fixed;
  }
}
