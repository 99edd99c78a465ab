package dev.tollgate.compat.ratchet.recording;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The random values of one replay, bound by position: the first time an expected frame has {@code ${NAME}} where
 * Tollgate sent a string, NAME is bound to it; later frames must carry the same value, and client frames get it
 * substituted. Session ids are bound this way whatever their format (Tollgate's are decimal integers, Ratchet's
 * uniqid strings), and two sessions may not share one.
 */
public final class Bindings {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

  private final Map<String, String> values = new LinkedHashMap<>();

  /** The NAME of a string value that is exactly {@code ${NAME}}, else null. */
  public static String placeholderName(JsonNode node) {
    if (!node.isTextual()) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(node.asText());
    return m.matches() ? m.group(1) : null;
  }

  /** Binds a name, or checks it against its earlier value; returns what is wrong, or null. */
  public String bind(String name, String value) {
    String earlier = values.get(name);
    if (earlier != null) {
      return earlier.equals(value) ? null
          : "expected ${" + name + "} = \"" + earlier + "\" (bound earlier) but was \"" + value + "\"";
    }
    if (name.startsWith("SESSION_")) {
      for (Map.Entry<String, String> other : values.entrySet()) {
        if (other.getKey().startsWith("SESSION_") && other.getValue().equals(value)) {
          return "session id \"" + value + "\" for ${" + name + "} is already ${" + other.getKey() + "}";
        }
      }
    }
    values.put(name, value);
    return null;
  }

  public String get(String name) {
    return values.get(name);
  }

  /** A copy to try a comparison on; {@link #adopt} keeps what it bound. */
  public Bindings copy() {
    Bindings copy = new Bindings();
    copy.values.putAll(values);
    return copy;
  }

  /** Takes over what a copy bound. */
  public void adopt(Bindings trial) {
    values.putAll(trial.values);
  }

  /**
   * A client frame's template (JSON text with {@code ${NAME}} inside string literals) with every placeholder
   * replaced by its bound value, escaped for JSON; an unbound name is a broken recording.
   */
  public String substitute(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("${" + m.group(1) + "} is used before any frame bound it: " + template);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value.replace("\\", "\\\\").replace("\"", "\\\"")));
    }
    m.appendTail(out);
    return out.toString();
  }
}
