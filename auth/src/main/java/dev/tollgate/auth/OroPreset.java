package dev.tollgate.auth;

import static dev.tollgate.auth.Rule.Match.EXACT;
import static dev.tollgate.auth.Rule.Match.PREFIX;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The rules an OroPlatform installation needs, loaded on first start unless configured otherwise. Oro never checks
 * publishing; this preset does: only the {@code backend} role (anonymous tickets made with the secret) publishes.
 */
public final class OroPreset {
  private OroPreset() {}

  /** The {@code open} preset, for trying Tollgate out: every session may do everything. Never for production. */
  public static List<Rule> openRules() {
    return List.of(Rule.of("*", "*", "", PREFIX, EnumSet.allOf(Action.class), "open preset: everyone may do everything"));
  }

  private static final Set<Action> SUBSCRIBE = EnumSet.of(Action.SUBSCRIBE);

  public static List<Rule> rules() {
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
        Rule.of("*", "backend", "", PREFIX, EnumSet.of(Action.PUBLISH, Action.CALL), "Oro backend: publish and call anywhere, never subscribe"));
  }
}
