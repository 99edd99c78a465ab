package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.WampErrors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pub/sub for one realm.
 *
 * <p>Threading: the subscription table changes only on the realm's owner ({@link Realm}); publishing reads an
 * immutable snapshot of each matching subscription and takes no lock at all. Each publication is encoded once per
 * format for all its receivers.
 */
final class Broker {
  private final String realm;
  private final Cluster cluster;
  private final Counters counters;
  private final int maxSubscriptionsPerSession;
  private final SubscriptionTable<RouterSession> table;
  private TableEvents events = TableEvents.NONE;
  /** The retained event of each topic that has one; bounded by {@link #maxRetainedTopics}. */
  private final ConcurrentHashMap<String, Retained> retained = new ConcurrentHashMap<>();
  private final int maxRetainedTopics;

  /** A retained event, with what decides who may have it: its audience as it was published. */
  private record Retained(String topic, long publicationId, Audience audience, Map<String, Object> details,
      Payload payload) {}

  Broker(String realm, Cluster cluster, Ids.Sequence subscriptionIds, Counters counters,
      int maxSubscriptionsPerSession, int maxRetainedTopics) {
    this.realm = realm;
    this.cluster = cluster;
    this.table = new SubscriptionTable<>(subscriptionIds);
    this.counters = counters;
    this.maxSubscriptionsPerSession = maxSubscriptionsPerSession;
    this.maxRetainedTopics = maxRetainedTopics;
  }

  /**
   * Owner only: adds {@code session} to the subscription of ({@code topic}, {@code policy}) and returns its id, the
   * same if already in it.
   */
  long subscribe(RouterSession session, String topic, MatchPolicy policy) {
    Subscription<RouterSession> current = table.find(topic, policy);
    if (current != null && current.contains(session)) {
      return current.id();
    }
    if (session.subscriptions().size() >= maxSubscriptionsPerSession) {
      throw new RequestErrorException(WampErrors.NOT_AUTHORIZED, "a session may hold at most "
          + maxSubscriptionsPerSession + " subscriptions (limits.max-subscriptions-per-session)");
    }
    SubscriptionTable.Added<RouterSession> added = table.add(topic, policy, session);
    session.subscriptions().add(added.subscription().id());
    if (added.created()) {
      cluster.interest(realm, topic, policy, true);
      events.created(session, added.subscription());
    }
    events.added(session, added.subscription());
    if (!EntryMetaApi.quiet(topic)) {
      cluster.subscriber(realm, topic, policy, session.id(), true);
    }
    return added.subscription().id();
  }

