package dev.tollgate.protocol.internal;

import dev.tollgate.protocol.ProtocolViolationException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The types of the options and details that the spec defines, checked at decoding so that the router and the client
 * can trust them. Keys the spec does not define pass through unchecked: peers may add their own ({@code x_…}).
 */
final class Options {
  private Options() {}

  /** One rule: the check, and the expected type as it reads in an error message. */
  private record Rule(String expected, java.util.function.Predicate<Object> test) {}

  private static final Rule BOOL = new Rule("boolean", v -> v instanceof Boolean);
  private static final Rule STRING = new Rule("string", v -> v instanceof String);
  private static final Rule INT = new Rule("integer", v -> v instanceof Integer || v instanceof Long);
  private static final Rule DICT = new Rule("dict", v -> v instanceof Map);
  private static final Rule ID =
      new Rule("list of ids", v -> v instanceof Integer || v instanceof Long || (v instanceof Double d && d == Math.rint(d)));
  private static final Rule IDS = new Rule("list of ids", v -> listOf(v, ID));
  private static final Rule STRINGS = new Rule("list of strings", v -> listOf(v, STRING));
  private static final Rule FORWARD_FOR = new Rule("list of dicts", v -> listOf(v, DICT));
  private static final Rule MATCH =
      new Rule("one of \"exact\", \"prefix\", \"wildcard\"", v -> Set.of("exact", "prefix", "wildcard").contains(v));
  private static final Rule INVOKE =
      new Rule(
          "one of \"single\", \"roundrobin\", \"random\", \"first\", \"last\"",
          v -> Set.of("single", "roundrobin", "random", "first", "last").contains(v));
  private static final Rule CANCEL_MODE =
      new Rule("one of \"skip\", \"kill\", \"killnowait\"", v -> Set.of("skip", "kill", "killnowait").contains(v));
  private static final Rule ENC_ALGO =
      new Rule(
          "one of \"cryptobox\", \"mqtt\", \"xbr\" or an \"x_\" name",
          v -> v instanceof String s && (Set.of("cryptobox", "mqtt", "xbr").contains(s) || s.startsWith("x_")));
  private static final Rule ENC_SERIALIZER =
      new Rule(
          "one of \"json\", \"msgpack\", \"cbor\", \"ubjson\", \"flatbuffers\", \"opaque\" or an \"x_\" name",
          v -> v instanceof String s
              && (Set.of("json", "msgpack", "cbor", "ubjson", "flatbuffers", "opaque").contains(s) || s.startsWith("x_")));

  private static final Map<String, Rule> PASSTHRU =
      Map.of("enc_algo", ENC_ALGO, "enc_serializer", ENC_SERIALIZER, "enc_key", STRING);

  static final Map<String, Rule> HELLO =
      Map.of("roles", DICT, "authmethods", STRINGS, "authid", STRING, "authrole", STRING, "authextra", DICT);

  static final Map<String, Rule> PUBLISH =
      with(
          PASSTHRU,
          Map.ofEntries(
              Map.entry("acknowledge", BOOL),
              Map.entry("exclude_me", BOOL),
              Map.entry("exclude", IDS),
              Map.entry("exclude_authid", STRINGS),
              Map.entry("exclude_authrole", STRINGS),
              Map.entry("eligible", IDS),
              Map.entry("eligible_authid", STRINGS),
              Map.entry("eligible_authrole", STRINGS),
              Map.entry("disclose_me", BOOL),
              Map.entry("retain", BOOL),
              Map.entry("transaction_hash", STRING),
              Map.entry("forward_for", FORWARD_FOR)));

  static final Map<String, Rule> SUBSCRIBE =
      Map.of("match", MATCH, "get_retained", BOOL, "forward_for", FORWARD_FOR);

  static final Map<String, Rule> EVENT =
      with(
          PASSTHRU,
          Map.of(
              "publisher", INT,
              "publisher_authid", STRING,
              "publisher_authrole", STRING,
              "topic", STRING,
              "retained", BOOL,
              "transaction_hash", STRING,
              "x_acknowledged_delivery", BOOL,
              "forward_for", FORWARD_FOR));

  static final Map<String, Rule> CALL =
      with(
          PASSTHRU,
          Map.of(
              "timeout", INT,
              "receive_progress", BOOL,
              "progress", BOOL,
              "disclose_me", BOOL,
              "transaction_hash", STRING,
              "forward_for", FORWARD_FOR));

  static final Map<String, Rule> CANCEL = Map.of("mode", CANCEL_MODE, "reason", STRING);

  static final Map<String, Rule> RESULT = with(PASSTHRU, Map.of("progress", BOOL, "forward_for", FORWARD_FOR));

  static final Map<String, Rule> REGISTER =
      Map.of("match", MATCH, "invoke", INVOKE, "disclose_caller", BOOL, "concurrency", INT, "forward_timeout", BOOL,
          "forward_for", FORWARD_FOR);

  static final Map<String, Rule> INVOCATION =
      with(
          PASSTHRU,
          Map.of(
              "caller", INT,
              "caller_authid", STRING,
              "caller_authrole", STRING,
              "procedure", STRING,
              "receive_progress", BOOL,
              "timeout", INT,
              "forward_for", FORWARD_FOR));

  static final Map<String, Rule> YIELD = with(PASSTHRU, Map.of("progress", BOOL, "forward_for", FORWARD_FOR));

  /** Checks the known keys of {@code values}; {@code section} is "Options" or "Details". Returns {@code values}. */
  static Map<String, Object> check(
      MessageDecoder.Elements e, String section, Map<String, Object> values, Map<String, Rule> rules) {
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      Rule rule = rules.get(entry.getKey());
      // JavaScript clients send options they left undefined as null: null means absent, for every option.
      if (rule != null && entry.getValue() != null && !rule.test().test(entry.getValue())) {
        throw new ProtocolViolationException(
            e.message() + "." + section + "." + entry.getKey() + ": expected " + rule.expected() + " but was "
                + Values.describe(entry.getValue()));
      }
    }
    return values;
  }

  private static boolean listOf(Object v, Rule element) {
    if (!(v instanceof List<?> list)) {
      return false;
    }
    for (Object o : list) {
      if (!element.test().test(o)) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Rule> with(Map<String, Rule> a, Map<String, Rule> b) {
    java.util.HashMap<String, Rule> all = new java.util.HashMap<>(a);
    all.putAll(b);
    return Map.copyOf(all);
  }
}
