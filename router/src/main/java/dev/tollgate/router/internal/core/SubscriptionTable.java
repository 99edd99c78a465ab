package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.MatchPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The subscriptions of one realm: who receives what is published to a topic, by exact, prefix and wildcard
 * patterns (Advanced Profile, pattern-based subscription).
 *
 * <p>"Every subscription instance, based on a topic URI and some options, has a unique ID. All subscribers of the
 * same subscription are given the same subscription ID." So there is one {@link Subscription} per (pattern, match
 * policy), shared by its members; the same pattern under another policy is another subscription with another id.
 * "A given event [...] will match one or more subscriptions: zero or one exact subscription, zero or more prefix
 * subscriptions, zero or more wildcard subscriptions", and {@link #forEachMatch} finds them all without scanning the
 * patterns (see {@link PatternIndex}).
 *
 * <p>Threading: the mutating methods, {@link #add} and {@link #remove}, are for the realm's owner only, one at a time,
 * under the realm's lock; an overlapping second writer is refused with a
 * {@link java.util.ConcurrentModificationException} when caught. Every other method may run on any thread at any
 * time, takes no lock, and sees each subscription as one whole {@link Subscription} snapshot, before or after a
 * change. Lookups by id and by topic are separate maps, so during a change one may already show the new snapshot
 * while the other still shows the old.
 *
 * <p>Lifecycle: a subscription is created by the first {@link #add} of its (pattern, policy) and ends with its last
 * member's {@link #remove}; its id is then gone for good, and a later add of the same (pattern, policy) makes a new
 * one.
 *
 * @param <S> the member type, a session in the router; compared by identity
 */
public final class SubscriptionTable<S> extends PatternTable<Subscription<S>, S> {

  /**
   * What {@link #add} did: {@code subscription} is the snapshot after it; {@code created} when a new subscription
   * (and id) was made; {@code alreadyMember} when the member was in it already and nothing changed.
   */
  public record Added<S>(Subscription<S> subscription, boolean created, boolean alreadyMember) {}

  /**
   * What {@link #remove} did: {@code subscription} is the snapshot as it was, with the member; {@code deleted} when
   * that member was the last one, so the subscription and its id are gone.
   */
  public record Removed<S>(Subscription<S> subscription, boolean deleted) {}

  /** A table drawing subscription ids from {@code ids}, the router scope's sequence. */
  public SubscriptionTable(Ids.Sequence ids) {
    super(ids, "subscription table");
  }

  /**
   * Subscribes {@code member} to (pattern, policy): joins the subscription there, or creates it with a new id.
   * Owner only.
   */
  public Added<S> add(String pattern, MatchPolicy policy, S member) {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(member, "member");
    return write(() -> {
      Subscription<S> current = byPattern.get(pattern, policy);
      if (current == null) {
        return new Added<>(put(new Subscription<>(freshId(), pattern, policy, member)), true, false);
      }
      if (current.contains(member)) {
        return new Added<>(current, false, true);
      }
      return new Added<>(put(current.with(member)), false, false);
    });
  }

  /**
   * Unsubscribes {@code member} from subscription {@code subscriptionId}; null when there is no such subscription or
   * the member is not in it. Owner only.
   */
  public Removed<S> remove(long subscriptionId, S member) {
    return write(() -> {
      Subscription<S> was = removeMember(subscriptionId, member);
      return was == null ? null : new Removed<>(was, was.size() == 1);
    });
  }

  /**
   * Calls {@code action} once with every subscription a publication to {@code topic} goes to: "The same published
   * event is then forwarded to subscribers for every matching subscription. Thus, a given event might be sent
   * multiple times to the same client under different subscriptions." The exact one comes first, then the prefix
   * ones from the shortest, then the wildcard ones. With only exact subscriptions in the table this is one map lookup
   * and allocates nothing.
   */
  public void forEachMatch(String topic, Consumer<? super Subscription<S>> action) {
    byPattern.forEachMatch(topic, action);
  }

  /** {@link #forEachMatch}, returning the number of trie nodes visited: for tests of its cost. */
  int visitMatches(String topic, Consumer<? super Subscription<S>> action) {
    return byPattern.visitMatches(topic, action);
  }

  /** The subscriptions matching {@code topic}, in {@link #forEachMatch}'s order, in a new list. */
  public List<Subscription<S>> matching(String topic) {
    List<Subscription<S>> found = new ArrayList<>(4);
    byPattern.forEachMatch(topic, found::add);
    return found;
  }
}
