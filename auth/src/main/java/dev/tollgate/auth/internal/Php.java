package dev.tollgate.auth.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** PHP's own parsing, reproduced where Oro's verdict depends on it. */
public final class Php {
  private Php() {}

  private static final int[] REVERSE = new int[256];

  static {
    java.util.Arrays.fill(REVERSE, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      REVERSE[alphabet.charAt(i)] = i;
    }
  }

  /**
   * {@code base64_decode($s)} without strict mode: characters outside the alphabet (spaces, '-', '_' …) and every
   * '=' are skipped, and a trailing partial byte is dropped.
   */
  public static byte[] base64DecodeLenient(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() * 3 / 4 + 1);
    int i = 0;
    int pending = 0;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      int v = c < 256 ? REVERSE[c] : -1;
      if (v < 0) {
        continue;
      }
      switch (i % 4) {
        case 0 -> pending = v << 2;
        case 1 -> {
          out.write(pending | (v >> 4));
          pending = (v & 0x0f) << 4;
        }
        case 2 -> {
          out.write(pending | (v >> 2));
          pending = (v & 0x03) << 6;
        }
        default -> out.write(pending | v);
      }
      i++;
    }
    return out.toByteArray();
  }

  /**
   * {@code parse_str($query)} for plain keys: pairs split on '&', '+' decoded as a space, %XX as a byte, a later
   * duplicate key wins. Bytes are read as UTF-8.
   */
  public static Map<String, String> parseQuery(String query) {
    Map<String, String> out = new HashMap<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = urldecode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : urldecode(pair.substring(eq + 1));
      out.put(key, value);
    }
    return out;
  }

  /** {@code urldecode}: '+' is a space, %XX a byte; a malformed escape stays as it is. */
  public static String urldecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
        i++;
      } else if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
        i += 3;
      } else {
        int cp = s.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
