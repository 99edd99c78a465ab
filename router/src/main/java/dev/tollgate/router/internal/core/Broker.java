package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Ids;
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
  private final Ids.Sequence subscriptionIds;
  private final Counters counters;
  private final int maxSubscriptionsPerSession;
  private final ConcurrentHashMap<String, Subscription> byTopic = new ConcurrentHashMap<>();
  private final HashMap<Long, Subscription> byId = new HashMap<>();

  Broker(Ids.Sequence subscriptionIds, Counters counters, int maxSubscriptionsPerSession) {
    this.subscriptionIds = subscriptionIds;
    this.counters = counters;
    this.maxSubscriptionsPerSession = maxSubscriptionsPerSession;
  }

  /** Owner only: adds {@code session} to the topic's subscription and returns its id, the same if already in it. */
  long subscribe(RouterSession session, String topic) {
    Subscription current = byTopic.get(topic);
    if (current != null && current.contains(session)) {
      return current.id;
    }
    if (session.subscriptions().size() >= maxSubscriptionsPerSession) {
      throw new RequestErrorException(WampErrors.NOT_AUTHORIZED, "a session may hold at most "
          + maxSubscriptionsPerSession + " subscriptions (limits.max-subscriptions-per-session)");
    }
    Subscription next = (current == null ? new Subscription(subscriptionIds.next(), topic) : current).with(session);
    byTopic.put(topic, next);
    byId.put(next.id, next);
    session.subscriptions().add(next.id);
    return next.id;
  }

  /** Owner only. */
  void unsubscribe(RouterSession session, long subscriptionId) {
    if (!session.subscriptions().contains(subscriptionId) || !remove(session, subscriptionId)) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_SUBSCRIPTION, "no subscription " + subscriptionId + " in this session");
    }
  }

  /** Owner only: takes the session out of one subscription; false if it was not in it. */
  private boolean remove(RouterSession session, long subscriptionId) {
    session.subscriptions().remove(subscriptionId);
    Subscription current = byId.get(subscriptionId);
    if (current == null) {
      return false;
    }
    Subscription next = current.without(session);
    if (next == current) {
      return false;
    }
    if (next == null) {
      byTopic.remove(current.topic);
      byId.remove(subscriptionId);
    } else {
      byTopic.put(current.topic, next);
      byId.put(subscriptionId, next);
    }
    return true;
  }

  /** Owner only: the session leaves every subscription. */
  void removeSubscriptions(RouterSession session) {
    for (Long id : List.copyOf(session.subscriptions())) {
      remove(session, id);
    }
  }

  /** Any thread (the publisher's; null for the router's own): delivers a publication and returns its id. */
  long publish(RouterSession publisher, Publish publish) {
    long publicationId = Ids.globalRandom();
    Subscription sub = byTopic.get(publish.topic());
    if (sub == null) {
      return publicationId;
    }
    Map<String, Object> options = publish.options();
    Audience audience = Audience.of(publisher, options);
    Map<String, Object> details = Map.of();
    if (publisher != null && Boolean.TRUE.equals(options.get("disclose_me"))) {
      Map<String, Object> d = new HashMap<>(4);
      d.put("publisher", publisher.id());
      d.put("publisher_authid", publisher.authid());
      d.put("publisher_authrole", publisher.authrole());
      details = d;
    }
    Publication publication = new Publication(publish.topic(), sub.id, publicationId, details, publish.payload());
    int delivered = 0;
    for (RouterSession receiver : sub.subscribers) {
      if (audience.includes(receiver) && receiver.deliver(publication)) {
        delivered++;
      }
    }
    counters.eventsDelivered.add(delivered);
    return publicationId;
  }
}
