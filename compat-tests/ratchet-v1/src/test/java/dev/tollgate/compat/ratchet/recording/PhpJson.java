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
   * The first difference between an expected value (from a recording, maybe with placeholders) and the actual one,
   * as "at PATH: expected X but was Y"; null when they are equal up to noise. Binds placeholders as it goes.
   */
  public static String difference(JsonNode expected, JsonNode actual, Bindings bindings) {
    return differenceAt("$", canonical(expected), canonical(actual), bindings);
  }

  private static String differenceAt(String path, JsonNode expected, JsonNode actual, Bindings bindings) {
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
        String d = differenceAt(path + "[" + i + "]", expected.get(i), actual.get(i), bindings);
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
        String d = differenceAt(path + "." + field.getKey(), field.getValue(), other, bindings);
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
