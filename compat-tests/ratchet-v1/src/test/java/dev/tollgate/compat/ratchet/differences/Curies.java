package dev.tollgate.compat.ratchet.differences;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.compat.ratchet.recording.Recording;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.V1;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The CURIE prefixes each connection has declared so far, and what a URI or CURIE sent on it resolves to on Ratchet
 * and on Tollgate. Fed with the recorded frames in order ({@link #see}).
 */
final class Curies {
  private static final Pattern HTTP = Pattern.compile("http(s*)://");

  /** Per connection, Ratchet's {@code $from->WAMP->prefixes}; a value may be null, which {@code isset} skips. */
  private final Map<Integer, Map<String, String>> ratchet = new HashMap<>();
  /** Per connection, WampV1Connection's prefixes. */
  private final Map<Integer, Map<String, String>> tollgate = new HashMap<>();

  /** The prefixes declared by the frames before {@code frame}. */
  static Curies before(Recording r, Frame frame) {
    Curies curies = new Curies();
    for (Frame f : r.frames()) {
      if (f == frame) {
        break;
      }
      curies.see(f);
    }
    return curies;
  }

  /** Takes note of a PREFIX a client sent: {@code [PREFIX, prefix, uri]}. */
  void see(Frame f) {
    if (f.dir() != Direction.OUT || f.conn() == null || !V1.is(f, V1.PREFIX)) {
      return;
    }
    ArrayNode m = V1.message(f);
    String prefix = V1.text(m, 1);
    String uri = V1.text(m, 2);
    // ServerProtocol: "case static::MSG_PREFIX: $from->WAMP->prefixes[$json[1]] = $json[2];"
    ratchet.computeIfAbsent(f.conn(), c -> new HashMap<>()).put(prefix == null ? "" : prefix, uri);
    // WampV1Connection: "if (p.prefix() != null && p.uri() != null) prefixes.put(p.prefix(), p.uri());"
    if (prefix != null && uri != null) {
      tollgate.computeIfAbsent(f.conn(), c -> new HashMap<>()).put(prefix, uri);
    }
  }

  /**
   * What Ratchet's WampConnection::getUri makes of a URI or CURIE: "if (preg_match('/http(s*)\:\/\//', $uri) ==
   * false) { if (strpos($uri, $curieSeperator) !== false) { list($prefix, $action) = explode($curieSeperator,
   * $uri); if (isset($this->WAMP->prefixes[$prefix]) === true) { return $this->WAMP->prefixes[$prefix] . '#' .
   * $action; } } } return $uri;"
   */
  String ratchet(int conn, String uri) {
    if (uri == null || HTTP.matcher(uri).find() || uri.indexOf(':') < 0) {
      return uri;
    }
    String[] parts = uri.split(":", -1);
    String base = ratchet.getOrDefault(conn, Map.of()).get(parts[0]);
    return base == null ? uri : base + "#" + parts[1];
  }

  /**
   * What Tollgate's WampV1Connection makes of it: "A CURIE {@code prefix:suffix} with a declared prefix becomes
   * {@code uri + suffix}, as AutobahnJS resolves it."
   */
  String tollgate(int conn, String uri) {
    if (uri == null) {
      return null;
    }
    int colon = uri.indexOf(':');
    String base = colon > 0 ? tollgate.getOrDefault(conn, Map.of()).get(uri.substring(0, colon)) : null;
    return base == null ? uri : base + uri.substring(colon + 1);
  }
}
