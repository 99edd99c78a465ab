package dev.tollgate.compat.ratchet.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One scenario recorded against a reference server, as read from a file in the format of
 * {@code ../shared/compat/ratchet-v1/index.json}: the connections, every frame in observed order and the random
 * values to bind. Immutable; the deliberate differences derive the scenario Tollgate must play instead with
 * {@link #withConnections}, {@link #withFrames} and {@link #withVariables}.
 *
 * @param modeByPort which recorded server ("strict" or "lenient") listened on which port, from the server log's keys
 */
public record Recording(String name, String description, String serverMode, Map<Integer, String> modeByPort,
    List<Connection> connections, List<Frame> frames, List<Variable> variables, String notes) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Who sent a frame: the client ("out"), the server ("in"), or nobody (a recorder's "note"). */
  public enum Direction { OUT, IN, NOTE }

  /** The recorded frame types, as in the format's {@code frame.type}. */
  public enum Kind {
    TEXT, BINARY, PING, PONG, CLOSE, RAW, HTTP_RESPONSE, CLIENT_ERROR, CLIENT_CALLBACK;

    static Kind parse(String type) {
      try {
        return valueOf(type.toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown frame type '" + type + "'");
      }
    }
  }

  /**
   * One recorded connection.
   *
   * @param offer the subprotocols the client offered, null when it sent no Sec-WebSocket-Protocol header
   * @param handshake the upgrade answer, null for raw TCP connections (their answer is a {@code raw} frame)
   */
  public record Connection(int index, String label, URI url, boolean rawTcp, List<String> offer, Handshake handshake,
      String sessionVar) {
    public int port() {
      return url.getPort();
    }

    public Connection withHandshake(Handshake replacement) {
      return new Connection(index, label, url, rawTcp, offer, replacement, sessionVar);
    }

    /** The same request made by another connection. */
    public Connection copy(int newIndex, URI newUrl, String newLabel, String newSessionVar) {
      return new Connection(newIndex, newLabel, newUrl, rawTcp, offer, handshake, newSessionVar);
    }

    public Connection withSessionVar(String replacement) {
      return new Connection(index, label, url, rawTcp, offer, handshake, replacement);
    }
  }

  /** An HTTP answer to an upgrade request: status and headers in wire order. */
  public record Handshake(int status, List<Map.Entry<String, String>> headers) {
    /** The first value of a header, case-insensitively by name; null when absent. */
    public String header(String name) {
      return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }
  }

  /**
   * One frame. Only the fields its kind uses are set.
   *
   * @param seq the recorded order; {@link #ADDED} for a frame a deliberate difference adds
   * @param data the payload as text (for {@code raw} frames the HTTP text), null when it was not valid UTF-8 or the
   *     recording kept only its length and SHA-256 and it could not be rebuilt
   * @param bytes the payload when the recording gives it as hex ({@code data_hex}), else null
   * @param template {@code data} with session ids replaced by {@code ${SESSION_n}}, null when it holds none
   * @param fragments how many WebSocket fragments a client message was sent in (1 when not recorded)
   * @param closeCode the close code; 1005 and null both mean "no status in the frame", 1006 "TCP closed bare"
   * @param afterHead for a {@code raw} answer, the frames that followed the HTTP head
   * @param large for a payload the recording kept as length and SHA-256 ({@code data_truncated}), what it kept
   * @param mayTrail a server frame that may arrive after the server frames recorded after it on its connection (but
   *     before the connection's close): set only by a deliberate difference that says why
   */
  public record Frame(int seq, long tMs, Integer conn, Direction dir, Kind kind, String data, byte[] bytes,
      String template, int fragments, Integer closeCode, String closeReason, Integer status, List<WsFrame> afterHead,
      LargePayload large, String note, boolean mayTrail) {

    /** The {@link #seq} of a frame that a deliberate difference adds; failures name it by its note. */
    public static final int ADDED = -1;

    /** An added text frame; {@code ${NAME}} in it is a placeholder (see {@link Bindings}). */
    public static Frame text(Direction dir, int conn, long tMs, String data, String note) {
      return new Frame(ADDED, tMs, conn, dir, Kind.TEXT, data, null, data.contains("${") ? data : null, 1, null, null,
          null, null, null, note, false);
    }

    /** An added close frame with a status and no reason. */
    public static Frame close(Direction dir, int conn, long tMs, int code, String note) {
      return new Frame(ADDED, tMs, conn, dir, Kind.CLOSE, null, null, null, 1, code, "", null, null, null, note, false);
    }

    /** An added raw frame: a request the client writes, or the answer's HTTP head and the frames after it. */
    public static Frame raw(Direction dir, int conn, long tMs, String data, List<WsFrame> afterHead, String note) {
      return new Frame(ADDED, tMs, conn, dir, Kind.RAW, data, null, null, 1, null, null, null, afterHead, null, note,
          false);
    }

    /** An added refusal of a WebSocket upgrade, as a WebSocket client library reports it. */
    public static Frame httpResponse(int conn, long tMs, int status, String note) {
      return new Frame(ADDED, tMs, conn, Direction.IN, Kind.HTTP_RESPONSE, "", null, null, 1, null, null, status, null,
          null, note, false);
    }

    /** This frame with another text (a template when it holds placeholders); what the recording kept of it goes. */
    public Frame withText(String text, String why) {
      return new Frame(seq, tMs, conn, dir, kind, text, null, text.contains("${") ? text : null, fragments, closeCode,
          closeReason, status, afterHead, null, why, mayTrail);
    }

    public Frame withConn(int replacement) {
      return new Frame(seq, tMs, replacement, dir, kind, data, bytes, template, fragments, closeCode, closeReason,
          status, afterHead, large, note, mayTrail);
    }

    public Frame withTime(long replacement) {
      return new Frame(seq, replacement, conn, dir, kind, data, bytes, template, fragments, closeCode, closeReason,
          status, afterHead, large, note, mayTrail);
    }

    public Frame withNote(String replacement) {
      return new Frame(seq, tMs, conn, dir, kind, data, bytes, template, fragments, closeCode, closeReason, status,
          afterHead, large, replacement, mayTrail);
    }

    public Frame withAfterHead(List<WsFrame> replacement) {
      return new Frame(seq, tMs, conn, dir, kind, data, bytes, template, fragments, closeCode, closeReason, status,
          replacement, large, note, mayTrail);
    }

    /** This server frame, allowed to trail the server frames recorded after it; {@code why} names the difference. */
    public Frame trailing(String why) {
      return new Frame(seq, tMs, conn, dir, kind, data, bytes, template, fragments, closeCode, closeReason, status,
          afterHead, large, note == null ? why : note + "; " + why, true);
    }

    /** Whether this frame is on connection {@code index}. */
    public boolean on(int index) {
      return conn != null && conn == index;
    }

    /** The text to compare or send: the template when there is one, else the data; null for other payloads. */
    public String text() {
      return template != null ? template : data;
    }

    /** What the frame says in the report and in failures. */
    public String describe() {
      String what = kind == Kind.CLOSE ? "close " + closeCode + (closeReason == null || closeReason.isEmpty()
          ? "" : " \"" + closeReason + "\"")
          : data != null && large != null ? large.describe()
          : data != null ? data : bytes != null ? "hex " + HexFormat.of().formatHex(bytes)
          : large != null ? large.describe() : "";
      return (seq >= 0 ? "seq " + seq : "an added frame") + " conn " + conn + " " + dir.name().toLowerCase(Locale.ROOT)
          + " " + kind.name().toLowerCase(Locale.ROOT) + " " + what + (mayTrail ? " (may trail)" : "")
          + (note == null ? "" : " [" + note + "]");
    }
  }

  /** A WebSocket frame decoded from raw captured bytes. */
  public record WsFrame(boolean fin, int opcode, String text) {}

  /** A random value to bind when replaying, e.g. a session id taken from a WELCOME. */
  public record Variable(String name, int conn, String value) {
    public Variable withConn(int replacement) {
      return new Variable(name, replacement, value);
    }
  }

  public Recording withConnections(List<Connection> replacement) {
    return new Recording(name, description, serverMode, modeByPort, List.copyOf(replacement), frames, variables,
        notes);
  }

  public Recording withFrames(List<Frame> replacement) {
    return new Recording(name, description, serverMode, modeByPort, connections, List.copyOf(replacement),
        variables, notes);
  }

  public Recording withVariables(List<Variable> replacement) {
    return new Recording(name, description, serverMode, modeByPort, connections, frames, List.copyOf(replacement),
        notes);
  }

  /**
   * Why this recording cannot be replayed, or null when it can: a client frame the recording kept as length and
   * SHA-256 only cannot be sent unless it could be rebuilt (see {@link LargePayload#rebuild()}).
   */
  public String whyNotReplayable() {
    List<String> why = new ArrayList<>();
    for (Frame f : frames) {
      if (f.dir() == Direction.OUT && f.large() != null && f.data() == null) {
        why.add(f.describe() + ": the recording kept it as length and SHA-256 only, and neither its head and tail"
            + " nor a repetition of what they show give that SHA-256, so it cannot be sent (record it whole, as data"
            + " or data_hex)");
      }
    }
    return why.isEmpty() ? null : String.join("; ", why);
  }

  /** The recorded server mode ("strict" or "lenient") of the server a connection went to. */
  public String modeOf(Connection c) {
    String mode = modeByPort.get(c.port());
    return mode != null ? mode : serverMode;
  }

  /**
   * The subprotocols a connection offered, null when it sent no Sec-WebSocket-Protocol header; for a raw TCP
   * connection, read from the request it wrote.
   */
  public List<String> offerOf(Connection c) {
    if (!c.rawTcp()) {
      return c.offer();
    }
    for (Frame f : frames) {
      if (f.dir() == Direction.OUT && f.kind() == Kind.RAW && Integer.valueOf(c.index()).equals(f.conn())) {
        for (String line : f.data().split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Sec-WebSocket-Protocol")) {
            return List.of(line.substring(colon + 1).strip().split("\\s*,\\s*"));
          }
        }
        return null;
      }
    }
    return c.offer();
  }

  /** The variable bound from a connection's WELCOME, or null when the recording names none. */
  public String sessionVariable(int conn) {
    for (Variable v : variables) {
      if (v.conn() == conn && v.name().startsWith("SESSION_")) {
        return v.name();
      }
    }
    return connections.get(conn).sessionVar();
  }

  /** Every recording in a folder (index.json aside), by name. */
  public static List<Recording> loadAll(Path folder) {
    List<Recording> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().equals("index.json"))
          .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList()) {
        all.add(load(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    if (all.isEmpty()) {
      throw new IllegalStateException("no recordings (*.json besides index.json) in " + folder);
    }
    return all;
  }

  public static Recording load(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read recording " + file, e);
    }
    try {
      return parse(root);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("recording " + file + " is not in the expected format: " + e.getMessage(), e);
    }
  }

  public static Recording parse(JsonNode root) {
    int version = required(root, "format_version").asInt();
    if (version != 1) {
      throw new IllegalArgumentException("format_version " + version + ", this replayer reads 1");
    }
    JsonNode server = root.path("server");
    String mode = server.path("mode").asText("strict").startsWith("lenient") ? "lenient" : "strict";
    Map<Integer, String> modeByPort = new LinkedHashMap<>();
    root.path("server_log").fieldNames().forEachRemaining(key -> {
      // Keys look like "strict:18080".
      int colon = key.lastIndexOf(':');
      if (colon > 0) {
        modeByPort.put(Integer.parseInt(key.substring(colon + 1)), key.substring(0, colon));
      }
    });
    List<Connection> connections = new ArrayList<>();
    for (JsonNode c : required(root, "connections")) {
      connections.add(connection(c, connections.size()));
    }
    List<Frame> frames = new ArrayList<>();
    for (JsonNode f : required(root, "frames")) {
      frames.add(frame(f));
    }
    frames.sort(Comparator.comparingInt(Frame::seq));
    List<Variable> variables = new ArrayList<>();
    for (JsonNode v : root.path("variables")) {
      variables.add(new Variable(required(v, "name").asText(), v.path("conn").asInt(-1), v.path("value").asText()));
    }
    return new Recording(required(root, "scenario").asText(), root.path("description").asText(""), mode,
        Map.copyOf(modeByPort), List.copyOf(connections), List.copyOf(frames), List.copyOf(variables),
        root.path("notes").asText(""));
  }

  private static Connection connection(JsonNode c, int position) {
    int index = c.path("conn").asInt(position);
    if (index != position) {
      throw new IllegalArgumentException("connection " + position + " says it is conn " + index);
    }
    List<String> offer = null;
    JsonNode requested = c.get("requested_subprotocols");
    if (requested != null && !requested.isNull()) {
      offer = new ArrayList<>();
      for (JsonNode p : requested) {
        offer.add(p.asText());
      }
      offer = List.copyOf(offer);
    }
    Handshake handshake = null;
    JsonNode h = c.get("handshake");
    if (h != null && !h.isNull()) {
      handshake = new Handshake(required(h, "status").asInt(), headers(h.path("headers")));
    }
    boolean raw = c.path("raw_tcp").asBoolean(false);
    if (!raw && handshake == null) {
      throw new IllegalArgumentException("WebSocket connection " + index + " has no handshake");
    }
    return new Connection(index, c.path("label").asText(null), URI.create(required(c, "url").asText()), raw, offer,
        handshake, c.path("session_var").asText(null));
  }

  private static List<Map.Entry<String, String>> headers(JsonNode list) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (JsonNode pair : list) {
      headers.add(Map.entry(pair.get(0).asText(), pair.get(1).asText()));
    }
    return List.copyOf(headers);
  }

  private static Frame frame(JsonNode f) {
    Direction dir = Direction.valueOf(required(f, "dir").asText().toUpperCase(Locale.ROOT));
    Kind kind = Kind.parse(required(f, "type").asText());
    JsonNode conn = f.get("conn");
    if (dir != Direction.NOTE && (conn == null || !conn.isInt())) {
      throw new IllegalArgumentException("frame " + f.path("seq") + " has no connection");
    }
    byte[] bytes = f.hasNonNull("data_hex") ? HexFormat.of().parseHex(f.get("data_hex").asText()) : null;
    List<WsFrame> afterHead = null;
    if (f.has("ws_frames")) {
      afterHead = new ArrayList<>();
      for (JsonNode w : f.get("ws_frames")) {
        afterHead.add(new WsFrame(w.path("fin").asBoolean(true), required(w, "opcode").asInt(), w.path("text").asText(null)));
      }
      afterHead = List.copyOf(afterHead);
    }
    LargePayload large = LargePayload.of(f);
    String data = f.hasNonNull("data") && large == null ? f.get("data").asText() : null;
    if (large != null && dir == Direction.OUT) {
      data = large.rebuild(); // null when it cannot be: see whyNotReplayable
    }
    return new Frame(required(f, "seq").asInt(), f.path("t_ms").asLong(0),
        conn == null || conn.isNull() ? null : conn.asInt(),
        dir, kind, data, bytes, large == null ? f.path("template").asText(null) : null, f.path("fragments").asInt(1),
        f.hasNonNull("close_code") ? f.get("close_code").asInt() : null, f.path("close_reason").asText(null),
        f.hasNonNull("status") ? f.get("status").asInt() : null, afterHead, large, f.path("note").asText(null), false);
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing \"" + field + "\"");
    }
    return value;
  }
}
