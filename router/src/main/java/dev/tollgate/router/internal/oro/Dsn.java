package dev.tollgate.router.internal.oro;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DSN as Oro writes them: {@code //0.0.0.0:8080}, {@code //*:8080/ws}, {@code tcp://127.0.0.1:8080},
 * {@code postgres://user:pass@host:5432/db?serverVersion=15}. Read by hand, not by {@link java.net.URI}, which refuses
 * Oro's {@code *} host.
 *
 * @param scheme null when the DSN starts with {@code //}
 * @param host empty when absent; {@code *} means any
 * @param port -1 when absent
 * @param path empty when absent, else starting with {@code /}
 */
record Dsn(String scheme, String user, String password, String host, int port, String path) {
  private static final Pattern FORM = Pattern.compile(
      "^(?:([A-Za-z][A-Za-z0-9+._-]*):)?//(?:([^:@/]*)(?::([^@/]*))?@)?(\\[[^\\]]*\\]|[^:/?]*)(?::(\\d{1,5}))?(/[^?]*)?(?:\\?.*)?$");

  static Dsn parse(String text, String what) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(what + ": expected a DSN such as //0.0.0.0:8080 or "
          + "postgres://user:password@host:5432/database but was '" + text + "'");
    }
    return new Dsn(m.group(1) == null ? null : m.group(1).toLowerCase(java.util.Locale.ROOT), decode(m.group(2)),
        decode(m.group(3)), m.group(4), m.group(5) == null ? -1 : Integer.parseInt(m.group(5)),
        m.group(6) == null || m.group(6).equals("/") ? "" : m.group(6));
  }

  private static String decode(String s) {
    return s == null ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The database name of a database DSN: the path without its slash. */
  String database() {
    return path.isEmpty() ? "" : path.substring(1);
  }
}
