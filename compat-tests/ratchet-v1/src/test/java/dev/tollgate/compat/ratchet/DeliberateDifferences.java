package dev.tollgate.compat.ratchet;

import dev.tollgate.compat.ratchet.recording.PhpJson;
import dev.tollgate.compat.ratchet.recording.Recording.Connection;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.Recording.Handshake;
import dev.tollgate.compat.ratchet.recording.Recording.Kind;
import dev.tollgate.compat.ratchet.recording.Recording;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Where Tollgate does not do what Ratchet did, on purpose: the one table of it. A scenario listed here is still
 * replayed in full, against the recording rewritten to what Tollgate documents instead; it counts as "deliberately
 * different" when Tollgate does exactly that, and fails otherwise. Nothing is skipped.
 */
final class DeliberateDifferences {
  private DeliberateDifferences() {}

  /**
   * A scenario Tollgate plays differently.
   *
   * @param tollgate the recording rewritten to what Tollgate must do instead
   */
  record Difference(String scenario, String reason, UnaryOperator<Recording> tollgate) {}

  /** Differences in every scenario, which the comparison itself allows for (see {@link Replayer}). */
  static final List<String> EVERYWHERE = List.of(
      "session ids: Tollgate's are decimal integers, Ratchet's uniqid strings (the recordings' pattern); they are"
          + " bound by position, any non-empty string is accepted, and two sessions may not share one",
      "handshake headers: Tollgate is not Ratchet (no X-Powered-By, its own header order, reason phrase and body);"
          + " the status, Sec-WebSocket-Accept, Sec-WebSocket-Protocol, Upgrade and Connection are compared",
      "close reasons are implementation text (\"Ratchet detected an invalid UTF-8 payload\"); the code is compared,"
          + " the reason only where the server echoes the client's own",
      "request paths: Ratchet served any path, Tollgate its endpoint's (/ws); recorded paths are replaced by it,"
          + " queries kept",
      "PHP's JSON encoding: see PhpJson for what counts as the same value");

  private static final String CURIE = "Ratchet resolves a CURIE as prefix + \"#\" + suffix; the WAMP v1 spec and"
      + " AutobahnJS resolve prefix + suffix, and so does Tollgate. ";

