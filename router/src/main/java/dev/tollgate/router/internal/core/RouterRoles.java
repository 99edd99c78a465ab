package dev.tollgate.router.internal.core;

import java.util.Map;

/** The roles and features WELCOME announces: exactly what the router implements, nothing more. */
public final class RouterRoles {
  private RouterRoles() {}

  public static final Map<String, Object> ROLES = Map.of(
      "broker", Map.of("features", Map.of(
          "publisher_exclusion", true,
          "publisher_identification", true,
          "subscriber_blackwhite_listing", true,
          "pattern_based_subscription", true,
          "session_meta_api", true,
          "subscription_meta_api", true,
          "event_retention", true)),
      "dealer", Map.of("features", Map.of(
          "caller_identification", true,
          "shared_registration", true,
          "pattern_based_registration", true,
          "progressive_call_results", true,
          "progressive_call_invocations", true,
          "call_canceling", true,
          "call_timeout", true,
          "session_meta_api", true,
          "registration_meta_api", true,
          "testament_meta_api", true)));
}
