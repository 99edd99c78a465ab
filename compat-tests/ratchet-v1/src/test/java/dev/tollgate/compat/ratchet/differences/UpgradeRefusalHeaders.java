package dev.tollgate.compat.ratchet.differences;

import dev.tollgate.compat.ratchet.recording.Recording;
import dev.tollgate.compat.ratchet.recording.Recording.Connection;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.Recording.Handshake;
import dev.tollgate.compat.ratchet.recording.Recording.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A strict server's refusal of a client that offers no subprotocol: HTTP 426, on a WebSocket or a raw connection.
 * Ratchet's names {@code Sec-WebSocket-Protocol: wamp}; Tollgate's cannot (see {@link #reason()}), so that header is
 * taken out of what is expected. Status, Upgrade and Connection are still compared.
 */
final class UpgradeRefusalHeaders implements Difference {
  private static final Pattern SUBPROTOCOL_LINE = Pattern.compile("(?im)^Sec-WebSocket-Protocol:[^\r\n]*\r\n");

  @Override
  public String name() {
    return "upgrade-refusal-headers";
  }

  @Override
  public String reason() {
    return "Ratchet's 426 (\"No Sec-WebSocket-Protocols requested supported\") names Sec-WebSocket-Protocol: wamp;"
        + " Jetty writes that header only with an accepted upgrade, so Tollgate's 426 (v1.allow-no-subprotocol=false,"
        + " the recorded strict server's setting) carries Upgrade, Connection and Sec-WebSocket-Version: 13 and no"
        + " subprotocol. A refused client acts on the status";
  }

  @Override
  public Rewrite rewrite(Recording r) {
    List<Connection> connections = new ArrayList<>(r.connections());
    FrameEdits edits = new FrameEdits(r);
    List<String> where = new ArrayList<>();
    for (Connection c : r.connections()) {
      Handshake h = c.handshake();
      if (h != null && h.status() == 426 && h.header("Sec-WebSocket-Protocol") != null) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(h.headers());
        headers.removeIf(e -> e.getKey().equalsIgnoreCase("Sec-WebSocket-Protocol"));
        connections.set(c.index(), c.withHandshake(new Handshake(426, headers)));
        where.add("conn " + c.index() + " handshake 426");
      }
    }
    for (Frame f : r.frames()) {
      if (f.dir() == Direction.IN && f.kind() == Kind.RAW && f.data() != null && f.data().startsWith("HTTP/1.1 426")
          && SUBPROTOCOL_LINE.matcher(f.data()).find()) {
        edits.replace(f, f.withText(SUBPROTOCOL_LINE.matcher(f.data()).replaceAll(""),
            "Tollgate: its 426 names no subprotocol").withAfterHead(f.afterHead()));
        where.add("conn " + f.conn() + " raw answer 426");
      }
    }
    if (where.isEmpty()) {
      return Rewrite.none(r);
    }
    return new Rewrite(edits.applyTo(r).withConnections(connections), where);
  }
}
