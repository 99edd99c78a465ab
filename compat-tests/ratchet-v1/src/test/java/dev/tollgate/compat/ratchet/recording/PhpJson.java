package dev.tollgate.compat.ratchet.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a JSON text Tollgate sent with one PHP's {@code json_encode} sent (Ratchet decodes with
 * {@code json_decode($text, true)} and encodes with default flags), by value. What differs only in encoding is
 * noise, and this is the one place that says what counts as noise:
 *
 * <ol>
 *   <li>Escapes: {@code \/} for {@code /}, &#92;uXXXX escapes (surrogate pairs for astral characters) and literal
 *       characters are the same string, because values are compared after decoding, never text.
 *   <li>An empty object: PHP writes {@code {}} as {@code []} (an empty PHP array).
 *   <li>An object whose keys are {@code "0"}, {@code "1"}, … in that order is the list of its values (PHP arrays).
 *   <li>Numbers compare by value: {@code 1.0} = {@code 1}, {@code -0} = {@code -0.0} = {@code 0}, {@code 1e2} =
 *       {@code 100}.
 *   <li>An integer beyond 64 bits equals PHP's float of it ({@code json_decode} turns 12345678901234567890 into
 *       1.2345678901234567E19); below that, integers must be exact (9007199254740993 stays exact in PHP).
 *   <li>Key order in objects does not matter.
 * </ol>
 *
 * <p>Expected values may hold placeholders: a string that is exactly {@code ${NAME}} matches any non-empty string
 * and binds it in {@link Bindings}, or must equal the value already bound.
 */
public final class PhpJson {
  private PhpJson() {}

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Parses one JSON text, nothing after it; throws {@link IllegalArgumentException} when it is not JSON. */
  public static JsonNode parse(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("not JSON: empty text");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
  }

