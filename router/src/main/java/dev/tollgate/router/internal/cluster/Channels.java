package dev.tollgate.router.internal.cluster;

import dev.tollgate.protocol.MatchPolicy;

/**
 * The Redis channels the nodes publish on and listen to. A publication goes to the channel of its topic,
 * {@code tollgate:event:<realm>:<topic>}, once; a node listens to that channel while it has an exact subscription to
 * the topic, and to a pattern of such channels while it has a prefix or wildcard subscription: a prefix {@code a.b}
 * is {@code tollgate:event:<realm>:a.b*}, a wildcard {@code a..c} is {@code tollgate:event:<realm>:a.*.c}.
 *
 * <p>A Redis pattern's {@code *} also matches dots, so a wildcard's pattern may bring a node events none of its
 * subscriptions match (and a realm or topic holding a colon may share a channel with another): that costs a message,
 * never a wrong delivery, since the receiving node matches the event against its own table by the realm and topic the
 * message carries.
 */
final class Channels {
  static final String PREFIX = "tollgate:event:";

  private Channels() {}

  static String ofTopic(String realm, String topic) {
    return PREFIX + realm + ':' + topic;
  }

  /** The channel (exact) or Redis pattern (prefix, wildcard) of a subscription. */
  static String ofSubscription(String realm, String pattern, MatchPolicy policy) {
    return switch (policy) {
      case EXACT -> ofTopic(realm, pattern);
      case PREFIX -> escape(PREFIX + realm + ':' + pattern) + '*';
      case WILDCARD -> escape(PREFIX + realm + ':') + wildcard(pattern);
    };
  }

  private static String wildcard(String pattern) {
    StringBuilder glob = new StringBuilder();
    String[] parts = pattern.split("\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        glob.append('.');
      }
      glob.append(parts[i].isEmpty() ? "*" : escape(parts[i]));
    }
    return glob.toString();
  }

  /** Redis's glob takes {@code * ? [ ] \} as special; a URI may hold them under the loose rules. */
  static String escape(String literal) {
    StringBuilder out = new StringBuilder(literal.length() + 8);
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
