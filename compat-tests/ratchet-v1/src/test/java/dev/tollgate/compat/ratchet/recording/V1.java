package dev.tollgate.compat.ratchet.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.Recording.Kind;
import java.math.BigDecimal;

/**
 * A recorded frame read as a WAMP v1 message, the way Ratchet 0.4.4's ServerProtocol reads one: a JSON list whose
 * element 0 is compared loosely ({@code switch ($json[0])}: 7, 7.0 and "7" are all PUBLISH).
 */
public final class V1 {
  private V1() {}

  public static final int WELCOME = 0;
  public static final int PREFIX = 1;
  public static final int CALL = 2;
  public static final int CALLRESULT = 3;
  public static final int CALLERROR = 4;
  public static final int SUBSCRIBE = 5;
  public static final int UNSUBSCRIBE = 6;
  public static final int PUBLISH = 7;
  public static final int EVENT = 8;

  /** The message in a text or binary frame (its template when it has one); null when that is not a JSON list. */
  public static ArrayNode message(Frame f) {
    if (f.kind() != Kind.TEXT && f.kind() != Kind.BINARY) {
      return null;
    }
    String text = f.text();
    if (text == null || !PhpJson.isJson(text)) {
      return null;
    }
    JsonNode node = PhpJson.parse(text);
    return node.isArray() && !node.isEmpty() ? (ArrayNode) node : null;
  }

  /** Whether a frame is a v1 message of this type. */
  public static boolean is(Frame f, int type) {
    ArrayNode m = message(f);
    return m != null && type(m) == type;
  }

  /** The message type, as PHP's loose {@code switch} compares element 0; -1 when it matches no number. */
  public static int type(ArrayNode m) {
    JsonNode first = m.get(0);
    BigDecimal n = null;
    if (first.isNumber()) {
      n = first.decimalValue();
    } else if (first.isTextual()) {
      try {
        n = new BigDecimal(first.asText().strip()); // PHP 8: a numeric string compares as its number
      } catch (NumberFormatException notNumeric) {
        return -1;
      }
    }
    if (n == null || n.stripTrailingZeros().scale() > 0) {
      return -1;
    }
    try {
      return n.intValueExact();
    } catch (ArithmeticException tooLarge) {
      return -1;
    }
  }

  /** Element {@code i}, or null when the message is shorter (PHP's missing element, null with a warning). */
  public static JsonNode element(ArrayNode m, int i) {
    return i < m.size() ? m.get(i) : null;
  }

  /** Element {@code i} as the URI string PHP makes of it (a number as its text); null when missing, null or other. */
  public static String text(ArrayNode m, int i) {
    JsonNode e = element(m, i);
    if (e == null || e.isNull()) {
      return null;
    }
    if (e.isTextual()) {
      return e.asText();
    }
    if (e.isIntegralNumber()) {
      return e.bigIntegerValue().toString();
    }
    return e.isNumber() ? PhpJson.phpFloat(e.doubleValue()) : null;
  }
}
