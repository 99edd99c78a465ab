package dev.tollgate.auth.internal;

import static dev.tollgate.protocol.MatchPolicy.EXACT;
import static dev.tollgate.protocol.MatchPolicy.PREFIX;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Rule;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The rules an OroPlatform installation needs, loaded on first start unless configured otherwise. Oro never checks
 * publishing; this preset does: only the {@code backend} role (anonymous tickets made with the secret) publishes. The
 * backend also registers, so that the application's own RPC, which the PHP WebSocket server used to run, can be served
 * by a backend session; no page calls a procedure until a rule of the application's lets it (README, Rules).
 */
public final class OroPreset {
  private OroPreset() {}

  /** The rules of preset {@code name}: {@code oro} (these) or {@code open}. */
  public static List<Rule> named(String name) {
    return switch (name) {
      case "oro" -> rules();
      case "open" -> openRules();
      default -> throw new IllegalArgumentException("unknown rule preset '" + name + "'; use oro or open");
    };
  }

  /** The {@code open} preset, for trying Tollgate out: every session may do everything. Never for production. */
  private static List<Rule> openRules() {
    return List.of(Rule.of("*", "*", "", PREFIX, EnumSet.allOf(Action.class), "open preset: everyone may do everything"));
  }

  private static final Set<Action> SUBSCRIBE = EnumSet.of(Action.SUBSCRIBE);

  private static List<Rule> rules() {
    return List.of(
        Rule.of("*", "*", "oro/ping", EXACT, SUBSCRIBE, "Oro: keep-alive, anyone"),
        Rule.of("*", "*", "oro/data/update", EXACT, SUBSCRIBE, "Oro: entity changes, anyone"),
        Rule.of("*", "*", "oro/maintenance", EXACT, SUBSCRIBE, "Oro: maintenance mode, anyone"),
        Rule.of("*", "*", "oro/outdated_user_page", EXACT, SUBSCRIBE, "Oro: outdated page notice, anyone"),
        Rule.of("*", "*", "oro/message_queue_heartbeat", EXACT, SUBSCRIBE, "Oro: consumer heartbeat, anyone"),
        Rule.of("*", "user", "oro/email_event/{user_id}/", PREFIX, SUBSCRIBE, "Oro: a user's own e-mail events, any organization"),
        Rule.of("*", "user", "oro/reminder_remind/{user_id}", EXACT, SUBSCRIBE, "Oro: a user's own reminders"),
        Rule.of("*", "user", "oro/imap_sync_fail/{user_id}", EXACT, SUBSCRIBE, "Oro: a user's own IMAP sync failures"),
        Rule.of("*", "user", "oro/imap_sync_fail/*", EXACT, SUBSCRIBE, "Oro: IMAP sync failures sent to every user"),
        Rule.of("*", "user", "oro/attribute_import/{user_id}/", PREFIX, SUBSCRIBE, "Oro: a user's own attribute imports"),
        // Browsers' roles have no rule for wamp.*: they may neither list nor kill sessions, nor watch them come and go.
        Rule.of("*", "admin", "wamp.", PREFIX, EnumSet.of(Action.SUBSCRIBE, Action.CALL),
            "operators: the meta API (list, inspect and kill sessions, watch joins and leaves)"),
        // A backend holds the application secret, with which it could mint a ticket for any user: the rules cannot
        // make it less trusted than that, so it may register anywhere as it publishes anywhere.
        Rule.of("*", "backend", "", PREFIX, EnumSet.of(Action.PUBLISH, Action.CALL, Action.REGISTER),
            "Oro backend: publish, call and register anywhere, never subscribe"));
  }
}
