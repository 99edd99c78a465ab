package dev.tollgate.protocol;

import java.util.regex.Pattern;

/**
 * URI checks from the spec's "URIs" section. Loose rules (the default) allow any character but whitespace and
 * {@code #} in a component, so Oro's topics such as {@code oro/data/update} pass; strict rules allow only
 * {@code [0-9a-z_]}. Empty components, as in {@code com..update}, are allowed only where pattern matching needs them.
 */
public final class WampUris {
  private static final Pattern LOOSE = Pattern.compile("^([^\\s.#]+\\.)*([^\\s.#]+)$");
  private static final Pattern LOOSE_EMPTY = Pattern.compile("^(([^\\s.#]+\\.)|\\.)*([^\\s.#]+)?$");
  private static final Pattern STRICT = Pattern.compile("^([0-9a-z_]+\\.)*([0-9a-z_]+)$");
  private static final Pattern STRICT_EMPTY = Pattern.compile("^(([0-9a-z_]+\\.)|\\.)*([0-9a-z_]+)?$");

  /** Which rules a router applies. */
  public enum Rules {
    LOOSE,
    STRICT
  }

  private WampUris() {}

  /** Whether {@code uri} is valid under {@code rules}; {@code allowEmptyComponents} only for wildcard patterns. */
  public static boolean isValid(String uri, Rules rules, boolean allowEmptyComponents) {
    if (uri == null || uri.isEmpty()) {
      return false;
    }
    Pattern p =
        switch (rules) {
          case LOOSE -> allowEmptyComponents ? LOOSE_EMPTY : LOOSE;
          case STRICT -> allowEmptyComponents ? STRICT_EMPTY : STRICT;
        };
    return p.matcher(uri).matches();
  }
}
