package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.WampMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    @Override
    public CompletionStage<String> reserve(String realm, String procedure, MatchPolicy match, InvocationPolicy invoke,
        long session) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void release(String realm, String procedure, MatchPolicy match, long session) {}

    @Override
    public void registered(String realm, RemoteRegistration registration) {}

    @Override
    public void unregistered(String realm, long session, long registrationId) {}

    @Override
    public void send(long node, String realm, long callee, WampMessage message) {}
  };

  /**
   * This node's number among the live nodes, 1 to 1023, the top bits of its session ids (so that they are unique in
   * the cluster); 0 for a node alone.
   */
  default int nodeNumber() {
    return 0;
  }

  /** Owner only: a session of this node joined (its meta API details) or left: the other nodes count it. */
  default void joined(String realm, Map<String, Object> details) {}

  default void left(String realm, long session) {}

  /**
   * The sessions of the other nodes in {@code realm}, as their nodes told them ({@code wamp.session.get}'s details);
   * for the meta API, on its thread, which may wait for Redis.
   */
  default List<Map<String, Object>> otherSessions(String realm) {
    return List.of();
  }

  /**
   * Owner only (the realm's lock is held): a session of this node joined ({@code subscribed}) or left the
   * subscription to ({@code pattern}, {@code policy}); the meta API of every node counts it.
   */
  default void subscriber(String realm, String pattern, MatchPolicy policy, long session, boolean subscribed) {}

  /** The other nodes' sessions subscribed to ({@code pattern}, {@code policy}); meta API thread, may wait for Redis. */
  default List<Long> otherSubscribers(String realm, String pattern, MatchPolicy policy) {
    return List.of();
  }

  /** Asks the node of {@code session} to end it with GOODBYE; false when no other node has it. Meta API thread. */
  default boolean kill(String realm, long session, String reason, String message) {
    return false;
  }

  /**
   * Owner only (the realm's lock is held): the realm's subscription table gained its first subscription to
   * ({@code pattern}, {@code policy}), or lost its last one. A node hears of other nodes' publications only while it
   * has a subscription they may match.
   */
  void interest(String realm, String pattern, MatchPolicy policy, boolean interested);

  /**
   * A session of this node published: the other nodes deliver it to their own subscribers. An event to retain is kept
   * by every node (not only those with subscribers now), and a node that starts later finds it.
   */
  void publish(String realm, ClusterEvent event);

  /**
   * Before a session of this node registers ({@code procedure}, {@code match}): the procedure is reserved for it in
   * the whole cluster, atomically, so that a {@code single} registration is unique across nodes and shared ones agree
   * on their policy. Completes with null when granted, with the WAMP error URI that refuses it, or exceptionally when
   * the other nodes cannot be asked.
   */
  CompletionStage<String> reserve(String realm, String procedure, MatchPolicy match, InvocationPolicy invoke,
      long session);

  /** A reservation that did not become a registration, or a registration that ended, is given back. */
  void release(String realm, String procedure, MatchPolicy match, long session);

  /** Owner only: a session of this node made a registration: the other nodes route calls to it. */
  void registered(String realm, RemoteRegistration registration);

  /** Owner only: a registration of a session of this node ended. */
  void unregistered(String realm, long session, long registrationId);

  /**
   * A message between the stand-ins of a call's two ends: an INVOCATION or INTERRUPT for {@code callee}, a session of
   * {@code node}, or a RESULT or ERROR for a call a session of {@code node} routed to {@code callee} here.
   */
  void send(long node, String realm, long callee, WampMessage message);

  /**
   * A registration as other nodes learn of it: who registered (enough to judge and drive it: its identity and what
   * its HELLO announced) and what.
   */
  record RemoteRegistration(long session, String authid, List<String> roles, boolean cancels, boolean progress,
      boolean streams, long registrationId, String procedure, MatchPolicy match, InvocationPolicy invoke,
      boolean forwardTimeout) {}

  /**
   * A publication as it crosses to other nodes: the PUBLISH as its publisher sent it (options included, so that
   * exclusion and eligibility are judged on each node), the publication id this node gave it, and the publisher as
   * far as exclusion and disclosure need it.
   */
  record ClusterEvent(Publish publish, long publicationId, long publisher, String publisherAuthid,
      String publisherAuthrole) {}
}
