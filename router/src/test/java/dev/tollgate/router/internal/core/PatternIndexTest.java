package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.MatchPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The index under both tables finds what {@link MatchPolicy} says matches, ranks as the spec ranks, and its tries
 * stay compressed and pruned through any sequence of changes.
 */
class PatternIndexTest {

  /** A key of the index, and its value in these tests. */
  private record Key(String pattern, MatchPolicy policy) {}

  @Test
  void findsExactlyWhatMatchPolicyMatchesThroughRandomPutsAndRemoves() {
    Random random = new Random(11);
    PatternIndex<Key> index = new PatternIndex<>();
    Set<Key> stored = new HashSet<>();
    for (int step = 0; step < 20_000; step++) {
      Key key = randomKey(random);
      if (random.nextInt(3) == 0) {
        index.remove(key.pattern(), key.policy());
        stored.remove(key);
      } else {
        index.put(key.pattern(), key.policy(), key);
        stored.add(key);
      }
      assertEquals(stored.contains(key) ? key : null, index.get(key.pattern(), key.policy()), "step " + step);
      String uri = randomUri(random);
      Set<Key> expected = new HashSet<>();
      for (Key k : stored) {
        if (k.policy().matches(k.pattern(), uri)) {
          expected.add(k);
        }
      }
      List<Key> found = new ArrayList<>();
      index.forEachMatch(uri, found::add);
      assertEquals(expected.size(), found.size(), "each once, step " + step + ", uri '" + uri + "': " + found);
      assertEquals(expected, new HashSet<>(found), "step " + step + ", uri '" + uri + "'");
      assertEquals(best(expected, uri), index.bestMatch(uri), "step " + step + ", uri '" + uri + "'");
    }
  }

  @Test
  void theSpecsRegistrationExamplesRankAsTheSpecSays() {
    PatternIndex<String> index = new PatternIndex<>();
    index.put("a1.b2.c3.d4.e55", MatchPolicy.EXACT, "1");
    index.put("a1.b2.c3", MatchPolicy.PREFIX, "2");
    index.put("a1.b2.c3.d4", MatchPolicy.PREFIX, "3");
    index.put("a1.b2..d4.e5", MatchPolicy.WILDCARD, "4");
    index.put("a1.b2.c33..e5", MatchPolicy.WILDCARD, "5");
    index.put("a1.b2..d4.e5..g7", MatchPolicy.WILDCARD, "6");
    index.put("a1.b2..d4..f6.g7", MatchPolicy.WILDCARD, "7");
    Map<String, String> expected = new HashMap<>();
    expected.put("a1.b2.c3.d4.e55", "1");
    expected.put("a1.b2.c3.d98.e74", "2");
    expected.put("a1.b2.c3.d4.e325", "3");
    expected.put("a1.b2.c55.d4.e5", "4");
    // The spec expects RPC 5 here, "no prefix match", but its own prefix rule makes 'a1.b2.c3' a prefix of
    // 'a1.b2.c33.d4.e5' (as 'com.myapp.myobject1' is of 'com.myapp.myobject1-mysubobject1'), and a prefix match
    // outranks every wildcard. MatchPolicy keeps the plain string prefix, so RPC 2 it is; without the prefix
    // registrations the wildcards rank as the example says (below).
    expected.put("a1.b2.c33.d4.e5", "2");
    expected.put("a1.b2.c88.d4.e5.f6.g7", "6");
    expected.put("a2.b2.c2.d2.e2", null);
    expected.forEach((uri, rpc) -> assertEquals(rpc, index.bestMatch(uri), uri));

    index.remove("a1.b2.c3", MatchPolicy.PREFIX);
    index.remove("a1.b2.c3.d4", MatchPolicy.PREFIX);
    assertEquals("5", index.bestMatch("a1.b2.c33.d4.e5"), "a longer first portion (a1.b2.c33) wins");
    assertEquals("4", index.bestMatch("a1.b2.c55.d4.e5"));
    assertEquals("6", index.bestMatch("a1.b2.c88.d4.e5.f6.g7"), "equal first portions, a longer second one");
  }

