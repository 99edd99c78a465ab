package dev.tollgate.protocol;

/**
 * URI checks from the spec's "URIs" section. Loose rules (the default) allow any character but whitespace and
 * {@code #} in a component, so Oro's topics such as {@code oro/data/update} pass; strict rules allow only
 * {@code [0-9a-z_]}. Empty components, as in {@code com..update}, are allowed only where pattern matching needs them.
 */
public final class WampUris {

  /** Which rules a router applies. */
  public enum Rules {
    LOOSE,
    STRICT
  }

  private WampUris() {}

  /**
   * Whether {@code uri} is valid under {@code rules}; {@code allowEmptyComponents} only for wildcard patterns. One
   * pass over the characters: every PUBLISH and CALL is checked, so this is on the hot path.
   */
  public static boolean isValid(String uri, Rules rules, boolean allowEmptyComponents) {
    if (uri == null || uri.isEmpty()) {
      return false;
    }
    int componentLength = 0;
    for (int i = 0, n = uri.length(); i < n; i++) {
      char c = uri.charAt(i);
      if (c == '.') {
        if (componentLength == 0 && !allowEmptyComponents) {
          return false;
        }
        componentLength = 0;
      } else if (rules == Rules.STRICT ? isStrictChar(c) : isLooseChar(c)) {
        componentLength++;
      } else {
        return false;
      }
    }
    // a trailing dot leaves an empty last component
    return componentLength > 0 || allowEmptyComponents;
  }

  private static boolean isStrictChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }

  /** Anything but {@code #} and what Java's regex {@code \\s} calls whitespace, which the loose rules exclude. */
  private static boolean isLooseChar(char c) {
    return c != '#' && c != ' ' && c != '\t' && c != '\n' && c != 0x0B && c != '\f' && c != '\r';
  }
}
