package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.MatchPolicy;
import java.util.Objects;

/**
 * The registrations of one realm: which callees provide a procedure, by exact, prefix and wildcard patterns
 * (Advanced Profile, pattern-based and shared registration).
 *
 * <p>There is one {@link Registration} per (pattern, match policy); the same pattern under another match policy is
 * another registration, with its own id and callees. A single registration has one callee; a shared one (any other
 * invocation policy) has one or more, all under its id. A call goes to one registration, the best match by the
 * spec's order (see {@link #match}), found without scanning the patterns (see {@link PatternIndex}).
 *
 * <p>Threading: the mutating methods, {@link #add} and {@link #remove}, are for the realm's owner only, one at a time,
 * under the realm's lock; an overlapping second writer is refused with a
 * {@link java.util.ConcurrentModificationException} when caught. Every other method may run on any thread at any
 * time, takes no lock, and sees each registration as one whole {@link Registration} snapshot, before or after a
 * change. Lookups by id and by procedure are separate maps, so during a change one may already show the new
 * snapshot while the other still shows the old.
 *
 * <p>Lifecycle: a registration is created by the first {@link #add} of its (pattern, policy) and ends with its last
 * callee's {@link #remove}; its id is then gone for good, and a later add makes a new one.
 *
 * @param <S> the callee type, a session in the router; compared by identity
 */
public final class RegistrationTable<S> extends PatternTable<Registration<S>, S> {

  /**
   * What {@link #remove} did: {@code registration} is the snapshot as it was, with the callee; {@code deleted} when
   * that callee was the last one, so the registration and its id are gone.
   */
  public record Removed<S>(Registration<S> registration, boolean deleted) {}

  /** A table drawing registration ids from {@code ids}, the router scope's sequence. */
  public RegistrationTable(Ids.Sequence ids) {
    super(ids, "registration table");
  }

  /**
   * Registers {@code callee} for (procedure, policy) and returns the registration after the change: a new one with
   * this callee alone, or the shared one there with this callee added last. Owner only.
   *
   * @throws RegistrationConflictException when the registration there refuses this callee; nothing changed then
   */
  public Registration<S> add(String procedure, MatchPolicy policy, InvocationPolicy invoke, S callee) {
    Objects.requireNonNull(procedure, "procedure");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(invoke, "invoke");
    Objects.requireNonNull(callee, "callee");
    return write(() -> {
      Registration<S> current = byPattern.get(procedure, policy);
      if (current == null) {
        return put(new Registration<>(freshId(), procedure, policy, invoke, callee));
      }
      refuseConflict(current, invoke, callee);
      return put(current.with(callee));
    });
  }

  /** Throws if {@code current} may not take {@code callee} under {@code invoke}, as today's dealer refuses it. */
  private void refuseConflict(Registration<S> current, InvocationPolicy invoke, S callee) {
    String what = describe(current);
    // "With 'single', the Dealer MUST fail all subsequent attempts to register a procedure for the URI while the
    // registration remains in existence."
    if (current.invocation() == InvocationPolicy.SINGLE) {
      throw new RegistrationConflictException(RegistrationConflictException.Kind.ALREADY_REGISTERED,
          what + " is already registered");
    }
    // A single registration asked where a shared one is: the procedure exists, and a single one cannot share it.
    if (invoke == InvocationPolicy.SINGLE) {
      throw new RegistrationConflictException(RegistrationConflictException.Kind.ALREADY_REGISTERED, what
          + " is already registered, with invocation policy '" + current.invocation().wireName() + "', not 'single'");
    }
    // "With the other values, the Dealer MUST fail all subsequent attempts to register a procedure for the URI where
    // the value for this option does not match that of the initial registration."
    if (current.invocation() != invoke) {
      throw new RegistrationConflictException(RegistrationConflictException.Kind.DIFFERENT_INVOCATION_POLICY, what
          + " is registered with invocation policy '" + current.invocation().wireName() + "', not '"
          + invoke.wireName() + "'");
    }
    // one callee twice in a rotation would take two turns, and its UNREGISTER could remove only one of them
    if (current.contains(callee)) {
      throw new RegistrationConflictException(RegistrationConflictException.Kind.SAME_CALLEE_TWICE,
          "this session already registered " + what);
    }
  }

  /** {@code procedure 'com.x'}, with the match policy when it is not exact. */
  private static String describe(Registration<?> registration) {
    String what = "procedure '" + registration.pattern() + "'";
    return registration.policy() == MatchPolicy.EXACT ? what
        : what + " (match " + registration.policy().wireName() + ")";
  }

  /**
   * Unregisters {@code callee} from registration {@code registrationId}; null when there is no such registration or
   * the callee is not in it. Owner only.
   */
  public Removed<S> remove(long registrationId, S callee) {
    return write(() -> {
      Registration<S> was = removeMember(registrationId, callee);
      return was == null ? null : new Removed<>(was, was.size() == 1);
    });
  }

  /**
   * The registration a call to {@code procedure} goes to, or null for {@code wamp.error.no_such_procedure}. The spec:
   * "a call is routed to one and only one best matched RPC registration", and "The following algorithm MUST be
   * applied": the exact registration, else the longest matching prefix, else the wildcard with the longest portions
   * of fixed components before each wildcard, the first portion first (details in {@link PatternIndex#bestMatch}).
   * With only exact registrations in the table this is one map lookup.
   */
  public Registration<S> match(String procedure) {
    return byPattern.bestMatch(procedure);
  }
}
