package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.MatchPolicy;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * One subscription: a topic pattern under one match policy, its router-scope id, and the members subscribed to it.
 *
 * <p>Immutable, so any thread may read it without a lock: a change makes a new snapshot with the same id, which the
 * {@link SubscriptionTable} publishes in place of this one. A publisher that got this snapshot delivers to exactly
 * these members, even if one unsubscribes meanwhile. Members are compared by identity ({@code ==}), because they are
 * sessions: two sessions are never the same subscriber, whatever their {@code equals} says.
 *
 * @param <S> the member type, a session in the router
 */
public final class Subscription<S> implements PatternTable.Entry<Subscription<S>, S> {
  private final long id;
  private final String pattern;
  private final MatchPolicy policy;
  /** Never modified after construction; holds only {@code S}, never null. */
  private final Object[] members;

  Subscription(long id, String pattern, MatchPolicy policy, S first) {
    this(id, pattern, policy, new Object[] {first});
  }

  private Subscription(long id, String pattern, MatchPolicy policy, Object[] members) {
    this.id = id;
    this.pattern = pattern;
    this.policy = policy;
    this.members = members;
  }

  /** The subscription id, shared by all members, the same in every snapshot of this subscription. */
  @Override
  public long id() {
    return id;
  }

  /** The topic, or the topic pattern for a prefix or wildcard subscription, as the SUBSCRIBE gave it. */
  @Override
  public String pattern() {
    return pattern;
  }

  @Override
  public MatchPolicy policy() {
    return policy;
  }

  /** The number of members; at least 1, since a subscription ends with its last member. */
  @Override
  public int size() {
    return members.length;
  }

  /**
   * The member at {@code index}, in the order they subscribed. With {@link #size()} this is the hot path of a
   * publication: it iterates a thousand subscribers without allocating, and without handing out the array.
   */
  @SuppressWarnings("unchecked")
  public S member(int index) {
    return (S) members[index];
  }

  /** The members in the order they subscribed, as an unmodifiable view of this snapshot. */
  @Override
  public List<S> members() {
    return new Members<>(members);
  }

  /** Whether {@code member} (this very object) is subscribed. */
  public boolean contains(S member) {
    return indexOf(member) >= 0;
  }

  /** This subscription with {@code member} added last; this same snapshot if it is a member already. */
  public Subscription<S> with(S member) {
    if (member == null) {
      throw new NullPointerException("member");
    }
    if (contains(member)) {
      return this;
    }
    Object[] more = Arrays.copyOf(members, members.length + 1);
    more[members.length] = member;
    return new Subscription<>(id, pattern, policy, more);
  }

  /**
   * This subscription without {@code member}: null when nobody would be left, this same snapshot when it was not a
   * member. The others keep their order.
   */
  @Override
  public Subscription<S> without(S member) {
    int at = indexOf(member);
    if (at < 0) {
      return this;
    }
    if (members.length == 1) {
      return null;
    }
    Object[] fewer = new Object[members.length - 1];
    System.arraycopy(members, 0, fewer, 0, at);
    System.arraycopy(members, at + 1, fewer, at, members.length - at - 1);
    return new Subscription<>(id, pattern, policy, fewer);
  }

  private int indexOf(Object member) {
    for (int i = 0; i < members.length; i++) {
      if (members[i] == member) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "Subscription " + id + " '" + pattern + "' (" + policy.wireName() + ", " + members.length + " members)";
  }

  /** A read-only list over a snapshot's array; the array never changes, so the view never does either. */
  private static final class Members<S> extends AbstractList<S> implements RandomAccess {
    private final Object[] members;

    Members(Object[] members) {
      this.members = members;
    }

    @Override
    @SuppressWarnings("unchecked")
    public S get(int index) {
      return (S) members[index];
    }

    @Override
    public int size() {
      return members.length;
    }
  }
}
