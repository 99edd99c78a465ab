package dev.tollgate.compat.ratchet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.compat.ratchet.RawWebSocket.HttpHead;
import dev.tollgate.compat.ratchet.RawWebSocket.Inbound;
import dev.tollgate.compat.ratchet.RawWebSocket.Type;
import dev.tollgate.compat.ratchet.recording.Bindings;
import dev.tollgate.compat.ratchet.recording.LargePayload;
import dev.tollgate.compat.ratchet.recording.PhpJson;
import dev.tollgate.compat.ratchet.recording.Recording.Connection;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.Recording;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Plays one recording against a Tollgate: opens the recorded connections when their first frame comes up (with the
 * recorded subprotocol offer, on the endpoint's path, keeping the recorded query), sends the client's frames byte
 * for byte, at the recorded pace, and checks every server frame in order, per connection:
 *
 * <ul>
 *   <li>text by JSON value through {@link PhpJson} (exact text when the recording's is not JSON), session ids bound
 *       by position through {@link Bindings} (a WELCOME's element 1 always binds one);
 *   <li>handshakes by status, Sec-WebSocket-Accept, Sec-WebSocket-Protocol, Upgrade and Connection;
 *   <li>close frames by code (the reason only where the server echoes the client's own), then the end of TCP;
 *       a recorded 1006 means TCP ended with no close frame;
 *   <li>a payload the recording kept as length and SHA-256 ({@link LargePayload}) by its bytes, or, where only the
 *       encoding differs, by the SHA-256 of PHP's encoding of Tollgate's value;
 *   <li>an answer a deliberate difference lets trail ({@link Frame#mayTrail()}) wherever it comes before the
 *       connection's close;
 *   <li>and finally that nothing else arrived on any connection within {@link #QUIET}.
 * </ul>
 *
 * A pause the recording had before a client frame is kept (up to {@link #MAX_PAUSE}), because the frames that did
 * NOT arrive in it are part of what was recorded, and because frames on different connections are only ordered
 * by time. The first difference fails the replay with an {@link AssertionError} naming the frame.
 */
final class Replayer {
  /** How long an expected server frame may take. */
  static final Duration FRAME_WAIT = Duration.ofSeconds(3);
  /** How long, after the last recorded frame, nothing more may arrive. */
  static final Duration QUIET = Duration.ofMillis(400);
  static final Duration MAX_PAUSE = Duration.ofSeconds(2);

  private final Recording recording;
  private final ReplayTarget target;
  private final Bindings bindings = new Bindings();
  private final Peer[] peers;

  private Replayer(Recording recording, ReplayTarget target) {
    this.recording = recording;
    this.target = target;
    this.peers = new Peer[recording.connections().size()];
    for (Connection c : recording.connections()) {
      peers[c.index()] = new Peer(c);
    }
  }

  /** Replays a recording; throws {@link AssertionError} at the first difference. */
  static void replay(Recording recording, ReplayTarget target) throws IOException, InterruptedException {
    Replayer r = new Replayer(recording, target);
    try {
      r.run();
    } finally {
      for (Peer p : r.peers) {
        if (p.ws != null) {
          p.ws.abort();
        }
      }
    }
  }

  private void run() throws IOException, InterruptedException {
    int problemsBefore = target.problems().size();
    long previousT = recording.frames().isEmpty() ? 0 : recording.frames().get(0).tMs();
    for (Frame f : recording.frames()) {
      if (f.dir() == Recording.Direction.NOTE) {
        continue; // the recorder's own observations (client library callbacks), not traffic
      }
      Peer peer = peer(f.conn());
      if (f.dir() == Recording.Direction.OUT) {
        Thread.sleep(Math.max(0, Math.min(f.tMs() - previousT, MAX_PAUSE.toMillis())));
        send(peer, f);
      } else {
        if (!peer.recorded.rawTcp()) {
          peer.open();
        }
        expect(peer, f);
      }
      previousT = f.tMs();
    }
    for (Peer p : peers) {
      if (!p.recorded.rawTcp()) {
        p.open(); // a connection the recording shows no frame for still had its handshake checked
      }
      expectTrailing(p, "the end of the recording");
    }
    Thread.sleep(QUIET.toMillis());
    for (Peer p : peers) {
      if (p.ws != null) {
        Inbound stray = p.ws.next(Duration.ZERO);
        if (stray != null && stray.type() != Type.END) {
          fail(null, p, "after the last recorded frame, nothing more was expected but got " + stray.describe());
        }
      }
    }
    List<String> problems = target.problems();
    if (problems.size() > problemsBefore) {
      throw new AssertionError(recording.name() + ": " + problems.subList(problemsBefore, problems.size()));
    }
  }

  private Peer peer(Integer conn) {
    if (conn == null || conn < 0 || conn >= peers.length) {
      throw new IllegalArgumentException(recording.name() + ": a frame names connection " + conn
          + " but the recording has " + peers.length);
    }
    return peers[conn];
  }

  private void send(Peer peer, Frame f) throws IOException {
    if (f.kind() == Recording.Kind.RAW) {
      peer.openRaw(f);
      return;
    }
    peer.open();
    try {
      switch (f.kind()) {
        case TEXT -> peer.ws.sendText(clientPayload(f), f.fragments());
        case BINARY -> peer.ws.sendBinary(clientPayload(f), f.fragments());
        case PING -> peer.ws.sendPing(clientPayload(f));
        case CLOSE -> {
          peer.sentCloseReason = f.closeReason();
          peer.ws.sendClose(f.closeCode() == null || f.closeCode() == 1005 ? null : f.closeCode(), f.closeReason());
        }
        default -> throw new UnsupportedOperationException(describe(f) + ": a client cannot send " + f.kind());
      }
    } catch (IOException serverLeft) {
      // The server closed the connection first; what it sent before that tells the difference, so go on.
      if (peer.unsent == null) {
        peer.unsent = f.describe() + " could not be sent (" + serverLeft.getMessage() + ")";
      }
    }
  }

  private byte[] clientPayload(Frame f) {
    if (f.bytes() != null) {
      return f.bytes();
    }
    if (f.large() != null && f.data() == null) {
      throw new IllegalStateException(describe(f) + ": the recording left this payload out (see whyNotReplayable)");
    }
    String text = f.template() != null ? bindings.substitute(f.template()) : f.data();
    return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
  }

  private void expect(Peer peer, Frame f) {
    switch (f.kind()) {
      case TEXT, BINARY -> {
        Inbound in = peer.next(f);
        String difference;
        while ((difference = difference(f, peer, in)) != null) {
          if (peer.answersTrailing(in)) {
            in = peer.next(f);
          } else if (f.mayTrail()) {
            peer.trailing.add(f); // it may still come, before the connection closes
            peer.early.addFirst(in);
            return;
          } else {
            fail(f, peer, difference + (peer.trailing.isEmpty() ? "" : "\n    (still expected, may trail: "
                + peer.trailing.stream().map(Frame::describe).toList() + ")"));
          }
        }
      }
      case PING, PONG -> {
        Inbound in = peer.next(f);
        if (in.type() != (f.kind() == Recording.Kind.PING ? Type.PING : Type.PONG)
            || !Arrays.equals(in.payload(), clientPayload(f))) {
          fail(f, peer, "got " + in.describe());
        }
      }
      case CLOSE -> expectClose(peer, f);
      case HTTP_RESPONSE -> {
        if (f.status() != null && peer.ws.head().status() != f.status()) {
          fail(f, peer, "expected HTTP " + f.status() + " but got " + peer.ws.head().text().strip());
        }
      }
      case RAW -> expectRawAnswer(peer, f);
      case CLIENT_ERROR -> {
        String refusal = refusal(peer.ws.head(), peer.offer());
        if (refusal == null) {
          fail(f, peer, "the recorded client refused the handshake (" + f.data() + "), but Tollgate's answer is one a"
              + " conforming client accepts: " + peer.ws.head().text().strip());
        }
        peer.ws.abort();
        peer.clientAborted = true;
      }
      default -> throw new UnsupportedOperationException(describe(f) + ": cannot expect " + f.kind());
    }
  }

  private void expectClose(Peer peer, Frame f) {
    expectTrailing(peer, f.describe());
    Inbound in = peer.next(f);
    if (f.closeCode() != null && f.closeCode() == 1006) {
      if (in.type() != Type.END) {
        fail(f, peer, "expected the TCP connection to end without a close frame but got " + in.describe());
      }
      return;
    }
    if (in.type() != Type.CLOSE) {
      fail(f, peer, "expected " + f.describe() + " but got " + in.describe());
    }
    Integer expectedCode = f.closeCode() == null || f.closeCode() == 1005 ? null : f.closeCode();
    if (!Objects.equals(expectedCode, in.closeCode())) {
      fail(f, peer, "expected close code " + (expectedCode == null ? "(none)" : expectedCode) + " but got "
          + in.describe());
    }
    boolean echo = peer.sentCloseReason != null && !peer.sentCloseReason.isEmpty()
        && peer.sentCloseReason.equals(f.closeReason());
    if (echo && !peer.sentCloseReason.equals(in.closeReason())) {
      fail(f, peer, "expected the client's close reason \"" + peer.sentCloseReason + "\" echoed but got "
          + in.describe());
    }
    Inbound after = peer.next(f);
    if (after.type() != Type.END) {
      fail(f, peer, "after the close frame, expected the TCP connection to end but got " + after.describe());
    }
  }

  private void expectRawAnswer(Peer peer, Frame f) {
    if (peer.ws == null) {
      fail(f, peer, "a raw answer was recorded before any raw request on this connection");
    }
    HttpHead expected = HttpHead.parse(f.data());
    compareHead(f, peer, expected.status(), expected::header, peer.ws.head());
    if (f.afterHead() == null) {
      return;
    }
    for (Recording.WsFrame w : f.afterHead()) {
      Inbound in = peer.next(f);
      Type type = w.opcode() == RawWebSocket.TEXT ? Type.TEXT : Type.BINARY;
      if (in.type() != type || (w.fin() && in.fragments() != 1)) {
        fail(f, peer, "expected the recorded frame after the head, " + w + ", but got " + in.describe());
      }
      String difference = difference(Frame.text(Direction.IN, f.conn(), f.tMs(), w.text(), null), peer, in);
      if (difference != null) {
        fail(f, peer, difference);
      }
    }
  }

  /** Reads on until every answer that was let trail has arrived; fails on anything else before {@code what}. */
  private void expectTrailing(Peer peer, String what) {
    while (!peer.trailing.isEmpty()) {
      Frame first = peer.trailing.get(0);
      Inbound in = peer.next(first);
      if (!peer.answersTrailing(in)) {
        fail(first, peer, "this answer may trail, but it must arrive before " + what + "; got " + in.describe());
      }
    }
  }

  /**
   * What differs between a recorded server message and what arrived, or null when nothing does; binds the
   * placeholders it meets only when nothing does.
   */
  private String difference(Frame f, Peer peer, Inbound in) {
    Type type = f.kind() == Recording.Kind.TEXT ? Type.TEXT : Type.BINARY;
    if (in.type() != type) {
      return "expected a " + type.name().toLowerCase(Locale.ROOT) + " frame but got " + in.describe();
    }
    if (f.bytes() != null) {
      return Arrays.equals(f.bytes(), in.payload()) ? null : "expected bytes " + HexFormat.of().formatHex(f.bytes())
          + " but got " + HexFormat.of().formatHex(in.payload());
    }
    if (f.large() != null && f.data() == null) {
      return largeDifference(f.large(), in);
    }
    String expectedText = f.text();
    if (expectedText == null || !PhpJson.isJson(expectedText)) {
      return in.text().equals(expectedText) ? null : "expected the text " + expectedText + " but got " + in.describe();
    }
    JsonNode actual;
    try {
      actual = PhpJson.parse(in.text());
    } catch (IllegalArgumentException e) {
      return "expected JSON " + expectedText + " but got " + in.describe() + " (" + e.getMessage() + ")";
    }
    Bindings trial = bindings.copy();
    String difference = PhpJson.difference(withWelcomeSession(PhpJson.parse(expectedText), peer), actual, trial);
    if (difference != null) {
      return difference + "\n    expected " + expectedText + "\n    got      " + in.text();
    }
    bindings.adopt(trial);
    return null;
  }

  /**
   * A payload the recording kept as length and SHA-256: the same when Tollgate's bytes are, or when PHP's encoding
   * of Tollgate's value is (Ratchet re-encodes every message it relays, escaping "/" and non-ASCII).
   */
  private static String largeDifference(LargePayload recorded, Inbound in) {
    if (recorded.sameBytes(in.payload())) {
      return null;
    }
    String got = in.payload().length + " bytes (SHA-256 " + LargePayload.sha256Hex(in.payload()).substring(0, 12)
        + "…) starting " + in.text().substring(0, Math.min(60, in.text().length()));
    if (!PhpJson.isJson(in.text())) {
      return "expected " + recorded.describe() + " but got " + got;
    }
    JsonNode actual = PhpJson.parse(in.text());
    byte[] asPhp = PhpJson.encode(PhpJson.decode(in.text())).getBytes(StandardCharsets.UTF_8);
    if (recorded.sameBytes(asPhp)) {
      return null;
    }
    String bySummary = recorded.summaryDifference(actual, new Bindings());
    return "expected " + recorded.describe() + " but got " + got + "; PHP's encoding of its value is " + asPhp.length
        + " bytes (SHA-256 " + LargePayload.sha256Hex(asPhp).substring(0, 12) + "…)"
        + (bySummary == null ? "; json_summary holds the same value, elided strings aside" : "; " + bySummary);
  }

  /** A WELCOME's session id is random: whatever the recording says, element 1 binds the connection's session. */
  private JsonNode withWelcomeSession(JsonNode expected, Peer peer) {
    if (expected.isArray() && expected.size() >= 2 && expected.get(0).isNumber() && expected.get(0).asInt() == 0
        && expected.get(1).isTextual() && Bindings.placeholderName(expected.get(1)) == null) {
      ArrayNode copy = ((ArrayNode) expected).deepCopy();
      copy.set(1, TextNode.valueOf("${" + peer.sessionVariable() + "}"));
      return copy;
    }
    return expected;
  }

  /**
   * Compares an upgrade answer with the recorded one where it matters to a client: the status, and the
   * Sec-WebSocket-Accept, Sec-WebSocket-Protocol, Upgrade and Connection headers. Header order, reason phrase,
   * bodies and other headers (Ratchet's X-Powered-By) are the server's own business.
   */
  private void compareHead(Frame f, Peer peer, int expectedStatus, Function<String, String> expected,
      HttpHead actual) {
    if (actual.status() != expectedStatus) {
      fail(f, peer, "expected HTTP " + expectedStatus + " but got: " + actual.text().strip());
    }
    String protocol = expected.apply("Sec-WebSocket-Protocol");
    if (!Objects.equals(protocol, actual.header("Sec-WebSocket-Protocol"))) {
      fail(f, peer, "expected Sec-WebSocket-Protocol " + (protocol == null ? "absent" : protocol) + " but got: "
          + actual.text().strip());
    }
    if (expectedStatus == 101) {
      String accept = RawWebSocket.acceptFor(peer.key);
      if (!accept.equals(actual.header("Sec-WebSocket-Accept"))) {
        fail(f, peer, "expected Sec-WebSocket-Accept " + accept + " but got: " + actual.text().strip());
      }
    }
    for (String name : List.of("Upgrade", "Connection")) {
      String value = expected.apply(name);
      String got = actual.header(name);
      if (value != null && (got == null || Arrays.stream(got.split(",")).map(String::strip)
          .noneMatch(value::equalsIgnoreCase))) {
        fail(f, peer, "expected " + name + ": " + value + " but got: " + actual.text().strip());
      }
    }
  }

  /** Why a conforming client (RFC 6455 4.1) refuses this answer to its offer, or null if it accepts it. */
  static String refusal(HttpHead head, List<String> offer) {
    if (head.status() != 101) {
      return "status " + head.status();
    }
    String protocol = head.header("Sec-WebSocket-Protocol");
    if (offer != null && !offer.isEmpty() && protocol == null) {
      return "Server sent no subprotocol";
    }
    if (protocol != null && (offer == null || !offer.contains(protocol))) {
      return "Server sent an invalid subprotocol";
    }
    return null;
  }

  private String describe(Frame f) {
    return recording.name() + " " + f.describe();
  }

  private void fail(Frame f, Peer peer, String what) {
    throw new AssertionError(recording.name() + ", " + (f == null ? "conn " + peer.recorded.index() : f.describe())
        + ":\n    " + what + (peer.unsent == null ? "" : "\n    (earlier, " + peer.unsent + ")"));
  }

  /** One recorded connection and its live counterpart. */
  private final class Peer {
    final Connection recorded;
    RawWebSocket ws;
    String key;
    String sentCloseReason;
    boolean clientAborted;
    /** The first client frame that could not be sent because the server had closed the connection. */
    String unsent;
    /** Server frames that arrived while an answer that may trail was expected, to be read again first. */
    final Deque<Inbound> early = new ArrayDeque<>();
    /** Answers that were let trail and have not arrived yet. */
    final List<Frame> trailing = new ArrayList<>();

    Peer(Connection recorded) {
      this.recorded = recorded;
    }

    List<String> offer() {
      return recording.offerOf(recorded);
    }

    URI endpoint() {
      return target.endpoint(Setup.strictness(recording, recorded));
    }

    String sessionVariable() {
      String name = recording.sessionVariable(recorded.index());
      return name != null ? name : "SESSION_OF_CONN_" + recorded.index();
    }

    /** Opens a WebSocket connection the first time; checks the handshake against the recorded one. */
    void open() throws IOException {
      if (ws != null) {
        return;
      }
      if (recorded.rawTcp()) {
        throw new IllegalStateException(recording.name() + ": raw connection " + recorded.index()
            + " has a frame before its raw request");
      }
      URI endpoint = endpoint();
      String query = recorded.url().getRawQuery();
      key = RawWebSocket.newKey();
      byte[] request = RawWebSocket.upgradeRequest(endpoint.getHost() + ":" + endpoint.getPort(),
          endpoint.getRawPath() + (query == null ? "" : "?" + query), key, recorded.offer());
      ws = RawWebSocket.open(endpoint.getHost(), endpoint.getPort(), request, FRAME_WAIT);
      Recording.Handshake h = recorded.handshake();
      compareHead(null, this, h.status(), h::header, ws.head());
    }

    /** Writes a recorded raw upgrade request, pointed at the endpoint's host and path, keeping its query. */
    void openRaw(Frame f) throws IOException {
      if (ws != null) {
        throw new IllegalStateException(describe(f) + ": a second raw request on one connection");
      }
      URI endpoint = endpoint();
      String request = retarget(f.data(), endpoint);
      key = header(request, "Sec-WebSocket-Key");
      ws = RawWebSocket.open(endpoint.getHost(), endpoint.getPort(), request.getBytes(StandardCharsets.UTF_8),
          FRAME_WAIT);
    }

    /** Whether a frame that arrived is one of the answers let trail; takes it off the list when it is. */
    boolean answersTrailing(Inbound in) {
      for (Frame t : trailing) {
        if (difference(t, this, in) == null) {
          trailing.remove(t);
          return true;
        }
      }
      return false;
    }

    Inbound next(Frame f) {
      if (ws == null) {
        fail(f, this, "the connection was never opened");
      }
      if (!early.isEmpty()) {
        return early.removeFirst();
      }
      Inbound in = ws.next(FRAME_WAIT);
      if (in == null) {
        fail(f, this, "nothing arrived within " + FRAME_WAIT.toMillis() + " ms");
      }
      if (in.type() == Type.BROKEN) {
        fail(f, this, "the server sent " + in.describe());
      }
      return in;
    }
  }

  /**
   * The recorded request with its target's path replaced by the endpoint's (Ratchet accepted any path; Tollgate
   * serves one) and its Host header by the endpoint's authority. The query and every other byte stay.
   */
  static String retarget(String request, URI endpoint) {
    int lineEnd = request.indexOf("\r\n");
    String[] requestLine = request.substring(0, lineEnd).split(" ");
    URI recordedTarget = URI.create(requestLine[1]);
    String query = recordedTarget.getRawQuery();
    requestLine[1] = endpoint.getRawPath() + (query == null ? "" : "?" + query);
    String rest = request.substring(lineEnd).replaceFirst("(?im)^(Host:)[^\\r\\n]*",
        "$1 " + endpoint.getHost() + ":" + endpoint.getPort());
    return String.join(" ", requestLine) + rest;
  }

  private static String header(String request, String name) {
    for (String line : request.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }
}
