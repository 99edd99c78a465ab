package dev.tollgate.router.internal.core;

import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Catches a broken promise of the tables: their writers are the realm's single owner, one at a time, because the
 * tries change in several steps that only readers are safe against. The tables cannot see the realm's lock, so this
 * marks each write and refuses a second one that starts while the first is under way. It detects what overlaps, it
 * does not serialize: writes that take turns correctly pass, and so may two unsynchronized ones that happen not to
 * overlap. One compare-and-set per write, which is small beside the write's own allocations.
 *
 * <p>Usage: {@code writer.enter(); try { ... } finally { writer.exit(); }}.
 */
final class SingleWriter {
  private final String table;
  private final AtomicReference<Thread> writing = new AtomicReference<>();

  SingleWriter(String table) {
    this.table = table;
  }

  /** Marks the calling thread as writing; throws if another write is under way. */
  void enter() {
    Thread me = Thread.currentThread();
    if (!writing.compareAndSet(null, me)) {
      Thread other = writing.get();
      throw new ConcurrentModificationException("the " + table + " is written by " + me.getName() + " while "
          + (other == null ? "another thread" : other.getName())
          + " writes it; only the realm's owner may write, under the realm's lock");
    }
  }

  void exit() {
    writing.set(null);
  }
}
