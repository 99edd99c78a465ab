package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.MatchPolicy;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Values keyed by (pattern, match policy), found by the URIs the patterns match: the index under both the
 * subscription table and the registration table, so that the two can never disagree on what matches. Exact patterns
 * are in a hash map, prefix patterns in a {@link PrefixTrie}, wildcard patterns in a {@link WildcardTrie}; no lookup
 * ever scans the patterns.
 *
 * <p>While there is no prefix or wildcard pattern, which is the common case, matching a URI costs one map lookup
 * after one volatile read, and allocates nothing.
 *
 * <p>Threading: one writer at a time, the owner of the table above; any number of lock-free readers, which see each
 * key's value either before or after a change, never in between. Values should be immutable snapshots, replaced by
 * {@link #put} on change. Two keys are not changed atomically together, so a reader may see one key's new value and
 * another's old one.
 *
 * @param <V> the value of a pattern, never null
 */
final class PatternIndex<V> {
  private final ConcurrentHashMap<String, V> exact = new ConcurrentHashMap<>();
  private final PrefixTrie<V> prefix = new PrefixTrie<>();
  private final WildcardTrie<V> wildcard = new WildcardTrie<>();
  /** How many prefix and wildcard patterns there are; while 0, the tries need no walk. Written by the writer. */
  private volatile int patterns;

  /** The value stored for exactly this (pattern, policy), or null. */
  V get(String pattern, MatchPolicy policy) {
    return switch (policy) {
      case EXACT -> exact.get(pattern);
      case PREFIX -> prefix.get(pattern);
      case WILDCARD -> wildcard.get(pattern);
    };
  }

  /** Stores or replaces the value of (pattern, policy). Writer only. */
  void put(String pattern, MatchPolicy policy, V value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    switch (policy) {
      case EXACT -> exact.put(pattern, value);
      case PREFIX -> prefix.put(pattern, value);
      case WILDCARD -> wildcard.put(pattern, value);
    }
    // after the trie holds the value, so a reader that sees the count also finds the value
    patterns = prefix.size() + wildcard.size();
  }

  /** Forgets (pattern, policy). Writer only. */
  void remove(String pattern, MatchPolicy policy) {
    switch (policy) {
      case EXACT -> exact.remove(pattern);
      case PREFIX -> prefix.remove(pattern);
      case WILDCARD -> wildcard.remove(pattern);
    }
    patterns = prefix.size() + wildcard.size();
  }

  /**
   * Calls {@code action} once with every value whose pattern matches {@code uri}: the exact one, then the prefix ones
   * from the shortest, then the wildcard ones.
   */
  void forEachMatch(String uri, Consumer<? super V> action) {
    visitMatches(uri, action);
  }

  /**
   * {@link #forEachMatch}, returning the number of trie nodes it visited (0 when there are no patterns): what a
   * publication costs beyond the exact lookup, for tests to bound without a clock.
   */
  int visitMatches(String uri, Consumer<? super V> action) {
    V value = exact.get(uri);
    if (value != null) {
      action.accept(value);
    }
    if (patterns == 0) {
      return 0;
    }
    int visited = 0;
    if (prefix.size() > 0) {
      visited += prefix.forEachPrefixOf(uri, action);
    }
    if (wildcard.size() > 0) {
      visited += wildcard.forEachMatch(uri, action);
    }
    return visited;
  }

  /**
   * The one value a URI is routed to, by the spec's order for registrations: "1. Check for exact matching
   * registration. If this match exists — use it. 2. If there are prefix-based registrations, find the registration
   * with the longest prefix match. [...] 3. If there are wildcard-based registrations, find the registration with
   * the longest portion of URI components matched before each wildcard." Null when none matches.
   *
   * <p>The longest prefix is the longest in characters. The spec counts URI components ("registration
   * {@code a1.b2.c3} has higher priority than registration {@code a1.b2}"), but every prefix pattern matching one URI
   * is a prefix of every longer one matching it, so more characters never means fewer components; among patterns
   * with as many whole components ({@code a1.b2} and {@code a1.b2.c}), the longer is the more specific.
   *
   * <p>One of the spec's examples disagrees: it finds "no prefix match" for {@code a1.b2.c33.d4.e5} under the prefix
   * registration {@code a1.b2.c3}, which only a component-wise prefix would give. The spec's own prefix examples
   * ({@code com.myapp.myobject1} matching {@code com.myapp.myobject1-mysubobject1}) make it a plain string prefix, as
   * {@link MatchPolicy#PREFIX} is, so such a call goes to the prefix registration.
   */
  V bestMatch(String uri) {
    V value = exact.get(uri);
    if (value != null || patterns == 0) {
      return value;
    }
    value = prefix.longestPrefixOf(uri);
    if (value != null) {
      return value;
    }
    return wildcard.size() > 0 ? wildcard.bestMatch(uri) : null;
  }
}
