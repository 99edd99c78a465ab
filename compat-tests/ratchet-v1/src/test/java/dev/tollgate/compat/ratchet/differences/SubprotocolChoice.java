package dev.tollgate.compat.ratchet.differences;

import dev.tollgate.compat.ratchet.recording.NotReplayableException;
import dev.tollgate.compat.ratchet.recording.Recording;
import dev.tollgate.compat.ratchet.recording.Recording.Connection;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.Recording.Handshake;
import dev.tollgate.compat.ratchet.recording.Recording.Kind;
import dev.tollgate.compat.ratchet.recording.V1;
import dev.tollgate.protocol.Serializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The choice between the subprotocols a client offers. Ratchet speaks only {@code wamp}: it takes it wherever the
 * client offers it, and otherwise answers 426 (strict) or a 101 without a subprotocol (lenient), which conforming
 * clients refuse. Tollgate takes the first subprotocol of the client's offer that it speaks, WAMP v2 included, and
 * answers 400 to an offer of none it speaks. Where the two choices differ, the connection's handshake (or raw answer)
 * is rewritten to Tollgate's; a WAMP v2 session then waits for the client's HELLO, so a connection whose recording
 * holds nothing but the handshake, a WELCOME and a close is played to that, and one that carried WAMP v1 traffic
 * cannot be played at all.
 */
final class SubprotocolChoice implements Difference {
  /** What Tollgate speaks, as its WampNegotiator accepts it: WAMP v2 in every serializer, and WAMP v1. */
  static final List<String> SPOKEN = Stream.concat(Stream.of(Serializer.values()).map(Serializer::subprotocol),
      Stream.of("wamp")).toList();

  @Override
  public String name() {
    return "subprotocol-choice";
  }

  @Override
  public String reason() {
    return "RFC 6455 4.2.2 lets a server pick \"one or none of the acceptable protocols\" it speaks; Ratchet speaks"
        + " only wamp (426 when strict, a 101 without a subprotocol when lenient, which the ws client refused),"
        + " Tollgate speaks " + String.join(", ", SPOKEN) + " and picks the first the client offers, in the client's"
        + " order (WampNegotiator), or answers 400 listing what it speaks. A WAMP v2 session sends no WELCOME: the"
        + " client speaks first";
  }

  @Override
  public Rewrite rewrite(Recording r) {
    List<Connection> connections = new ArrayList<>(r.connections());
    FrameEdits edits = new FrameEdits(r);
    List<String> where = new ArrayList<>();
    for (Connection c : r.connections()) {
      List<String> offer = r.offerOf(c);
      if (offer == null || offer.isEmpty()) {
        continue; // no offer: the strict or lenient v1 handshake (Setup), the same choice as Ratchet's
      }
      String ratchet = offer.contains("wamp") ? "wamp" : null;
      String tollgate = offer.stream().filter(SPOKEN::contains).findFirst().orElse(null);
      if (tollgate != null && tollgate.equals(ratchet)) {
        continue; // both take wamp; an offer of nothing Tollgate speaks is 400, never Ratchet's 426 or bare 101
      }
      List<Frame> on = r.frames().stream().filter(f -> f.on(c.index())).toList();
      Frame v1Traffic = on.stream().filter(f -> !handshakeOrClose(f)).findFirst().orElse(null);
      if (v1Traffic != null) {
        throw new NotReplayableException(r.name() + ": conn " + c.index() + " offered " + offer + "; Tollgate speaks "
            + (tollgate == null ? "none of it (400)" : tollgate) + " with it where Ratchet spoke "
            + (ratchet == null ? "none" : ratchet) + ", so the WAMP v1 traffic recorded on it (" + v1Traffic.describe()
            + ") has no counterpart; record this client with an offer Tollgate answers with wamp");
      }
      where.add("conn " + c.index() + " offers " + offer + ": Ratchet " + (ratchet != null ? ratchet
          : "lenient".equals(r.modeOf(c)) ? "101 without a subprotocol" : "426") + ", Tollgate "
          + (tollgate == null ? "400" : tollgate));
      if (c.rawTcp()) {
        for (Frame f : on) {
          if (f.dir() == Direction.IN && f.kind() == Kind.RAW) {
            edits.replace(f, Frame.raw(Direction.IN, c.index(), f.tMs(), tollgate == null
                ? "HTTP/1.1 400 Bad Request\r\n\r\n"
                : "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Protocol: " + tollgate + "\r\n\r\n", List.of(), "Tollgate's answer to " + offer));
          }
        }
        continue;
      }
      connections.set(c.index(), c.withHandshake(tollgate == null ? new Handshake(400, List.of())
          : new Handshake(101, List.of(Map.entry("Upgrade", "websocket"), Map.entry("Connection", "Upgrade"),
              Map.entry("Sec-WebSocket-Protocol", tollgate)))));
      List<Frame> gone = on.stream().filter(f -> f.dir() == Direction.IN && f.kind() != Kind.CLOSE
          || f.kind() == Kind.CLOSE && Integer.valueOf(1006).equals(f.closeCode())).toList();
      boolean clientCloses = on.stream().anyMatch(f -> f.dir() == Direction.OUT && f.kind() == Kind.CLOSE);
      Frame at = gone.isEmpty() ? null : gone.get(0);
      if (at != null) {
        List<Frame> instead = tollgate == null
            ? List.of(Frame.httpResponse(c.index(), at.tMs(), 400, "Tollgate refuses an offer of none it speaks"))
            : clientCloses ? List.of()
            : List.of(Frame.close(Direction.OUT, c.index(), at.tMs(), 1000,
                    "Tollgate: the v2 session waits for HELLO; the client leaves normally instead"),
                Frame.close(Direction.IN, c.index(), at.tMs() + 1, 1000, "Tollgate"));
        edits.replace(at, instead);
        gone.stream().skip(1).forEach(edits::remove);
      }
    }
    if (where.isEmpty()) {
      return Rewrite.none(r);
    }
    return new Rewrite(edits.applyTo(r).withConnections(connections), where);
  }

  /** A frame of the handshake, the v1 WELCOME, a refusal the client reported, or the close. */
  private static boolean handshakeOrClose(Frame f) {
    return switch (f.kind()) {
      case RAW, HTTP_RESPONSE, CLIENT_ERROR, CLOSE -> true;
      case TEXT -> f.dir() == Direction.IN && V1.is(f, V1.WELCOME);
      default -> false;
    };
  }
}