  static final Map<String, Difference> BY_SCENARIO = table(
      new Difference("call-missing-procedure-crash",
          "Ratchet's process dies on [2, \"a-1\"] (a PHP TypeError in Topic::__toString) and drops every connection;"
              + " Tollgate answers CALLERROR wamp.error.invalid_argument with a readable message, and the caller and"
              + " the bystander go on (both still get CALLRESULTs and close normally)",
          r -> replace(r, 3, List.of(
              text(Direction.IN, 0, 11, "[4,\"a-1\",\"wamp.error.invalid_argument\",\"${READABLE_MESSAGE}\"]"),
              text(Direction.OUT, 1, 261, "[2,\"alive\",\"sample/sum\",1]"),
              text(Direction.IN, 1, 262, "[3,\"alive\",{\"result\":1}]"),
              text(Direction.OUT, 0, 512, "[2,\"alive\",\"sample/sum\",2]"),
              text(Direction.IN, 0, 513, "[3,\"alive\",{\"result\":2}]"),
              close(Direction.OUT, 0, 763, 1000),
              close(Direction.OUT, 1, 763, 1000),
              close(Direction.IN, 0, 764, 1000),
              close(Direction.IN, 1, 764, 1000)), 4)),
      new Difference("prefix-subscribe-curie",
          CURIE + "With PREFIX event = http://example.com/event, event:news is http://example.com/eventnews: the"
              + " publish to http://example.com/event#news reaches nobody, and the CURIE publish arrives as"
              + " http://example.com/eventnews",
          r -> replace(editData(r, 7, "event#news", "eventnews"), 5, List.of(), 1)),
      new Difference("autobahnjs-gos-client-session",
          CURIE + "With PREFIX ex = http://example.com/simple/calc#, ex:square and ex:news are calc#square and"
              + " calc#news (Ratchet: calc##…), the URIs AutobahnJS itself expects, so its callbacks would fire",
          r -> editData(editData(r, 30, "calc##", "calc#"), 34, "calc##", "calc#")),
      new Difference("handshake-no-subprotocol-strict",
          "Tollgate's default is lenient (a client offering no subprotocol speaks WAMP v1, as Gos runs Ratchet);"
              + " this strict recording runs against v1.allow-no-subprotocol=false, which answers 426 like Ratchet."
              + " Ratchet's 426 also names Sec-WebSocket-Protocol: wamp; Jetty writes that header only with an"
              + " accepted upgrade, so Tollgate's 426 carries Sec-WebSocket-Version: 13 and no subprotocol",
          DeliberateDifferences::refusalWithoutSubprotocolHeader),
      new Difference("handshake-unsupported-subprotocol",
          "Tollgate is a WAMP v2 router too: an offer of wamp.2.json gets a 101 with Sec-WebSocket-Protocol"
              + " wamp.2.json and no WELCOME (a v2 client speaks first), strict or lenient; Ratchet speaks only wamp"
              + " (426 when strict, a 101 without a subprotocol when lenient, which the ws client refused)",
          DeliberateDifferences::wampV2Accepted),
      new Difference("handshake-raw-bytes",
          "the request carries ?ticket=abc, which this Ratchet stack ignored (no authentication); Tollgate checks"
              + " every URL ticket before the upgrade and refuses one it cannot accept with 401 (README, Tickets)."
              + " Replayed as recorded expecting 401, then without the ticket expecting the recorded 101 and WELCOME",
          DeliberateDifferences::ticketChecked));

  /** The difference for a scenario, or null when Tollgate must do exactly what Ratchet did. */
  static Difference of(String scenario) {
    return BY_SCENARIO.get(scenario);
  }

