package dev.tollgate.router.internal.core;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may receive one publication: publisher exclusion ({@code exclude_me}, on by default) and the black and white
 * lists by session id, authid and authrole. A receiver must pass every white list given and no black list.
 */
final class Audience {
  /** The publisher's session id when it excludes itself, else 0 (never a session id). By id, not by object, so that a
   * retained event's audience holds no session. */
  private final long excludedPublisher;
  private final Set<Long> exclude;
  private final Set<String> excludeAuthid;
  private final Set<String> excludeAuthrole;
  private final Set<Long> eligible;
  private final Set<String> eligibleAuthid;
  private final Set<String> eligibleAuthrole;

  private Audience(long excludedPublisher, Map<String, Object> options) {
    this.excludedPublisher = excludedPublisher;
    this.exclude = ids(options.get("exclude"));
    this.excludeAuthid = strings(options.get("exclude_authid"));
    this.excludeAuthrole = strings(options.get("exclude_authrole"));
    this.eligible = ids(options.get("eligible"));
    this.eligibleAuthid = strings(options.get("eligible_authid"));
    this.eligibleAuthrole = strings(options.get("eligible_authrole"));
  }

  /** @param publisher the publisher's session id (on this node or another), 0 for the router's own publications */
  static Audience of(long publisher, Map<String, Object> options) {
    boolean excludeMe = !Boolean.FALSE.equals(options.get("exclude_me"));
    return new Audience(excludeMe ? publisher : 0, options);
  }

  boolean includes(RouterSession receiver) {
    if (receiver.id() == excludedPublisher) {
      return false;
    }
    if (exclude != null && exclude.contains(receiver.id())) {
      return false;
    }
    if (excludeAuthid != null && excludeAuthid.contains(receiver.authid())) {
      return false;
    }
    if (excludeAuthrole != null && excludeAuthrole.contains(receiver.authrole())) {
      return false;
    }
    if (eligible != null && !eligible.contains(receiver.id())) {
      return false;
    }
    if (eligibleAuthid != null && !eligibleAuthid.contains(receiver.authid())) {
      return false;
    }
    return eligibleAuthrole == null || eligibleAuthrole.contains(receiver.authrole());
  }

  /** The codec has checked the types; absent stays null, so the common case costs nothing. */
  private static Set<Long> ids(Object list) {
    if (list == null) {
      return null;
    }
    Set<Long> ids = new HashSet<>();
    for (Object o : (List<?>) list) {
      ids.add(((Number) o).longValue());
    }
    return ids;
  }

  private static Set<String> strings(Object list) {
    if (list == null) {
      return null;
    }
    Set<String> out = new HashSet<>();
    for (Object o : (List<?>) list) {
      out.add((String) o);
    }
    return out;
  }
}
