package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.MatchPolicy;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the subscription and registration tables share: one immutable entry per (pattern, match policy), found by
 * pattern through a {@link PatternIndex} and by id through a map, replaced whole on every change, with ids from the
 * router scope that are never reused while an entry lives.
 *
 * <p>Threading: writes ({@link #write}) are the realm's owner's, one at a time (a {@link SingleWriter} catches an
 * overlapping one); every read may run on any thread without a lock and sees each entry as one whole snapshot.
 * Lookups by id and by pattern are separate maps, so during a change one may already show the new snapshot while the
 * other still shows the old.
 *
 * @param <E> the entry: a subscription or a registration
 * @param <S> its members, sessions in the router; compared by identity
 */
abstract class PatternTable<E extends PatternTable.Entry<E, S>, S> {

  /** An immutable entry of a table. */
  interface Entry<E, S> {
    long id();

    String pattern();

    MatchPolicy policy();

    /** How many members it has; at least 1, since an entry ends with its last member. */
    int size();

    /** Its members (subscribers or callees) in the order they joined; unmodifiable. */
    List<S> members();

    /** This entry without {@code member}: the same entry if it is not a member, null if it was the last one. */
    E without(S member);
  }

  private final Ids.Sequence ids;
  private final SingleWriter writer;
  final PatternIndex<E> byPattern = new PatternIndex<>();
  private final ConcurrentHashMap<Long, E> byId = new ConcurrentHashMap<>();

  PatternTable(Ids.Sequence ids, String name) {
    this.ids = Objects.requireNonNull(ids, "ids");
    this.writer = new SingleWriter(name);
  }

  /** Runs one change of the table: owner only. */
  final <T> T write(Supplier<T> change) {
    writer.enter();
    try {
      return change.get();
    } finally {
      writer.exit();
    }
  }

  /** Owner only, within {@link #write}: puts a new or changed entry, by id first, so that whoever finds it by
   * pattern can then also find it by id. */
  final E put(E entry) {
    byId.put(entry.id(), entry);
    byPattern.put(entry.pattern(), entry.policy(), entry);
    return entry;
  }

  /**
   * Owner only, within {@link #write}: takes {@code member} out of entry {@code id}, which ends with its last member.
   * Returns the entry as it was, or null when there is no such entry or the member is not in it.
   */
  final E removeMember(long id, S member) {
    E current = byId.get(id);
    if (current == null) {
      return null;
    }
    E next = current.without(member);
    if (next == current) {
      return null;
    }
    if (next == null) {
      // from the pattern index first, so that nothing found by pattern can no longer be found by id
      byPattern.remove(current.pattern(), current.policy());
      byId.remove(id);
    } else {
      put(next);
    }
    return current;
  }

  /** An id no live entry has: the router's sequence wraps after 2^53 ids, and an entry may outlive that. */
  final long freshId() {
    long id = ids.next();
    while (byId.containsKey(id)) {
      id = ids.next();
    }
    return id;
  }

  /** The entry with this id, or null. */
  public final E byId(long id) {
    return byId.get(id);
  }

  /** The entry of exactly this (pattern, policy), or null. */
  public final E find(String pattern, MatchPolicy policy) {
    return byPattern.get(pattern, policy);
  }

  /** The number of entries (not of members). */
  public final int size() {
    return byId.size();
  }

  /** A read-only live view of all entries, each as the snapshot current when iterated. */
  public final Collection<E> all() {
    return Collections.unmodifiableCollection(byId.values());
  }
}
