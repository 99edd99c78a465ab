package dev.tollgate.compat.ratchet.differences;

import dev.tollgate.compat.ratchet.recording.Recording;
import dev.tollgate.compat.ratchet.recording.Recording.Connection;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.Recording.Handshake;
import dev.tollgate.compat.ratchet.recording.Recording.Kind;
import dev.tollgate.compat.ratchet.recording.Recording.Variable;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A ticket in an upgrade request's query ({@code ?ticket=…}), on a WebSocket or a raw TCP connection. The recorded
 * stack ignored it; Tollgate refuses a ticket it did not issue before the upgrade. The connection is replayed as
 * recorded expecting 401, and the same request without the ticket is made by a new connection that carries
 * everything the recording shows on the first.
 */
final class UrlTicket implements Difference {
  static final String UNAUTHORIZED = "HTTP/1.1 401 Unauthorized\r\n\r\n";

  @Override
  public String name() {
    return "url-ticket";
  }

  @Override
  public String reason() {
    return "the recorded stack had no authentication and ignored ?ticket=…; Tollgate checks every URL ticket before"
        + " the upgrade (UrlTicketHandler: \"a bad one is refused at the HTTP level with 401\"), and it issued none"
        + " of the recorded ones. Replayed as recorded expecting 401, then by a new connection without the ticket"
        + " expecting what was recorded";
  }

  @Override
  public Rewrite rewrite(Recording r) {
    List<Connection> connections = new ArrayList<>(r.connections());
    List<Variable> variables = new ArrayList<>(r.variables());
    FrameEdits edits = new FrameEdits(r);
    List<String> where = new ArrayList<>();
    for (Connection c : r.connections()) {
      Frame request = c.rawTcp() ? rawRequest(r, c) : null;
      String query = !c.rawTcp() ? c.url().getRawQuery()
          : request == null ? null : target(request.data()).getRawQuery();
      if (!hasTicket(query)) {
        continue;
      }
      int again = connections.size();
      String label = (c.label() == null ? "conn " + c.index() : c.label()) + ", again without ?ticket";
      List<Frame> moved = r.frames().stream().filter(f -> f.on(c.index()) && f != request).toList();
      for (Frame f : moved) {
        edits.replace(f, f.withConn(again));
      }
      if (c.rawTcp()) {
        connections.add(c.copy(again, c.url(), label, c.sessionVar()));
        String line = request.data().substring(0, request.data().indexOf("\r\n"));
        String[] parts = line.split(" ");
        parts[1] = withoutTicket(parts[1]);
        edits.insertAfter(request, List.of(
            Frame.raw(Direction.IN, c.index(), request.tMs(), UNAUTHORIZED, List.of(),
                "Tollgate refuses a ticket it did not issue"),
            Frame.raw(Direction.OUT, again, request.tMs() + 1,
                String.join(" ", parts) + request.data().substring(line.length()), null,
                "Tollgate: the same request without ?ticket")));
        where.add("conn " + c.index() + " " + line + ": 401, then conn " + again + " without the ticket");
      } else {
        connections.add(c.copy(again, URI.create(withoutTicket(c.url().toString())), label, c.sessionVar()));
        where.add("conn " + c.index() + " " + c.url() + ": 401, then conn " + again + " without the ticket");
      }
      connections.set(c.index(), (c.rawTcp() ? c : c.withHandshake(new Handshake(401, List.of())))
          .withSessionVar(null));
      variables.replaceAll(v -> v.conn() == c.index() ? v.withConn(again) : v);
    }
    if (where.isEmpty()) {
      return Rewrite.none(r);
    }
    return new Rewrite(edits.applyTo(r).withConnections(connections).withVariables(variables), where);
  }

  /** Whether a query names a {@code ticket} parameter, as PHP's parse_str (and Oro) read it. */
  static boolean hasTicket(String rawQuery) {
    return rawQuery != null && Stream.of(rawQuery.split("&")).anyMatch(UrlTicket::isTicket);
  }

  private static boolean isTicket(String pair) {
    String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
    return URLDecoder.decode(name, StandardCharsets.UTF_8).equals("ticket");
  }

  /** A URI or request target with the {@code ticket} parameter taken out of its query, the rest kept in order. */
  static String withoutTicket(String uri) {
    int q = uri.indexOf('?');
    if (q < 0) {
      return uri;
    }
    String rest = Stream.of(uri.substring(q + 1).split("&")).filter(p -> !isTicket(p))
        .collect(Collectors.joining("&"));
    return uri.substring(0, q) + (rest.isEmpty() ? "" : "?" + rest);
  }

  private static Frame rawRequest(Recording r, Connection c) {
    return r.frames().stream().filter(f -> f.on(c.index()) && f.dir() == Direction.OUT && f.kind() == Kind.RAW)
        .findFirst().orElse(null);
  }

  private static URI target(String request) {
    return URI.create(request.substring(0, request.indexOf("\r\n")).split(" ")[1]);
  }
}
