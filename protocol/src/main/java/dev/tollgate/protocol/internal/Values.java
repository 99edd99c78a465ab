package dev.tollgate.protocol.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes WAMP's value model (null, booleans, integers, floats, strings, binary, lists, dicts) over any
 * Jackson streaming format. Decoded collections are unmodifiable views.
 *
 * <p>JSON has no binary type, so WAMP carries bytes in JSON as a string that starts with a NUL character followed
 * by the Base64 of the bytes; {@code jsonBinary} switches that convention on.
 */
final class Values {
  private Values() {}

  static Object read(JsonParser p, JsonToken t, boolean jsonBinary) throws IOException {
    switch (t) {
      case START_ARRAY: {
        ArrayList<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(read(p, next, jsonBinary));
        }
        return Collections.unmodifiableList(list);
      }
      case START_OBJECT: {
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = unicode(p.currentName());
          map.put(key, read(p, p.nextToken(), jsonBinary));
        }
        return Collections.unmodifiableMap(map);
      }
      case VALUE_STRING: {
        String s = unicode(p.getText());
        if (jsonBinary && !s.isEmpty() && s.charAt(0) == '\0') {
          try {
            return Base64.getDecoder().decode(s.substring(1));
          } catch (IllegalArgumentException e) {
            throw new IOException("binary string (NUL followed by Base64) is not valid Base64");
          }
        }
        return s;
      }
      case VALUE_NUMBER_INT:
        return p.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case VALUE_EMBEDDED_OBJECT: {
        Object o = p.getEmbeddedObject();
        if (o instanceof byte[]) {
          return o;
        }
        if (o instanceof org.msgpack.jackson.dataformat.MessagePackExtensionType ext
            && ext.getType() == 0 && java.util.Arrays.equals(ext.getData(), new byte[] {0})) {
          return null; // msgpackr (wampy) encodes JavaScript's undefined as this extension: it means absent
        }
        throw new IOException("unsupported embedded value " + (o == null ? "null" : o.getClass().getSimpleName()));
      }
      default:
        throw new IOException("unexpected token " + t);
    }
  }

  /**
   * {@code s}, if it is Unicode. JSON's {@code \\uDC8A} escapes and CBOR's and MessagePack's text bytes can make a
   * string holding half of a surrogate pair, which no serializer can write again: taken in, it would fail every
   * receiver's encoding later, so it is refused where it comes in.
   */
  static String unicode(String s) throws IOException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          throw new IOException("a string holds half of a surrogate pair (U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
              + "): not valid Unicode");
        }
      }
    }
    return s;
  }

  static void write(JsonGenerator g, Object v, boolean jsonBinary) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      g.writeNumber(((Number) v).doubleValue());
    } else if (v instanceof BigInteger bi) {
      g.writeNumber(bi);
    } else if (v instanceof BigDecimal bd) {
      g.writeNumber(bd);
    } else if (v instanceof byte[] bytes) {
      if (jsonBinary) {
        g.writeString("\0" + Base64.getEncoder().encodeToString(bytes));
      } else {
        g.writeBinary(bytes);
      }
    } else if (v instanceof List<?> list) {
      g.writeStartArray(list, list.size());
      for (Object element : list) {
        write(g, element, jsonBinary);
      }
      g.writeEndArray();
    } else if (v instanceof Map<?, ?> map) {
      g.writeStartObject(map, map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue(), jsonBinary);
      }
      g.writeEndObject();
    } else if (v instanceof Object[] array) {
      write(g, java.util.Arrays.asList(array), jsonBinary);
    } else {
      throw new IllegalArgumentException("WAMP cannot carry a value of " + v.getClass().getName());
    }
  }

  /** How a value is named in error messages: its WAMP type and, for scalars, a short rendering. */
  static String describe(Object v) {
    if (v == null) {
      return "null";
    } else if (v instanceof String s) {
      return "string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    } else if (v instanceof Boolean b) {
      return "boolean " + b;
    } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
      return "float " + v;
    } else if (v instanceof Number n) {
      return "integer " + n;
    } else if (v instanceof byte[] b) {
      return "binary (" + b.length + " bytes)";
    } else if (v instanceof List<?>) {
      return "list";
    } else if (v instanceof Map<?, ?>) {
      return "dict";
    }
    return v.getClass().getSimpleName();
  }
}
