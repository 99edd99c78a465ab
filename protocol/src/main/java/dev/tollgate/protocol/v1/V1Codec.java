package dev.tollgate.protocol.v1;

import dev.tollgate.protocol.ProtocolViolationException;
import dev.tollgate.protocol.internal.JsonValues;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * WAMP v1 on JSON, read as Ratchet 0.4.4 reads it where that is sane: a type id sent as a numeric string is accepted,
 * missing trailing elements are null and extra ones ignored, PUBLISH's excludeMe uses PHP's truthiness. Malformed
 * JSON, invalid Unicode, a non-list, an unknown type id or a message only servers send is a
 * {@link ProtocolViolationException} (Ratchet closes with 1007 for these).
 */
public final class V1Codec {
  private V1Codec() {}

  /** Decodes one client message. */
  public static V1Message decode(ByteBuffer data) {
    Object wire = JsonValues.read(data);
    if (!(wire instanceof List<?> list) || list.isEmpty()) {
      throw new ProtocolViolationException("expected a WAMP v1 message list");
    }
    int type = typeId(list.get(0));
    switch (type) {
      case V1Message.PREFIX:
        return new V1Message.Prefix(string(list, 1), string(list, 2));
      case V1Message.CALL: {
        List<Object> args = new ArrayList<>(list.size() > 3 ? list.subList(3, list.size()) : List.of());
        return new V1Message.Call(callId(list), string(list, 2), args);
      }
      case V1Message.SUBSCRIBE:
        return new V1Message.Subscribe(string(list, 1));
      case V1Message.UNSUBSCRIBE:
        return new V1Message.Unsubscribe(string(list, 1));
      case V1Message.PUBLISH: {
        Object third = element(list, 3);
        List<String> exclude = third instanceof List<?> l ? ids(l) : List.of();
        boolean excludeMe = !(third instanceof List<?>) && phpTruthy(third);
        Object fourth = element(list, 4);
        List<String> eligible = fourth instanceof List<?> l ? ids(l) : List.of();
        return new V1Message.Publish(string(list, 1), element(list, 2), excludeMe, exclude, eligible);
      }
      case V1Message.WELCOME, V1Message.CALLRESULT, V1Message.CALLERROR, V1Message.EVENT:
        throw new ProtocolViolationException("message type " + type + " is sent by servers, not clients");
      default:
        throw new ProtocolViolationException("unknown WAMP v1 message type " + type);
    }
  }

  /**
   * The call id of a CALL from the first bytes of a message too large to be read whole; null when those bytes are
   * not the start of a CALL with a call id.
   */
  public static Object callIdOfCallHead(byte[] head) {
    try (com.fasterxml.jackson.core.JsonParser p = HEAD_PARSER.createParser(head)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
        return null;
      }
      var first = p.nextToken();
      boolean call = first == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT ? p.getIntValue() == V1Message.CALL
          : first == com.fasterxml.jackson.core.JsonToken.VALUE_STRING && p.getText().equals(String.valueOf(V1Message.CALL));
      if (!call) {
        return null;
      }
      return switch (p.nextToken()) {
        case VALUE_STRING -> p.getText();
        case VALUE_NUMBER_INT -> p.getLongValue();
        default -> null;
      };
    } catch (java.io.IOException | RuntimeException cutOff) {
      return null;
    }
  }

  private static final com.fasterxml.jackson.core.JsonFactory HEAD_PARSER = new com.fasterxml.jackson.core.JsonFactory()
      .disable(com.fasterxml.jackson.core.JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION);

  public static byte[] encode(V1Message message) {
    return JsonValues.write(message.toList());
  }

  private static int typeId(Object first) {
    if (first instanceof Integer i) {
      return i;
    }
    if (first instanceof Double d && d == Math.rint(d) && d >= 0 && d < 100) {
      return d.intValue(); // PHP compares loosely: 7.0 is 7
    }
    if (first instanceof String s && s.matches("\\d{1,2}")) {
      return Integer.parseInt(s); // Ratchet compares loosely: "5" is 5
    }
    throw new ProtocolViolationException("expected a message type id but was " + first);
  }

  private static Object element(List<?> list, int index) {
    return index < list.size() ? list.get(index) : null;
  }

  /**
   * CALL's callID, echoed in the answer as sent: a string (AutobahnJS's), or a number, as Ratchet echoes one;
   * absent or null is echoed as null, as Ratchet's {@code isset} lets it through. Anything else is refused as
   * Ratchet refuses it, so that a client sees one behaviour on both: its ServerProtocol checks element 1 of every
   * message, {@code if (isset($json[1]) && !(is_string($json[1]) || is_numeric($json[1]))) throw new
   * Exception('Invalid Topic, must be a string');}, and WampServer answers that with close 1007. A CALLERROR
   * echoing a list or an object would reach no caller: v1 clients match answers to calls by id.
   */
  private static Object callId(List<?> list) {
    Object id = element(list, 1);
    if (id == null || id instanceof String || id instanceof Number) {
      return id;
    }
    throw new ProtocolViolationException("CALL element 1 (callID): expected a string or a number but was "
        + (id instanceof Boolean ? "boolean " + id : id instanceof List ? "a list" : "an object"));
  }

  /** A URI element; a number is taken as its text (PHP would), another type is refused. */
  private static String string(List<?> list, int index) {
    Object v = element(list, index);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    if (v instanceof Number) {
      return v.toString();
    }
    throw new ProtocolViolationException("element " + index + ": expected a URI string");
  }

  private static List<String> ids(List<?> list) {
    List<String> ids = new ArrayList<>(list.size());
    for (Object o : list) {
      if (o instanceof String || o instanceof Number) {
        ids.add(o.toString());
      }
    }
    return ids;
  }

  /** PHP's (bool) cast: false, 0, 0.0, "", "0", null and an empty array are false; all else is true. */
  static boolean phpTruthy(Object v) {
    if (v == null) {
      return false;
    } else if (v instanceof Boolean b) {
      return b;
    } else if (v instanceof Number n) {
      return n.doubleValue() != 0;
    } else if (v instanceof String s) {
      return !s.isEmpty() && !s.equals("0");
    } else if (v instanceof List<?> l) {
      return !l.isEmpty();
    } else if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }
}
