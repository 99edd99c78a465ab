package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.Publish;

/**
 * The other nodes of a router that runs as several: where the routing core sends what must reach them, and which
 * topics it wants to hear of. One node alone has {@link #NONE}, which does nothing and costs nothing; the Redis bus
 * ({@code internal.cluster}) is the other implementation, and no type of it reaches the core. What other nodes send
 * comes back in through {@link RouterCore#remoteEvent}.
 *
 * <p>Threading: every method may be called from any thread and must never block (the realm's lock may be held, and a
 * publisher's thread is a transport's). An implementation queues, bounded, and counts what it could not send.
 */
public interface Cluster {

  /** One node alone. */
  Cluster NONE = new Cluster() {
    @Override
    public void interest(String realm, String pattern, MatchPolicy policy, boolean interested) {}

    @Override
    public void publish(String realm, ClusterEvent event) {}
  };

  /**
   * Owner only (the realm's lock is held): the realm's subscription table gained its first subscription to
   * ({@code pattern}, {@code policy}), or lost its last one. A node hears of other nodes' publications only while it
   * has a subscription they may match.
   */
  void interest(String realm, String pattern, MatchPolicy policy, boolean interested);

  /** A session of this node published: the other nodes deliver it to their own subscribers. */
  void publish(String realm, ClusterEvent event);

  /**
   * A publication as it crosses to other nodes: the PUBLISH as its publisher sent it (options included, so that
   * exclusion and eligibility are judged on each node), the publication id this node gave it, and the publisher as
   * far as exclusion and disclosure need it.
   */
  record ClusterEvent(Publish publish, long publicationId, long publisher, String publisherAuthid,
      String publisherAuthrole) {}
}
