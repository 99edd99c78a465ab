package dev.tollgate.auth;

import dev.tollgate.protocol.MatchPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a session may do an action on a URI, from a fixed set of rules (a new set makes a new
 * Authorizer). Immutable and thread-safe; callers cache decisions per session.
 *
 * <p>Precedence, in order:
 * <ol>
 *   <li>Rules for one of the session's own roles are looked at first; rules for role {@code *} only when none of
 *       those matches the URI.
 *   <li>Among the matching rules, the most specific decides: exact beats prefix beats wildcard; a longer prefix beats
 *       a shorter one; a wildcard with more fixed components beats one with fewer. Equally specific rules add up.
 *   <li>The deciding rules' actions are what is allowed; a URI no rule matches is denied.
 * </ol>
 */
public final class Authorizer {
  private final List<Rule> rules;

  public Authorizer(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Who is asking: the values the patterns' placeholders take. {@code userId} is null for sessions without a user. */
  public record Subject(String realm, List<String> roles, String authid, Long userId) {
    public Subject {
      roles = List.copyOf(roles);
    }
  }

  /** The verdict, and which rule decided (null for the default deny), for error messages and debugging. */
  public record Decision(boolean allowed, Rule decidedBy) {}

  public Decision decide(Subject who, Action action, String uri) {
    Decision own = decide(who, action, uri, false);
    return own != null ? own : java.util.Objects.requireNonNullElse(decide(who, action, uri, true), new Decision(false, null));
  }

  private Decision decide(Subject who, Action action, String uri, boolean anyRole) {
    long best = -1;
    List<Rule> deciding = new ArrayList<>(2);
    for (Rule r : rules) {
      if (!(r.realm().equals("*") || r.realm().equals(who.realm()))) {
        continue;
      }
      if (anyRole ? !r.role().equals("*") : !who.roles().contains(r.role())) {
        continue;
      }
      String pattern = expand(r.pattern(), who);
      if (pattern == null) {
        continue;
      }
      long specificity = specificity(r.match(), pattern, uri);
      if (specificity < 0) {
        continue;
      }
      if (specificity > best) {
        best = specificity;
        deciding.clear();
      }
      if (specificity == best) {
        deciding.add(r);
      }
    }
    if (deciding.isEmpty()) {
      return null;
    }
    for (Rule r : deciding) {
      if (r.actions().contains(action)) {
        return new Decision(true, r);
      }
    }
    return new Decision(false, deciding.get(0));
  }

  /**
   * How specifically {@code pattern} matches {@code uri}, higher being more specific; -1 if it does not match. The
   * bands keep the documented order: any exact match beats any prefix, which beats any wildcard.
   */
  private static long specificity(MatchPolicy match, String pattern, String uri) {
    if (!match.matches(pattern, uri)) {
      return -1;
    }
    return switch (match) {
      case EXACT -> 3_000_000_000L;
      case PREFIX -> 2_000_000_000L + pattern.length();
      case WILDCARD -> 1_000_000_000L + MatchPolicy.fixedComponents(pattern);
    };
  }

  /** The pattern with the subject's values in place of its placeholders; null if one has no value. */
  private static String expand(String pattern, Subject who) {
    if (pattern.indexOf('{') < 0) {
      return pattern;
    }
    String p = pattern;
    if (p.contains("{user_id}")) {
      if (who.userId() == null) {
        return null;
      }
      p = p.replace("{user_id}", String.valueOf(who.userId()));
    }
    if (p.contains("{authid}")) {
      p = p.replace("{authid}", who.authid());
    }
    if (p.contains("{authrole}")) {
      p = p.replace("{authrole}", who.roles().isEmpty() ? "" : who.roles().get(0));
    }
    return p;
  }

  public List<Rule> rules() {
    return rules;
  }
}
