package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.MatchPolicy;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The wildcard patterns of one table, in a trie of URI components: level {@code i} holds the {@code i}-th component,
 * with one child per fixed component and one "any" child for an empty one (the spec: "the 3rd URI component is
 * empty, which signals a wildcard in that URI component position"). A pattern's value sits at the node its last
 * component leads to, so patterns with different numbers of components never meet: a URI reaches values only at the
 * depth of its own component count, as {@link MatchPolicy#WILDCARD} requires.
 *
 * <p>Matching a URI follows, at each level, at most two children: the one named by the URI's component and the
 * "any" one. So it visits only nodes on the paths of patterns that match the URI's first components, never the
 * patterns that branch off elsewhere; with no empty components in play that is one node per component.
 *
 * <p>Threading: one writer at a time (the table's owner), any number of lock-free readers. Each change is one write
 * readers can see: a value slot (volatile), or a child published whole into a {@link ConcurrentHashMap} or the
 * volatile "any" slot. Walks use an explicit stack, so a URI of many components cannot overflow the thread's stack.
 *
 * @param <V> the value of a pattern, never null
 */
final class WildcardTrie<V> {

  private static final class Node<V> {
    final ConcurrentHashMap<String, Node<V>> fixed = new ConcurrentHashMap<>(2);
    volatile Node<V> any;
    /** The value of the pattern ending here, or null. */
    volatile V value;

    boolean isEmpty() {
      return value == null && any == null && fixed.isEmpty();
    }
  }

  private final Node<V> root = new Node<>();
  /** Written by the writer only. */
  private volatile int size;

  int size() {
    return size;
  }

  /** The value stored for exactly this pattern, or null. */
  V get(String pattern) {
    Node<V> node = root;
    for (String component : components(pattern)) {
      node = component.isEmpty() ? node.any : node.fixed.get(component);
      if (node == null) {
        return null;
      }
    }
    return node.value;
  }

  /** Stores {@code value} for {@code pattern}, replacing any value it had. Writer only. */
  void put(String pattern, V value) {
    Node<V> node = root;
    for (String component : components(pattern)) {
      Node<V> child = component.isEmpty() ? node.any : node.fixed.get(component);
      if (child == null) {
        // published empty; the value comes last, so a reader meanwhile finds a path that leads nowhere yet
        child = new Node<>();
        if (component.isEmpty()) {
          node.any = child;
        } else {
          node.fixed.put(component, child);
        }
      }
      node = child;
    }
    if (node.value == null) {
      size++;
    }
    node.value = value;
  }

  /** Forgets {@code pattern}, and the nodes only it needed. Writer only. */
  void remove(String pattern) {
    String[] components = components(pattern);
    @SuppressWarnings("unchecked")
    Node<V>[] path = (Node<V>[]) new Node<?>[components.length + 1];
    path[0] = root;
    for (int i = 0; i < components.length; i++) {
      Node<V> node = path[i];
      path[i + 1] = components[i].isEmpty() ? node.any : node.fixed.get(components[i]);
      if (path[i + 1] == null) {
        return;
      }
    }
    Node<V> end = path[components.length];
    if (end.value == null) {
      return;
    }
    end.value = null;
    size--;
    // Prune from the end upwards, so the trie holds no path that leads to no pattern: matching would walk it.
    for (int i = components.length; i > 0 && path[i].isEmpty(); i--) {
      if (components[i - 1].isEmpty()) {
        path[i - 1].any = null;
      } else {
        path[i - 1].fixed.remove(components[i - 1]);
      }
    }
  }

  /**
   * Calls {@code action} with the value of every pattern matching {@code uri} and returns the number of nodes
   * visited.
   */
  int forEachMatch(String uri, Consumer<? super V> action) {
    String[] components = components(uri);
    Stack<V> stack = new Stack<>(components.length);
    stack.push(root, 0);
    int visited = 0;
    while (stack.top > 0) {
      stack.top--;
      Node<V> node = stack.nodes[stack.top];
      int depth = stack.depths[stack.top];
      visited++;
      if (depth == components.length) {
        V value = node.value;
        if (value != null) {
          action.accept(value);
        }
      } else {
        stack.pushChildren(node, components[depth], depth + 1);
      }
    }
    return visited;
  }

  /**
   * The value of the pattern matching {@code uri} that the spec ranks first, or null. Its rule: "find the
   * registration with the longest portion of URI components matched before each wildcard. E.g. for call URI
   * {@code a1.b2.c3.d4} registration {@code a1.b2..d4} has higher priority than registration {@code a1...d4}". The
   * patterns matching one URI all have its component count and agree with it wherever they are fixed; comparing
   * their runs of fixed components one by one is then the same as comparing them position by position, a fixed
   * component ranking above an empty one, from the first position on. The walk goes depth first and tries the fixed
   * child before the "any" one, so the first value it reaches is that best one; a tie is impossible, as two patterns
   * equal in every position are the same pattern.
   */
  V bestMatch(String uri) {
    String[] components = components(uri);
    Stack<V> stack = new Stack<>(components.length);
    stack.push(root, 0);
    while (stack.top > 0) {
      stack.top--;
      Node<V> node = stack.nodes[stack.top];
      int depth = stack.depths[stack.top];
      if (depth == components.length) {
        V value = node.value;
        if (value != null) {
          return value;
        }
      } else {
        stack.pushChildren(node, components[depth], depth + 1);
      }
    }
    return null;
  }

  /** The number of nodes, the root included: for tests that removal prunes. */
  int nodes() {
    return nodesBelow(root);
  }

  private static int nodesBelow(Node<?> node) {
    int n = 1;
    for (Node<?> child : node.fixed.values()) {
      n += nodesBelow(child);
    }
    Node<?> any = node.any;
    return any == null ? n : n + nodesBelow(any);
  }

  /** The {@code .}-separated components, empty ones included, as {@link MatchPolicy#WILDCARD} counts them. */
  private static String[] components(String uri) {
    return uri.split("\\.", -1);
  }

  /** Nodes still to visit with their depths; a node pushes at most two children, so one level adds at most one. */
  private static final class Stack<V> {
    final Node<V>[] nodes;
    final int[] depths;
    int top;

    @SuppressWarnings("unchecked")
    Stack(int levels) {
      nodes = (Node<V>[]) new Node<?>[levels + 2];
      depths = new int[levels + 2];
    }

    void push(Node<V> node, int depth) {
      nodes[top] = node;
      depths[top] = depth;
      top++;
    }

    /** The "any" child first, so that the fixed one, pushed last, is visited first. */
    void pushChildren(Node<V> node, String component, int depth) {
      Node<V> any = node.any;
      if (any != null) {
        push(any, depth);
      }
      Node<V> fixed = node.fixed.get(component);
      if (fixed != null) {
        push(fixed, depth);
      }
    }
  }
}