  /** Owner only. */
  void unsubscribe(RouterSession session, long subscriptionId) {
    if (!session.subscriptions().remove(subscriptionId) || !remove(session, subscriptionId)) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_SUBSCRIPTION, "no subscription " + subscriptionId + " in this session");
    }
  }

  /** Owner only: the session leaves every subscription. */
  void removeSubscriptions(RouterSession session) {
    for (Long id : List.copyOf(session.subscriptions())) {
      session.subscriptions().remove(id);
      remove(session, id);
    }
  }

  private boolean remove(RouterSession session, long id) {
    SubscriptionTable.Removed<RouterSession> removed = table.remove(id, session);
    if (removed != null) {
      Subscription<RouterSession> s = removed.subscription();
      if (removed.deleted()) {
        cluster.interest(realm, s.pattern(), s.policy(), false);
      }
      if (!EntryMetaApi.quiet(s.pattern())) {
        cluster.subscriber(realm, s.pattern(), s.policy(), session.id(), false);
      }
      events.removed(session, removed.subscription(), removed.deleted());
    }
    return removed != null;
  }

  /** Owner only, at construction: who hears of every change to the table. */
  void tableEvents(TableEvents events) {
    this.events = events;
  }

  /** Read-only: the subscriptions as they are now, for the meta API and tests. */
  SubscriptionTable<RouterSession> table() {
    return table;
  }

  /**
   * Any thread (the publisher's; null for the router's own): delivers a publication to every matching subscription
   * and returns its id. "When a single event matches more than one of a Subscriber's subscriptions, the event will
   * be delivered for each subscription."
   */
  long publish(RouterSession publisher, Publish publish) {
    long publicationId = Ids.globalRandom();
    Delivery delivery = publisher == null
        // The router's own (keep-alive, meta events): every node publishes its own.
        ? new Delivery(0, null, null, publish, publicationId)
        : new Delivery(publisher.id(), publisher.authid(), publisher.authrole(), publish, publicationId);
    deliver(delivery);
    if (Boolean.TRUE.equals(publish.options().get("retain"))) {
      // Here only: another node's event to retain arrives once for that (retainRemote), whether or not it was also
      // delivered here.
      retain(publish, publicationId, delivery);
    }
    if (publisher != null && cluster != Cluster.NONE) {
      cluster.publish(realm, new Cluster.ClusterEvent(publish, publicationId, publisher.id(), publisher.authid(),
          publisher.authrole()));
    }
    return publicationId;
  }

  /**
   * The router's own publication that concerns every node's sessions (the session meta events): delivered here and
   * on the other nodes, as from no session.
   */
  long publishEverywhere(Publish publish) {
    long publicationId = publish(null, publish);
    if (cluster != Cluster.NONE) {
      cluster.publish(realm, new Cluster.ClusterEvent(publish, publicationId, 0, null, null));
    }
    return publicationId;
  }

  /**
   * Any thread (the cluster bus's): another node's publication, delivered to this node's subscribers as that node
   * delivered it to its own. The publisher's authorization was judged there, as each receiver's is judged here.
   */
  void publishRemote(Cluster.ClusterEvent event) {
    deliver(Delivery.of(event));
  }

  /** Any thread (the cluster bus's): another node's event to retain, kept here as if published here. */
  void retainRemote(Cluster.ClusterEvent event) {
    retain(event.publish(), event.publicationId(), Delivery.of(event));
  }

  private void deliver(Delivery delivery) {
    Publish publish = delivery.publish;
    table.forEachMatch(publish.topic(), delivery);
    counters.eventsDelivered.add(delivery.delivered);
  }

  /**
   * "Brokers that allow event retention on the given topic MUST set the topic Retained Event to this if it were
   * eligible to be published on the topic" (the publisher was authorized). A topic new past
   * {@code limits.max-retained-topics} keeps none: "A Broker MAY decline to provide event retention on certain
   * topics by ignoring the Publish.Options.retain value."
   */
  private void retain(Publish publish, long publicationId, Delivery delivery) {
    Retained event = new Retained(publish.topic(), publicationId, delivery.audience, delivery.disclosed,
        publish.payload());
    if (retained.size() < maxRetainedTopics || retained.containsKey(publish.topic())) {
      retained.put(publish.topic(), event);
    }
  }

  /**
   * SUBSCRIBE {@code get_retained}: "the Broker MUST send the Subscriber the most recent Retained Event that they would
   * have received if they were subscribing when it was published", and "MUST NOT send the Subscriber a Retained Event
   * that they would not be eligible to receive". With a pattern, every retained topic it matches, each authorized as
   * an event is. Sent after SUBSCRIBED, on the subscriber's thread.
   */
  void sendRetained(RouterSession subscriber, long subscriptionId, String pattern, MatchPolicy policy) {
    if (policy == MatchPolicy.EXACT) {
      Retained event = retained.get(pattern);
      if (event != null) {
        sendRetained(subscriber, subscriptionId, event, false);
      }
      return;
    }
    for (Retained event : retained.values()) {
      if (policy.matches(pattern, event.topic()) && subscriber.mayReceive(event.topic())) {
        sendRetained(subscriber, subscriptionId, event, true);
      }
    }
  }

  private void sendRetained(RouterSession subscriber, long subscriptionId, Retained event, boolean pattern) {
    if (!event.audience().includes(subscriber)) {
      return;
    }
    Map<String, Object> details = new HashMap<>(event.details());
    // "The Retained Event, as sent to the subscribing client, MUST have Event.Details.retained|bool set to true"
    details.put("retained", true);
    if (pattern) {
      details.put("topic", event.topic());
    }
    subscriber.deliver(new Publication(event.topic(), subscriptionId, event.publicationId(), details,
        event.payload()));
  }


  /** One publication on its way to each matching subscription: one EVENT, encoded once per format, per subscription. */
  private static final class Delivery implements java.util.function.Consumer<Subscription<RouterSession>> {
    final Publish publish;
    final Audience audience;
    final Map<String, Object> disclosed;
    final long publicationId;
    int delivered;

    /** @param publisher the publisher's session id, 0 for the router's own publication (then authid and role null) */
    Delivery(long publisher, String authid, String authrole, Publish publish, long publicationId) {
      this.publish = publish;
      this.publicationId = publicationId;
      Map<String, Object> options = publish.options();
      this.audience = Audience.of(publisher, options);
      Map<String, Object> details = Map.of();
      if (publisher != 0 && Boolean.TRUE.equals(options.get("disclose_me"))) {
        details = new HashMap<>(4);
        details.put("publisher", publisher);
        details.put("publisher_authid", authid);
        details.put("publisher_authrole", authrole);
      }
      this.disclosed = details;
    }

    /** Another node's publication, with its publisher as that node knows it. */
    static Delivery of(Cluster.ClusterEvent event) {
      return new Delivery(event.publisher(), event.publisherAuthid(), event.publisherAuthrole(), event.publish(),
          event.publicationId());
    }

    @Override
    public void accept(Subscription<RouterSession> sub) {
      Map<String, Object> details = disclosed;
      boolean pattern = sub.policy() != MatchPolicy.EXACT;
      if (pattern) {
        // "If a subscription was established with a pattern-based matching policy, a Broker MUST supply the original
        // PUBLISH.Topic as provided by the Publisher in EVENT.Details.topic|uri to the Subscribers."
        details = new HashMap<>(disclosed);
        details.put("topic", publish.topic());
      }
      Publication publication = new Publication(publish.topic(), sub.id(), publicationId, details, publish.payload());
      for (int i = 0, n = sub.size(); i < n; i++) {
        RouterSession receiver = sub.member(i);
        if (audience.includes(receiver) && (!pattern || receiver.mayReceive(publish.topic()))
            && receiver.deliver(publication)) {
          delivered++;
        }
      }
    }
  }
}
