package dev.tollgate.router.internal.core;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The prefix patterns of one table, in a character trie with path compression (a radix tree): each edge carries a
 * non-empty run of characters, and a node holds the value of the pattern that ends there. Finding every pattern that
 * is a prefix of a URI walks the URI once from the root, so it costs O(URI length) whatever the number of patterns;
 * nothing is scanned.
 *
 * <p>Threading: one writer at a time (the table's owner), any number of lock-free readers. A reader never sees a
 * half-made change, because every change is one volatile write: a node's value, or a node's edge array, which is
 * never modified once published (copy on write). Splitting an edge publishes a new middle node, already complete,
 * in place of the old edge; merging replaces two edges by one. A reader on the old path meanwhile still finds the
 * same values along it.
 *
 * <p>The edge array is sorted by first character and searched by bisection: no boxing, no map per node, and a node
 * has at most one edge per character, so the array stays small.
 *
 * @param <V> the value of a pattern, never null
 */
final class PrefixTrie<V> {
  private static final Edge<?>[] NO_EDGES = new Edge<?>[0];

  /** A run of characters leading to a node; immutable. */
  private record Edge<V>(String label, Node<V> target) {}

  private static final class Node<V> {
    /** Sorted by the first character of the label; replaced, never changed, once published. */
    @SuppressWarnings("unchecked")
    volatile Edge<V>[] edges = (Edge<V>[]) NO_EDGES;
    /** The value of the pattern ending here, or null. */
    volatile V value;
  }

  private final Node<V> root = new Node<>();
  /** Written by the writer only; read by anyone as a hint that there is nothing to walk. */
  private volatile int size;

  int size() {
    return size;
  }

  /** The value stored for exactly this pattern, or null. */
  V get(String pattern) {
    Node<V> node = root;
    int at = 0;
    while (at < pattern.length()) {
      Edge<V> edge = find(node.edges, pattern.charAt(at));
      if (edge == null || !pattern.startsWith(edge.label, at)) {
        return null;
      }
      at += edge.label.length();
      node = edge.target;
    }
    return node.value;
  }

  /** Stores {@code value} for {@code pattern}, replacing any value it had. Writer only. */
  void put(String pattern, V value) {
    Node<V> node = root;
    int at = 0;
    while (at < pattern.length()) {
      char c = pattern.charAt(at);
      Edge<V> edge = find(node.edges, c);
      if (edge == null) {
        Node<V> leaf = new Node<>();
        leaf.value = value;
        // the leaf is complete before the edge that publishes it
        node.edges = replaced(node.edges, new Edge<>(pattern.substring(at), leaf));
        size++;
        return;
      }
      int common = commonLength(edge.label, pattern, at);
      if (common < edge.label.length()) {
        // The pattern ends inside this edge or leaves it: split the edge at that point. The middle node is built
        // whole, with the old edge's tail below it, before the shortened edge publishes it.
        Node<V> middle = new Node<>();
        middle.edges = replaced(middle.edges, new Edge<>(edge.label.substring(common), edge.target));
        node.edges = replaced(node.edges, new Edge<>(edge.label.substring(0, common), middle));
        node = middle;
      } else {
        node = edge.target;
      }
      at += common;
    }
    if (node.value == null) {
      size++;
    }
    node.value = value;
  }

  /** Forgets {@code pattern}, and the nodes only it needed. Writer only. */
  void remove(String pattern) {
    Node<V> grandparent = null;
    Node<V> parent = null;
    Node<V> node = root;
    Edge<V> intoParent = null;
    Edge<V> intoNode = null;
    int at = 0;
    while (at < pattern.length()) {
      Edge<V> edge = find(node.edges, pattern.charAt(at));
      if (edge == null || !pattern.startsWith(edge.label, at)) {
        return;
      }
      at += edge.label.length();
      grandparent = parent;
      parent = node;
      node = edge.target;
      intoParent = intoNode;
      intoNode = edge;
    }
    if (node.value == null) {
      return;
    }
    node.value = null;
    size--;
    if (node == root) {
      return;
    }
    // Keep the tree compressed: every node but the root holds a value or branches. Only the emptied node and its
    // parent can have broken that.
    Edge<V>[] below = node.edges;
    if (below.length == 0) {
      parent.edges = removed(parent.edges, intoNode.label.charAt(0));
      if (parent != root && parent.value == null && parent.edges.length == 1) {
        merge(grandparent, intoParent, parent.edges[0]);
      }
    } else if (below.length == 1) {
      merge(parent, intoNode, below[0]);
    }
  }

  /**
   * Calls {@code action} with the value of every pattern that is a prefix of {@code uri}, shortest first, and
   * returns the number of nodes visited: at most one per character of the URI, plus the root.
   */
  int forEachPrefixOf(String uri, Consumer<? super V> action) {
    Node<V> node = root;
    int visited = 1;
    V value = node.value;
    if (value != null) {
      action.accept(value);
    }
    int at = 0;
    while (at < uri.length()) {
      Edge<V> edge = find(node.edges, uri.charAt(at));
      if (edge == null || !uri.startsWith(edge.label, at)) {
        break;
      }
      at += edge.label.length();
      node = edge.target;
      visited++;
      value = node.value;
      if (value != null) {
        action.accept(value);
      }
    }
    return visited;
  }

  /** The value of the longest pattern that is a prefix of {@code uri}, or null. */
  V longestPrefixOf(String uri) {
    Node<V> node = root;
    V best = node.value;
    int at = 0;
    while (at < uri.length()) {
      Edge<V> edge = find(node.edges, uri.charAt(at));
      if (edge == null || !uri.startsWith(edge.label, at)) {
        break;
      }
      at += edge.label.length();
      node = edge.target;
      V value = node.value;
      if (value != null) {
        best = value;
      }
    }
    return best;
  }

  /** The number of nodes, the root included: for tests that the tree stays compressed and pruned. */
  int nodes() {
    return nodesBelow(root);
  }

  private static int nodesBelow(Node<?> node) {
    int n = 1;
    for (Edge<?> edge : node.edges) {
      n += nodesBelow(edge.target);
    }
    return n;
  }

  /**
   * Replaces {@code into}, an edge of {@code parent} to a node that holds no value and has the one edge
   * {@code onward}, by one edge straight to where {@code onward} leads.
   */
  private void merge(Node<V> parent, Edge<V> into, Edge<V> onward) {
    parent.edges = replaced(parent.edges, new Edge<>(into.label + onward.label, onward.target));
  }

  private static int commonLength(String label, String pattern, int at) {
    int n = Math.min(label.length(), pattern.length() - at);
    int i = 0;
    while (i < n && label.charAt(i) == pattern.charAt(at + i)) {
      i++;
    }
    return i;
  }

  private static <V> Edge<V> find(Edge<V>[] edges, char c) {
    int i = indexOf(edges, c);
    return i >= 0 ? edges[i] : null;
  }

  /** The index of the edge starting with {@code c}, or {@code -(insertion point) - 1}. */
  private static int indexOf(Edge<?>[] edges, char c) {
    int low = 0;
    int high = edges.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      char m = edges[mid].label.charAt(0);
      if (m < c) {
        low = mid + 1;
      } else if (m > c) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }

  /** A copy of {@code edges} with {@code edge} in place of the one with its first character, or inserted. */
  private static <V> Edge<V>[] replaced(Edge<V>[] edges, Edge<V> edge) {
    int i = indexOf(edges, edge.label.charAt(0));
    if (i >= 0) {
      Edge<V>[] copy = edges.clone();
      copy[i] = edge;
      return copy;
    }
    int insert = -(i + 1);
    Edge<V>[] copy = Arrays.copyOf(edges, edges.length + 1);
    System.arraycopy(edges, insert, copy, insert + 1, edges.length - insert);
    copy[insert] = edge;
    return copy;
  }

  /** A copy of {@code edges} without the one starting with {@code c}. */
  private static <V> Edge<V>[] removed(Edge<V>[] edges, char c) {
    int i = indexOf(edges, c);
    Edge<V>[] copy = Arrays.copyOf(edges, edges.length - 1);
    System.arraycopy(edges, i + 1, copy, i, edges.length - i - 1);
    return copy;
  }
}
