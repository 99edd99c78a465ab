package dev.tollgate.router.internal.core;

import java.util.Locale;

/**
 * How a call picks among the callees of one registration: the {@code invoke} option of REGISTER (Advanced Profile,
 * shared registration), "one of 'single', 'roundrobin', 'random', 'first', 'last'". Only {@link #SINGLE} refuses a
 * second callee; the others share the registration.
 */
public enum InvocationPolicy {
  /** One callee, and no other may register the procedure while it is registered. */
  SINGLE,
  /** Callees in turn, in the order they registered. */
  ROUNDROBIN,
  /** A callee picked at random for each call. */
  RANDOM,
  /** The callee that registered first: the others are its hot standbys. */
  FIRST,
  /** The callee that registered last. */
  LAST;

  /**
   * The policy a REGISTER's {@code invoke} option names, ignoring case: "If the option is not set, 'single' is
   * applied as a default." Anything else, a string naming no policy or not a string at all, is refused with an
   * {@link IllegalArgumentException} that names it.
   */
  public static InvocationPolicy of(Object invokeOption) {
    if (invokeOption == null) {
      return SINGLE;
    }
    if (invokeOption instanceof String name) {
      String upper = name.toUpperCase(Locale.ROOT);
      for (InvocationPolicy policy : values()) {
        if (policy.name().equals(upper)) {
          return policy;
        }
      }
    }
    throw new IllegalArgumentException("unknown invocation policy '" + invokeOption
        + "'; use single, roundrobin, random, first or last");
  }

  /** The name on the wire. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
