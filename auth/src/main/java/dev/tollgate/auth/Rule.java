package dev.tollgate.auth;

import dev.tollgate.auth.internal.OroPreset;
import dev.tollgate.protocol.MatchPolicy;
import java.util.List;
import java.util.Set;

/**
 * One authorization rule: in {@code realm} (or {@code *}), sessions of {@code role} (or {@code *}, any role) may do
 * {@code actions} on the URIs that {@code pattern} matches under {@code match}. An empty action set denies.
 *
 * <p>The pattern may hold {@code {authid}}, {@code {authrole}} and {@code {user_id}}, replaced by the session's own
 * values, so per-user topics such as {@code oro/reminder_remind/{user_id}} are one rule. A rule whose placeholder
 * the session has no value for (an anonymous session's {@code {user_id}}) does not apply to it.
 */
public record Rule(long id, String realm, String role, String pattern, MatchPolicy match, Set<Action> actions,
    String note) {
  public Rule {
    // An EnumSet keeps the actions in one order (subscribe, publish, call, register) wherever they are shown.
    java.util.EnumSet<Action> ordered = java.util.EnumSet.noneOf(Action.class);
    ordered.addAll(actions);
    actions = java.util.Collections.unmodifiableSet(ordered);
    if (pattern == null) {
      throw new IllegalArgumentException("pattern == null");
    }
  }

  public static Rule of(String realm, String role, String pattern, MatchPolicy match, Set<Action> actions,
      String note) {
    return new Rule(0, realm, role, pattern, match, actions, note);
  }

  /**
   * The rules of a preset: {@code oro}, what an OroPlatform installation needs (only the backend publishes and
   * registers; pages subscribe to Oro's topics and their own), or {@code open}, where every session may do
   * everything, for trying Tollgate out and never for production.
   */
  public static List<Rule> preset(String name) {
    return OroPreset.named(name);
  }
}