  @Test
  void thePrefixTrieStaysCompressedAndEmptiesCompletely() {
    Random random = new Random(5);
    PrefixTrie<String> trie = new PrefixTrie<>();
    Set<String> patterns = new HashSet<>();
    for (int i = 0; i < 3_000; i++) {
      String pattern = randomString(random, "ab.", 12);
      trie.put(pattern, pattern);
      patterns.add(pattern);
      // each pattern adds at most a leaf and a split: every node but the root holds a value or branches
      assertTrue(trie.nodes() <= 2 * patterns.size() + 1, () -> trie.nodes() + " nodes for " + patterns.size());
    }
    assertEquals(patterns.size(), trie.size());
    List<String> order = new ArrayList<>(patterns);
    java.util.Collections.shuffle(order, random);
    for (String pattern : order) {
      trie.remove(pattern);
      patterns.remove(pattern);
      assertNull(trie.get(pattern));
      assertTrue(trie.nodes() <= 2 * patterns.size() + 1, () -> trie.nodes() + " nodes for " + patterns.size());
      for (String left : patterns) {
        if (left.hashCode() % 50 == 0) {
          assertEquals(left, trie.get(left), "a remaining pattern after removing '" + pattern + "'");
        }
      }
    }
    assertEquals(0, trie.size());
    assertEquals(1, trie.nodes(), "only the root is left");
  }

  @Test
  void theWildcardTrieIsPrunedBackToItsRoot() {
    WildcardTrie<String> trie = new WildcardTrie<>();
    List<String> patterns = List.of("a..c", "a.b.c", "a..", "..", "a.b.c.d", ".b", "");
    for (String pattern : patterns) {
      trie.put(pattern, pattern);
    }
    assertEquals(patterns.size(), trie.size());
    for (String pattern : patterns) {
      trie.remove(pattern);
      assertNull(trie.get(pattern));
    }
    assertEquals(0, trie.size());
    assertEquals(1, trie.nodes());
  }

  @Test
  void removingOnePatternKeepsThoseThatShareItsPath() {
    WildcardTrie<String> wildcards = new WildcardTrie<>();
    wildcards.put("a..c", "short");
    wildcards.put("a..c.d", "long");
    wildcards.remove("a..c");
    assertEquals("long", wildcards.get("a..c.d"));
    assertNull(wildcards.get("a..c"));
    PrefixTrie<String> prefixes = new PrefixTrie<>();
    prefixes.put("com.app", "short");
    prefixes.put("com.app.x", "long");
    prefixes.put("com.apple", "other");
    prefixes.remove("com.app");
    assertEquals("long", prefixes.get("com.app.x"));
    assertEquals("other", prefixes.get("com.apple"));
    assertNull(prefixes.get("com.app"));
    assertNull(prefixes.get("com.ap"));
  }

  /**
   * The spec's ranking, written as the spec words it and not as the trie walks: exact, else the longest prefix,
   * else the wildcard with "the longest portion of URI components matched before each wildcard", portion by portion.
   */
  private static Key best(Set<Key> matching, String uri) {
    Comparator<Key> byPortions = (x, y) -> {
      List<Integer> a = portions(x.pattern());
      List<Integer> b = portions(y.pattern());
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        if (!a.get(i).equals(b.get(i))) {
          return Integer.compare(b.get(i), a.get(i));
        }
      }
      return Integer.compare(b.size(), a.size());
    };
    return matching.stream().filter(k -> k.policy() == MatchPolicy.EXACT).findFirst()
        .or(() -> matching.stream().filter(k -> k.policy() == MatchPolicy.PREFIX)
            .max(Comparator.comparingInt(k -> k.pattern().length())))
        .or(() -> matching.stream().filter(k -> k.policy() == MatchPolicy.WILDCARD).min(byPortions))
        .orElse(null);
  }

  /** The lengths of the runs of fixed components between wildcards: {@code a1.b2..d4.e5..g7} is [2, 2, 1]. */
  private static List<Integer> portions(String pattern) {
    List<Integer> runs = new ArrayList<>();
    int run = 0;
    for (String component : pattern.split("\\.", -1)) {
      if (component.isEmpty()) {
        runs.add(run);
        run = 0;
      } else {
        run++;
      }
    }
    runs.add(run);
    return runs;
  }

  private static Key randomKey(Random random) {
    MatchPolicy policy = MatchPolicy.values()[random.nextInt(3)];
    String pattern = switch (policy) {
      case EXACT -> randomUri(random);
      case PREFIX -> randomString(random, "ab.", 5);
      case WILDCARD -> randomComponents(random, new String[] {"", "", "a", "b", "ab"});
    };
    return new Key(pattern, policy);
  }

  /** A URI of 1 to 4 components from a small alphabet, so that patterns often match; rarely an empty one. */
  private static String randomUri(Random random) {
    return randomComponents(random, random.nextInt(20) == 0 ? new String[] {"a", "b", "ab", ""}
        : new String[] {"a", "b", "ab"});
  }

  private static String randomComponents(Random random, String[] choices) {
    int n = 1 + random.nextInt(4);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        s.append('.');
      }
      s.append(choices[random.nextInt(choices.length)]);
    }
    return s.toString();
  }

  private static String randomString(Random random, String alphabet, int maxLength) {
    int n = random.nextInt(maxLength + 1);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
