package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Publish;
import java.util.ArrayList;
import java.util.List;

/**
 * One session's testaments: publications the router makes for it when it ends, in two buckets. "If the Router does
 * not support Session Resumption [...] it MUST still use these two separate buckets to allow
 * wamp.session.flush_testaments to work", and "A Router that does not allow Session Resumption MUST send
 * detached-scope Testaments before destroyed-scope Testaments." Tollgate has no resumption: a session that ends is
 * detached and destroyed at once.
 *
 * <p>Threading: added and flushed on the meta executor, taken when the session leaves; its lock guards the lists.
 */
final class Testaments {
  /** Bounds what one session can make the router keep. */
  static final int MAX_PER_SESSION = 64;

  /** Made at the first testament: few sessions leave one. */
  private List<Publish> detached = List.of();
  private List<Publish> destroyed = List.of();

  /** Adds a testament to {@code scope} ({@code detached} or {@code destroyed}); false when the bound is reached. */
  synchronized boolean add(String scope, Publish testament) {
    if (detached.size() + destroyed.size() >= MAX_PER_SESSION) {
      return false;
    }
    if (scope.equals("detached")) {
      detached = added(detached, testament);
    } else {
      destroyed = added(destroyed, testament);
    }
    return true;
  }

  synchronized void flush(String scope) {
    if (scope.equals("detached")) {
      detached = List.of();
    } else {
      destroyed = List.of();
    }
  }

  /** Every testament, detached ones first, each bucket in the order added; empties both. */
  synchronized List<Publish> take() {
    List<Publish> all = new ArrayList<>(detached.size() + destroyed.size());
    all.addAll(detached);
    all.addAll(destroyed);
    detached = List.of();
    destroyed = List.of();
    return all;
  }

  private static List<Publish> added(List<Publish> bucket, Publish testament) {
    List<Publish> grown = bucket.isEmpty() ? new ArrayList<>() : bucket;
    grown.add(testament);
    return grown;
  }
}
