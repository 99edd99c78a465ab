package dev.tollgate.router.internal.core;

/**
 * Told of every change to a subscription or registration table, on the realm's owner, after the change: the meta
 * API's events hang on it. Must not block (the meta API hands each event to its own thread).
 */
interface TableEvents {
  TableEvents NONE = new TableEvents() {};

  /** {@code session} made a new entry (a subscription or registration), before it is told of its joining. */
  default void created(RouterSession session, PatternTable.Entry<?, ?> entry) {}

  /** {@code session} joined entry {@code id}. */
  default void added(RouterSession session, PatternTable.Entry<?, ?> entry) {}

  /** {@code session} left entry {@code id}; {@code deleted} when it was the last, and the entry is gone. */
  default void removed(RouterSession session, PatternTable.Entry<?, ?> entry, boolean deleted) {}
}
