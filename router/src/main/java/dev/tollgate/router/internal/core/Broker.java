package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.WampErrors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pub/sub for one realm.
 *
 * <p>Threading: the subscription table changes only on the realm's owner ({@link Realm}); publishing reads an
 * immutable snapshot of each matching subscription and takes no lock at all. Each publication is encoded once per
 * format for all its receivers.
 */
final class Broker {
  private final Counters counters;
  private final int maxSubscriptionsPerSession;
  private final SubscriptionTable<RouterSession> table;
  private TableEvents events = TableEvents.NONE;

  Broker(Ids.Sequence subscriptionIds, Counters counters, int maxSubscriptionsPerSession) {
    this.table = new SubscriptionTable<>(subscriptionIds);
    this.counters = counters;
    this.maxSubscriptionsPerSession = maxSubscriptionsPerSession;
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
      events.created(session, added.subscription());
    }
    events.added(session, added.subscription());
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
    Delivery delivery = new Delivery(publisher, publish, publicationId);
    table.forEachMatch(publish.topic(), delivery);
    counters.eventsDelivered.add(delivery.delivered);
    return publicationId;
  }

  /** One publication on its way to each matching subscription: one EVENT, encoded once per format, per subscription. */
  private static final class Delivery implements java.util.function.Consumer<Subscription<RouterSession>> {
    private final Publish publish;
    private final Audience audience;
    private final Map<String, Object> disclosed;
    private final long publicationId;
    int delivered;

    Delivery(RouterSession publisher, Publish publish, long publicationId) {
      this.publish = publish;
      this.publicationId = publicationId;
      Map<String, Object> options = publish.options();
      this.audience = Audience.of(publisher, options);
      Map<String, Object> details = Map.of();
      if (publisher != null && Boolean.TRUE.equals(options.get("disclose_me"))) {
        details = new HashMap<>(4);
        details.put("publisher", publisher.id());
        details.put("publisher_authid", publisher.authid());
        details.put("publisher_authrole", publisher.authrole());
      }
      this.disclosed = details;
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
