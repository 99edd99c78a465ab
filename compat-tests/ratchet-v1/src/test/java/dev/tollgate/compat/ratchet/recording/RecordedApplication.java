package dev.tollgate.compat.ratchet.recording;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server application behind Ratchet in every recording (their {@code server_application}: a WampServerInterface
 * handler modelled on GosWebSocketBundle's and OroSyncBundle's), as pure functions: what it answers a CALL, which
 * topics it refuses and what it says then. The replay's callee answers with these, and the deliberate differences
 * use them to say what the recorded application would have answered where Tollgate routes a call elsewhere.
 */
public final class RecordedApplication {
  private RecordedApplication() {}

  /** The procedures it provides; any other is answered with Gos's 404 CALLERROR. */
  public static final List<String> PROCEDURES =
      List.of("sample/sum", "sample/echo", "sample/fail", "sample/fail-nodetails");

  /** "oro/ping: server broadcasts the string "Connection keep alive" every 1 s; client PUBLISH is ignored". */
  public static final String KEEPALIVE_TOPIC = "oro/ping";

  /** "topics secured/*: onSubscribe: $topic->remove($conn) then a raw text frame" (Oro's UserAwareTopicTrait). */
  public static final String SECURED_PREFIX = "secured/";

  /** The raw text frame a refused subscriber gets (Oro's UserAwareTopicTrait::disallowSubscribe). */
  public static String subscribeRefusal(String topic) {
    return "You are not allowed to subscribe on topic \"" + topic + "\".";
  }

  /** Whether the application refuses a subscription to this topic. */
  public static boolean refusesSubscribe(String topic) {
    return topic.startsWith(SECURED_PREFIX);
  }

  /** Whether a client's publication to this topic reaches nobody (refused, or ignored by the handler). */
  public static boolean dropsPublish(String topic) {
    return topic.startsWith(SECURED_PREFIX) || topic.equals(KEEPALIVE_TOPIC);
  }

  /**
   * The WAMP v1 answer, as Ratchet sends it, to {@code [CALL, callId, procedure, args…]}:
   *
   * <ul>
   *   <li>{@code sample/sum}: {@code [3, id, {"result": array_sum(params)}]};
   *   <li>{@code sample/echo}: {@code [3, id, params[0] when params is a one-element list, else params]}, a non-array
   *       result wrapped in a one-element list (Gos RpcDispatcher);
   *   <li>{@code sample/fail}: {@code [4, id, "sample/fail", "Intentional failure", {"code": 42, "rpc": {}, "params":
   *       params}]} (Ratchet's Topic object json_encodes as {});
   *   <li>{@code sample/fail-nodetails}: {@code [4, id, "http://example.com/error#generic",
   *       "Failure without details"]};
   *   <li>anything else: Gos's {@code [4, id, proc, "A RPC handler for the \"proc\" route has not been registered.",
   *       {"code": 404, "rpc": {}, "params": params}]}.
   * </ul>
   */
  public static List<Object> v1Answer(Object callId, String procedure, List<Object> args) {
    Object params = params(args);
    return switch (procedure) {
      case "sample/sum" -> Arrays.asList(3, callId, Map.of("result", arraySum(values(params))));
      case "sample/echo" -> Arrays.asList(3, callId, echo(params));
      case "sample/fail" -> Arrays.asList(4, callId, "sample/fail", "Intentional failure", details(42, params));
      case "sample/fail-nodetails" ->
          Arrays.asList(4, callId, "http://example.com/error#generic", "Failure without details");
      default -> Arrays.asList(4, callId, procedure,
          "A RPC handler for the \"" + procedure + "\" route has not been registered.", details(404, params));
    };
  }

  private static Map<String, Object> details(int code, Object params) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("code", code);
    details.put("rpc", Map.of());
    details.put("params", params);
    return details;
  }

  /** Ratchet's ServerProtocol: a single array argument (list or object) is spread into the handler's params. */
  public static Object params(List<Object> args) {
    if (args.size() == 1 && (args.get(0) instanceof List || args.get(0) instanceof Map)) {
      return args.get(0);
    }
    return args;
  }

  /** {@code sample/echo}'s result for the params it got. */
  public static Object echo(Object params) {
    Object result = params instanceof List<?> list && list.size() == 1 ? list.get(0) : params;
    return result instanceof List || result instanceof Map ? result : singletonList(result);
  }

  /** The values {@code array_sum} adds: a list's elements, an object's values. */
  public static Collection<?> values(Object params) {
    return params instanceof Map<?, ?> map ? map.values() : (List<?>) params;
  }

  /**
   * PHP 8.2's {@code array_sum}: integers stay integers (turning into a float on overflow), a float makes the sum a
   * float, booleans count as 0 or 1, numeric strings as their number; arrays and other values are skipped.
   */
  public static Number arraySum(Collection<?> values) {
    long whole = 0;
    double real = 0;
    boolean isReal = false;
    for (Object v : values) {
      Number n = phpNumber(v);
      if (n == null) {
        continue;
      }
      if (!isReal && (n instanceof Long || n instanceof Integer)) {
        try {
          whole = Math.addExact(whole, n.longValue());
          continue;
        } catch (ArithmeticException overflow) {
          isReal = true;
          real = whole;
          whole = 0;
        }
      }
      if (!isReal) {
        isReal = true;
        real = whole;
      }
      real += n.doubleValue();
    }
    return isReal ? (Number) real : (Number) whole;
  }

  private static Number phpNumber(Object v) {
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger || v instanceof BigDecimal || v instanceof Double || v instanceof Float) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException notWhole) {
        try {
          return Double.parseDouble(s.strip());
        } catch (NumberFormatException notNumeric) {
          return null;
        }
      }
    }
    return null;
  }

  private static List<Object> singletonList(Object value) {
    List<Object> list = new ArrayList<>(1);
    list.add(value); // may be null, which List.of refuses
    return list;
  }
}
