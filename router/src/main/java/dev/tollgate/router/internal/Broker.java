package dev.tollgate.router.internal;

import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.WampErrors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pub/sub for one realm. Subscribing changes the table one topic at a time (a per-topic atomic update, no lock over
 * the table); publishing reads an immutable snapshot of one topic's subscribers and takes no lock at all. Each
 * publication is encoded once per serializer for all its receivers.
 */
final class Broker {
  private final Ids.Sequence subscriptionIds;
  private final Counters counters;
  private final int maxSubscriptionsPerSession;
  private final ConcurrentHashMap<String, Subscription> byTopic = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Subscription> byId = new ConcurrentHashMap<>();

  Broker(Ids.Sequence subscriptionIds, Counters counters, int maxSubscriptionsPerSession) {
    this.subscriptionIds = subscriptionIds;
    this.counters = counters;
    this.maxSubscriptionsPerSession = maxSubscriptionsPerSession;
  }

  /** Adds {@code session} to the topic's subscription and returns its id; the same id if already subscribed. */
  long subscribe(RouterSession session, String topic) {
    if (session.subscriptions.size() >= maxSubscriptionsPerSession) {
      Subscription existing = byTopic.get(topic);
      if (existing == null || !existing.contains(session)) {
        throw new RequestErrorException(WampErrors.NOT_AUTHORIZED, "a session may hold at most "
            + maxSubscriptionsPerSession + " subscriptions (limits.max-subscriptions-per-session)");
      }
    }
    Subscription updated = byTopic.compute(topic, (t, current) -> {
      Subscription base = current;
      if (base == null) {
        base = new Subscription(subscriptionIds.next(), t);
      }
      Subscription next = base.with(session);
      byId.put(next.id, next);
      return next;
    });
    session.subscriptions.add(updated.id);
    if (session.isGone()) {
      // The session left while we added it: take it out again so no dead receiver stays in the table.
      remove(session, updated.id);
    }
    return updated.id;
  }

  void unsubscribe(RouterSession session, long subscriptionId) {
    if (!session.subscriptions.contains(subscriptionId) || !remove(session, subscriptionId)) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_SUBSCRIPTION, "no subscription " + subscriptionId + " in this session");
    }
  }

  /** Takes the session out of one subscription; false if it was not in it. */
  private boolean remove(RouterSession session, long subscriptionId) {
    session.subscriptions.remove(subscriptionId);
    Subscription sub = byId.get(subscriptionId);
    if (sub == null) {
      return false;
    }
    boolean[] removed = new boolean[1];
    byTopic.computeIfPresent(sub.topic, (t, current) -> {
      if (current.id != subscriptionId) {
        return current;
      }
      Subscription next = current.without(session);
      removed[0] = next != current;
      if (next == null) {
        byId.remove(subscriptionId);
      } else {
        byId.put(subscriptionId, next);
      }
      return next;
    });
    return removed[0];
  }

  void removeSession(RouterSession session) {
    for (Long id : List.copyOf(session.subscriptions)) {
      remove(session, id);
    }
  }

  /** Delivers a publication and returns its id. Runs on the publisher's thread. */
  long publish(RouterSession publisher, Publish publish) {
    long publicationId = Ids.globalRandom();
    Subscription sub = byTopic.get(publish.topic());
    if (sub == null) {
      return publicationId;
    }
    Map<String, Object> options = publish.options();
    Audience audience = Audience.of(publisher, options);
    Map<String, Object> details = Map.of();
    if (Boolean.TRUE.equals(options.get("disclose_me"))) {
      Map<String, Object> d = new HashMap<>(4);
      d.put("publisher", publisher.id());
      d.put("publisher_authid", publisher.authid());
      d.put("publisher_authrole", publisher.authrole());
      details = d;
    }
    Publication publication = new Publication(publish.topic(), sub.id, publicationId, details, publish.payload());
    int delivered = 0;
    for (RouterSession receiver : sub.subscribers) {
      if (audience.includes(receiver) && !receiver.isGone()) {
        Connection c = receiver.connection();
        c.sendFrame(publication.frame(c.format()));
        delivered++;
      }
    }
    counters.eventsDelivered.add(delivered);
    return publicationId;
  }

  int subscriptionCount() {
    return byId.size();
  }
}
