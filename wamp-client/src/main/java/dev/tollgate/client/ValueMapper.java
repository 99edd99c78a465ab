package dev.tollgate.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's one way between application values and what WAMP carries, in both directions, through one Jackson
 * {@link ObjectMapper} (the builder's, or a default that ignores unknown properties). Outgoing, a value WAMP carries as
 * it is (null, strings, booleans, numbers, byte arrays, and lists and maps of those) passes untouched, and anything
 * else (a record, a POJO, an enum, a map of records) becomes maps, lists and scalars as Jackson writes it. Incoming,
 * {@link Values} converts what arrived to the type asked for.
 */
final class ValueMapper {
  static final ValueMapper DEFAULT = new ValueMapper(defaultObjectMapper());

  final ObjectMapper objectMapper;

  ValueMapper(ObjectMapper objectMapper) {
    this.objectMapper = objectMapper;
  }

  static ObjectMapper defaultObjectMapper() {
    return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Positional arguments to send; throws IllegalArgumentException naming the value Jackson could not write. */
  List<Object> args(List<?> args) {
    if (args == null) {
      return List.of();
    }
    List<Object> out = new ArrayList<>(args.size());
    for (Object a : args) {
      out.add(wire(a));
    }
    return out;
  }

  /** Keyword arguments to send. */
  Map<String, Object> kwargs(Map<String, ?> kwargs) {
    if (kwargs == null) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    kwargs.forEach((k, v) -> out.put(k, wire(v)));
    return out;
  }

  /** One value to send. */
  Object wire(Object value) {
    if (carried(value)) {
      return value;
    }
    try {
      return objectMapper.convertValue(value, Object.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot send a " + value.getClass().getName() + " as a WAMP value: "
          + e.getMessage(), e);
    }
  }

  /** What arrived, as {@code type}. */
  <T> T read(Object value, JavaType type) {
    return objectMapper.convertValue(value, type);
  }

  /** Whether WAMP carries {@code v} as it is, so that nothing needs converting. */
  private static boolean carried(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof byte[]) {
      return true;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte || v instanceof Double
        || v instanceof Float || v instanceof BigInteger || v instanceof BigDecimal) {
      return true;
    }
    if (v instanceof List<?> list) {
      for (Object e : list) {
        if (!carried(e)) {
          return false;
        }
      }
      return true;
    }
    if (v instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String) || !carried(e.getValue())) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
