package dev.tollgate.router.internal.core;

/**
 * All sessions subscribed to one topic with one match policy share one subscription and its id. Immutable: a change
 * makes a new snapshot, so publishers read {@link #subscribers} without a lock.
 */
final class Subscription {
  private static final RouterSession[] NONE = new RouterSession[0];

  final long id;
  final String topic;
  /** Never modified after construction. */
  final RouterSession[] subscribers;

  Subscription(long id, String topic) {
    this(id, topic, NONE);
  }

  private Subscription(long id, String topic, RouterSession[] subscribers) {
    this.id = id;
    this.topic = topic;
    this.subscribers = subscribers;
  }

  boolean contains(RouterSession session) {
    for (RouterSession s : subscribers) {
      if (s == session) {
        return true;
      }
    }
    return false;
  }

  Subscription with(RouterSession session) {
    if (contains(session)) {
      return this;
    }
    RouterSession[] next = java.util.Arrays.copyOf(subscribers, subscribers.length + 1);
    next[subscribers.length] = session;
    return new Subscription(id, topic, next);
  }

  /** This subscription without {@code session}, or null when nobody would be left. */
  Subscription without(RouterSession session) {
    int at = -1;
    for (int i = 0; i < subscribers.length; i++) {
      if (subscribers[i] == session) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      return this;
    }
    if (subscribers.length == 1) {
      return null;
    }
    RouterSession[] next = new RouterSession[subscribers.length - 1];
    System.arraycopy(subscribers, 0, next, 0, at);
    System.arraycopy(subscribers, at + 1, next, at, subscribers.length - at - 1);
    return new Subscription(id, topic, next);
  }
}
