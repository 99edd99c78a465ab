package dev.tollgate.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a rule may allow a session to do with a URI. */
public enum Action {
  SUBSCRIBE,
  PUBLISH,
  CALL,
  REGISTER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code "subscribe,publish"}; an empty text is the empty set (a rule that denies). */
  public static Set<Action> parseList(String text) {
    EnumSet<Action> actions = EnumSet.noneOf(Action.class);
    for (String part : text.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      try {
        actions.add(Action.valueOf(p.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown action '" + p + "'; actions are subscribe, publish, call, register");
      }
    }
    return actions;
  }

  public static String format(Set<Action> actions) {
    StringBuilder sb = new StringBuilder();
    for (Action a : actions) {
      sb.append(sb.length() == 0 ? "" : ",").append(a.wireName());
    }
    return sb.toString();
  }
}
