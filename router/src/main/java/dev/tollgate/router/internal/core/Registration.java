package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.MatchPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One registration: a procedure, or a procedure pattern under one match policy, its router-scope id, its invocation
 * policy, and the callees that provide it, in the order they registered.
 *
 * <p>Immutable but for the round-robin turn, so any thread may read it and {@link #pick} from it without a lock: a
 * change makes a new snapshot with the same id, which the {@link RegistrationTable} publishes in place of this one.
 * All snapshots of one registration share one turn counter, so that a callee joining or leaving does not restart the
 * rotation. Callees are compared by identity ({@code ==}), because they are sessions.
 *
 * @param <S> the callee type, a session in the router
 */
public final class Registration<S> implements PatternTable.Entry<Registration<S>, S> {
  private final long id;
  private final String pattern;
  private final MatchPolicy policy;
  private final InvocationPolicy invocation;
  /** Immutable, never empty. */
  private final List<S> callees;
  /** Shared by every snapshot of this registration; only {@link InvocationPolicy#ROUNDROBIN} moves it. */
  private final AtomicLong turn;

  Registration(long id, String pattern, MatchPolicy policy, InvocationPolicy invocation, S first) {
    this(id, pattern, policy, invocation, List.of(first), new AtomicLong());
  }

  private Registration(
      long id, String pattern, MatchPolicy policy, InvocationPolicy invocation, List<S> callees, AtomicLong turn) {
    this.id = id;
    this.pattern = pattern;
    this.policy = policy;
    this.invocation = invocation;
    this.callees = callees;
    this.turn = turn;
  }

  /** The registration id, the same in every snapshot of this registration. */
  @Override
  public long id() {
    return id;
  }

  /** The procedure, or the procedure pattern for a prefix or wildcard registration, as the REGISTER gave it. */
  @Override
  public String pattern() {
    return pattern;
  }

  @Override
  public MatchPolicy policy() {
    return policy;
  }

  public InvocationPolicy invocation() {
    return invocation;
  }

  @Override
  public int size() {
    return callees.size();
  }

  /** The callees in the order they registered; unmodifiable, at least one. */
  @Override
  public List<S> members() {
    return callees;
  }

  /** Whether {@code callee} (this very object) is one of the callees. */
  public boolean contains(S callee) {
    return indexOf(callee) >= 0;
  }

  /**
   * The callee this call goes to, by the invocation policy. The spec: "For 'roundrobin', callees are picked
   * subsequently from the list of registrations (ordered by the order of registration), with the picking looping
   * back to the beginning of the list once the end has been reached. For 'random' a callee is picked randomly from
   * the list of registrations for each call." And for hot standby: "the first respectively last callee on the
   * current list of registrations (ordered by the order of registration) is called."
   */
  public S pick() {
    int n = callees.size();
    return switch (invocation) {
      case SINGLE, FIRST -> callees.get(0);
      case LAST -> callees.get(n - 1);
      // the turn counts calls, not positions, so a shorter or longer list still loops over all its callees
      case ROUNDROBIN -> callees.get((int) Math.floorMod(turn.getAndIncrement(), (long) n));
      case RANDOM -> callees.get(ThreadLocalRandom.current().nextInt(n));
    };
  }

  /** This registration with {@code callee} added last, sharing its turn; this same snapshot if it is a callee. */
  public Registration<S> with(S callee) {
    if (callee == null) {
      throw new NullPointerException("callee");
    }
    if (contains(callee)) {
      return this;
    }
    List<S> more = new ArrayList<>(callees.size() + 1);
    more.addAll(callees);
    more.add(callee);
    return new Registration<>(id, pattern, policy, invocation, List.copyOf(more), turn);
  }

  /**
   * This registration without {@code callee}: null when none would be left, this same snapshot when it was not a
   * callee. The others keep their order and the turn.
   */
  @Override
  public Registration<S> without(S callee) {
    int at = indexOf(callee);
    if (at < 0) {
      return this;
    }
    if (callees.size() == 1) {
      return null;
    }
    List<S> fewer = new ArrayList<>(callees);
    fewer.remove(at);
    return new Registration<>(id, pattern, policy, invocation, List.copyOf(fewer), turn);
  }

  private int indexOf(Object callee) {
    for (int i = 0; i < callees.size(); i++) {
      if (callees.get(i) == callee) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "Registration " + id + " '" + pattern + "' (" + policy.wireName() + ", " + invocation.wireName() + ", "
        + callees.size() + " callees)";
  }
}
