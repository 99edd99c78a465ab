package dev.tollgate.auth;

import java.util.List;

/**
 * The authorization rules in Tollgate's database ({@link Database#rules()}). Every change bumps the database's
 * revision, which routers poll to re-read the rules. Thread-safe; every call reads or writes the database afresh.
 */
public interface RuleStore {

  /** Stores {@code rule} (its id is ignored) and returns it with the id it was given. */
  Rule add(Rule rule);

  /** Removes the rule with this id; false if there is none. */
  boolean remove(long id);

  /** Every rule, in the order they were added. */
  List<Rule> list();

  /**
   * Adds the rules of preset {@code name} ({@link Rule#preset}) once per database: the first call of any preset
   * loads it and remembers that it did, so that rules an operator removed later do not come back. Returns whether it
   * loaded them now.
   */
  boolean loadPresetOnce(String name);
}