  /** Whether a text is one JSON value. */
  public static boolean isJson(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The value with PHP's encoding noise removed (see the class comment); placeholders are left as they are. */
  public static JsonNode canonical(JsonNode node) {
    if (node.isNumber()) {
      return canonicalNumber(node.decimalValue());
    }
    if (node.isArray()) {
      ArrayNode list = NODES.arrayNode();
      node.forEach(e -> list.add(canonical(e)));
      return list;
    }
    if (node.isObject()) {
      if (isPhpList(node)) {
        ArrayNode list = NODES.arrayNode();
        node.forEach(e -> list.add(canonical(e)));
        return list;
      }
      ObjectNode object = NODES.objectNode();
      node.properties().forEach(f -> object.set(f.getKey(), canonical(f.getValue())));
      return object;
    }
    return node;
  }

  /**
   * A JSON text as {@code json_decode($text, true)} types it, for {@link #encode}: a float stays a float ({@code
   * -0.0} too, which {@link #parse}'s decimals lose), an integer is exact up to 64 bits.
   */
  public static JsonNode decode(String text) {
    try {
      return PLAIN.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * The text PHP's {@code json_encode} (default flags) gives for a value {@link #decode} read: what Ratchet sends
   * for it, since it relays what {@code json_decode($text, true)} made of a client's text. Strings escape {@code /}
   * and every character outside ASCII (&#92;uXXXX, lowercase hex, surrogate pairs for astral ones); objects with keys
   * "0", "1", … in order, and empty ones, are lists; integers beyond 64 bits and all non-integers are floats, written
   * with the shortest digits, in PHP's exponent form ({@code 1.2345678901234567e+19}) from 10^17 or below 10^-4.
   * Best effort for floats (Java's shortest digits are not always PHP's); used to recognise a large payload by its
   * SHA-256 when only the encoding differs.
   */
  public static String encode(JsonNode value) {
    StringBuilder out = new StringBuilder();
    encodeTo(value, out);
    return out.toString();
  }

  private static void encodeTo(JsonNode v, StringBuilder out) {
    if (v.isTextual()) {
      encodeString(v.asText(), out);
    } else if (v.isIntegralNumber()) {
      try {
        out.append(v.bigIntegerValue().longValueExact());
      } catch (ArithmeticException beyond64Bits) {
        out.append(phpFloat(v.doubleValue()));
      }
    } else if (v.isNumber()) {
      out.append(phpFloat(v.doubleValue()));
    } else if (v.isArray() || (v.isObject() && isPhpList(v))) {
      out.append('[');
      int i = 0;
      for (JsonNode e : v) {
        out.append(i++ == 0 ? "" : ",");
        encodeTo(e, out);
      }
      out.append(']');
    } else if (v.isObject()) {
      out.append('{');
      int i = 0;
      for (Map.Entry<String, JsonNode> field : v.properties()) {
        out.append(i++ == 0 ? "" : ",");
        encodeString(field.getKey(), out);
        out.append(':');
        encodeTo(field.getValue(), out);
      }
      out.append('}');
    } else {
      out.append(v.isNull() ? "null" : v.asText()); // true, false
    }
  }

  private static void encodeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '/' -> out.append("\\/");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c >= 0x80) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** PHP's {@code serialize_precision=-1} float: shortest digits, exponent form from 10^17 or below 10^-4. */
  static String phpFloat(double d) {
    if (d == 0) {
      return 1 / d < 0 ? "-0" : "0";
    }
    BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int point = digits.length() - shortest.scale(); // value = 0.DIGITS x 10^point, as zend_dtoa's decpt
    String sign = d < 0 ? "-" : "";
    if (point < 0 ? point < -3 : point > 17) {
      String mantissa = digits.length() == 1 ? digits + ".0" : digits.charAt(0) + "." + digits.substring(1);
      int exponent = point - 1;
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
    }
    if (point <= 0) {
      return sign + "0." + "0".repeat(-point) + digits;
    }
    if (point >= digits.length()) {
      return sign + digits + "0".repeat(point - digits.length());
    }
    return sign + digits.substring(0, point) + "." + digits.substring(point);
  }

  /**
   * The first difference between an expected value (from a recording, maybe with placeholders) and the actual one,
   * as "at PATH: expected X but was Y"; null when they are equal up to noise. Binds placeholders as it goes.
   */
  public static String difference(JsonNode expected, JsonNode actual, Bindings bindings) {
    return differenceAt("$", canonical(expected), canonical(actual), bindings, false);
  }

  /**
   * As {@link #difference}, against a large payload's {@code json_summary}, whose long strings are elided: a string
   * holding a bracketed count of characters and the word elided, truncated, omitted or more (e.g.
   * {@code "<elided 1000000 chars>"}, {@code "xxxx…[999996 more chars]"}) stands for a string that starts with the
   * text before the brackets, ends with the text after them, and is that many characters long (in all, or besides
   * the visible text).
   */
  static String differenceFromSummary(JsonNode summary, JsonNode actual, Bindings bindings) {
    return differenceAt("$", canonical(summary), canonical(actual), bindings, true);
  }

  private static final Pattern ELIDED = Pattern.compile("(?s)(.*?)(?:\\.\\.\\.|…)?\\s*[<\\[(]"
      + "([^<>\\[\\]()]*?\\b(\\d+)\\s*(?:more\\s+)?(?:chars?|characters)\\b[^<>\\[\\]()]*)[>\\])]"
      + "\\s*(?:\\.\\.\\.|…)?(.*)");
  private static final Pattern ELISION_WORD = Pattern.compile("(?i)\\b(?:elided|truncated|omitted|more)\\b");

  /** The elided string's pattern: visible head, count of characters, visible tail; null when it is not one. */
  private static Matcher elision(String text) {
    Matcher m = ELIDED.matcher(text);
    return m.matches() && ELISION_WORD.matcher(m.group(2)).find() ? m : null;
  }

  /** Null when an actual value is the long string an elided summary string stands for; else what is wrong. */
  private static String elisionDifference(Matcher elided, JsonNode actual) {
    if (!actual.isTextual()) {
      return "expected a long string (" + elided.group() + ") but was " + actual;
    }
    String head = elided.group(1);
    String tail = elided.group(4);
    long count = Long.parseLong(elided.group(3));
    String s = actual.asText();
    long units = s.length();
    long codePoints = s.codePointCount(0, s.length());
    long visible = head.length() + tail.length();
    boolean lengthFits = units == count || codePoints == count || units == count + visible
        || codePoints == count + visible;
    if (!s.startsWith(head) || !s.endsWith(tail) || !lengthFits) {
      return "expected a string like " + elided.group() + " but was one of " + units + " characters starting "
          + s.substring(0, Math.min(40, s.length()));
    }
    return null;
  }

  private static String differenceAt(String path, JsonNode expected, JsonNode actual, Bindings bindings,
      boolean summary) {
    Matcher elided = summary && expected.isTextual() ? elision(expected.asText()) : null;
    if (elided != null) {
      String wrong = elisionDifference(elided, actual);
      return wrong == null ? null : "at " + path + ": " + wrong;
    }
    String placeholder = Bindings.placeholderName(expected);
    if (placeholder != null) {
      if (!actual.isTextual() || actual.asText().isEmpty()) {
        return "at " + path + ": expected a non-empty string for ${" + placeholder + "} but was " + actual;
      }
      String problem = bindings.bind(placeholder, actual.asText());
      return problem == null ? null : "at " + path + ": " + problem;
    }
    if (expected.isArray() && actual.isArray()) {
      for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
        String d = differenceAt(path + "[" + i + "]", expected.get(i), actual.get(i), bindings, summary);
        if (d != null) {
          return d;
        }
      }
      return expected.size() == actual.size() ? null
          : "at " + path + ": expected " + expected.size() + " elements but was " + actual.size() + " (" + actual + ")";
    }
    if (expected.isObject() && actual.isObject()) {
      for (Map.Entry<String, JsonNode> field : expected.properties()) {
        JsonNode other = actual.get(field.getKey());
        if (other == null) {
          return "at " + path + ": expected key \"" + field.getKey() + "\" but it is missing in " + actual;
        }
        String d = differenceAt(path + "." + field.getKey(), field.getValue(), other, bindings, summary);
        if (d != null) {
          return d;
        }
      }
      for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!expected.has(key)) {
          return "at " + path + ": unexpected key \"" + key + "\" in " + actual;
        }
      }
      return null;
    }
    return expected.equals(actual) ? null : "at " + path + ": expected " + expected + " but was " + actual;
  }

  private static boolean isPhpList(JsonNode object) {
    int i = 0;
    for (Iterator<String> keys = object.fieldNames(); keys.hasNext(); i++) {
      if (!keys.next().equals(Integer.toString(i))) {
        return false;
      }
    }
    return true; // also the empty object, which PHP writes as []
  }

  private static JsonNode canonicalNumber(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() <= 0) {
      try {
        return NODES.numberNode(stripped.longValueExact());
      } catch (ArithmeticException beyond64Bits) {
        // PHP holds it as a float.
      }
    }
    return NODES.numberNode(value.doubleValue());
  }
}