  private static Recording refusalWithoutSubprotocolHeader(Recording r) {
    List<Connection> connections = new ArrayList<>();
    for (Connection c : r.connections()) {
      Handshake h = c.handshake();
      if (h != null && h.status() == 426) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(h.headers());
        headers.removeIf(e -> e.getKey().equalsIgnoreCase("Sec-WebSocket-Protocol"));
        c = c.withHandshake(new Handshake(h.status(), headers));
      }
      connections.add(c);
    }
    Recording edited = r.withConnections(connections);
    for (Frame f : r.frames()) {
      if (f.dir() == Direction.IN && f.kind() == Kind.RAW && f.data() != null && f.data().startsWith("HTTP/1.1 426")) {
        edited = editData(edited, f.seq(), "Sec-WebSocket-Protocol: wamp\r\n", "");
      }
    }
    return edited;
  }

  private static Recording wampV2Accepted(Recording r) {
    Handshake v2 = new Handshake(101, List.of(Map.entry("Upgrade", "websocket"), Map.entry("Connection", "Upgrade"),
        Map.entry("Sec-WebSocket-Protocol", "wamp.2.json")));
    List<Connection> connections = new ArrayList<>();
    for (Connection c : r.connections()) {
      connections.add(c.rawTcp() ? c : c.withHandshake(v2));
    }
    String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: wamp.2.json\r\n\r\n";
    List<Frame> frames = new ArrayList<>();
    for (Frame f : r.frames()) {
      boolean rawAnswer = f.dir() == Direction.IN && f.kind() == Kind.RAW;
      if (rawAnswer) {
        frames.add(raw(Direction.IN, f.conn(), f.tMs(), head, List.of()));
      } else if (f.kind() == Kind.HTTP_RESPONSE || f.kind() == Kind.CLIENT_ERROR) {
        // The v2 session waits for HELLO; the client leaves normally instead.
        frames.add(close(Direction.OUT, f.conn(), f.tMs(), 1000));
        frames.add(close(Direction.IN, f.conn(), f.tMs() + 1, 1000));
      } else if (!(f.kind() == Kind.CLOSE && f.closeCode() != null && f.closeCode() == 1006)) {
        frames.add(f);
      }
    }
    return r.withConnections(connections).withFrames(frames);
  }

  private static Recording ticketChecked(Recording r) {
    Connection recorded = r.connections().get(0);
    List<Connection> connections = List.of(recorded, new Connection(1, "the same request without ?ticket=abc",
        recorded.url(), true, recorded.offer(), null, null));
    Frame request = r.frames().get(0);
    Frame answer = r.frames().get(1);
    List<Frame> frames = List.of(
        request,
        raw(Direction.IN, 0, answer.tMs(), "HTTP/1.1 401 Unauthorized\r\n\r\n", List.of()),
        raw(Direction.OUT, 1, answer.tMs() + 250, request.data().replace("?ticket=abc", ""), null),
        new Frame(INSERTED, answer.tMs() + 850, 1, Direction.IN, Kind.RAW, answer.data(), null, null, 1,
            null, null, null, answer.afterHead(), null, "as recorded"));
    return r.withConnections(connections).withFrames(frames);
  }

  /** The seq of a frame Tollgate adds to a recording; failures name such frames by their note "Tollgate". */
  private static final int INSERTED = -1;

  private static Map<String, Difference> table(Difference... differences) {
    Map<String, Difference> table = new LinkedHashMap<>();
    for (Difference d : differences) {
      table.put(d.scenario(), d);
    }
    return Collections.unmodifiableMap(table);
  }

  /** The recording with frames {@code first} … {@code first + count - 1} (by seq) replaced by {@code with}. */
  private static Recording replace(Recording r, int first, List<Frame> with, int count) {
    List<Frame> frames = new ArrayList<>();
    boolean inserted = false;
    for (Frame f : r.frames()) {
      if (f.seq() >= first && f.seq() < first + count) {
        if (!inserted) {
          frames.addAll(with);
          inserted = true;
        }
      } else {
        frames.add(f);
      }
    }
    if (!inserted) {
      throw new IllegalStateException(r.name() + " has no frame " + first + ": the recording changed");
    }
    return r.withFrames(frames);
  }

  /** The recording with one frame's text (and template) edited; the frame must contain {@code from}. */
  private static Recording editData(Recording r, int seq, String from, String to) {
    List<Frame> frames = new ArrayList<>();
    for (Frame f : r.frames()) {
      if (f.seq() == seq) {
        if (f.data() == null || !f.data().contains(from)) {
          throw new IllegalStateException(r.name() + " frame " + seq + " no longer contains " + from);
        }
        f = new Frame(f.seq(), f.tMs(), f.conn(), f.dir(), f.kind(), f.data().replace(from, to), f.bytes(),
            f.template() == null ? null : f.template().replace(from, to), f.fragments(), f.closeCode(),
            f.closeReason(), f.status(), f.afterHead(), f.truncatedSha256(), "Tollgate: " + from + " -> " + to);
      }
      frames.add(f);
    }
    return r.withFrames(frames);
  }

  private static Frame text(Direction dir, int conn, long tMs, String data) {
    return new Frame(INSERTED, tMs, conn, dir, Kind.TEXT, data, null, data.contains("${") ? data : null, 1, null,
        null, null, null, null, "Tollgate");
  }

  private static Frame close(Direction dir, int conn, long tMs, int code) {
    return new Frame(INSERTED, tMs, conn, dir, Kind.CLOSE, null, null, null, 1, code, "", null, null, null,
        "Tollgate");
  }

  private static Frame raw(Direction dir, int conn, long tMs, String data, List<Recording.WsFrame> afterHead) {
    return new Frame(INSERTED, tMs, conn, dir, Kind.RAW, data, null, null, 1, null, null, null, afterHead, null,
        "Tollgate");
  }
}
