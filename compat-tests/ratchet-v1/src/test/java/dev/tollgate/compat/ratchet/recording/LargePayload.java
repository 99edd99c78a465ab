package dev.tollgate.compat.ratchet.recording;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A payload the recording kept as length and SHA-256 only: the format's {@code data_truncated}, "for payloads > 4096
 * chars: bytes, chars, sha256, head, tail (json_summary holds the parsed message with long strings elided)".
 *
 * <p>Such a frame cannot be sent as recorded, since its bytes are not all there. {@link #rebuild()} gets them back
 * only when the SHA-256 proves it: when head and tail cover the payload, or when the gap between them is a
 * repetition of what they show (a large test payload usually is: {@code "xxx…"}). A server frame is the same when
 * {@link #sameBytes} says so of Tollgate's bytes, or, where Tollgate encodes the same value otherwise than PHP, of
 * PHP's encoding of Tollgate's value (see the replayer); the summary then only says where a value differs.
 *
 * @param bytes the payload's length in bytes (UTF-8)
 * @param chars its length in characters, as the recorder counted them (informational)
 * @param sha256 the SHA-256 of the payload's bytes, in hex
 * @param head the payload's first characters, "" when not recorded
 * @param tail the payload's last characters, "" when not recorded
 * @param summary the message parsed, long strings elided ({@code json_summary}), or null
 */
public record LargePayload(long bytes, long chars, String sha256, String head, String tail, JsonNode summary) {

  /** The longest repeating unit {@link #rebuild()} looks for at the end of the head or the start of the tail. */
  static final int LONGEST_UNIT = 16;

  /** What a frame's {@code data_truncated} (and {@code json_summary}, beside it or inside it) says; null if none. */
  static LargePayload of(JsonNode frame) {
    JsonNode t = frame.get("data_truncated");
    if (t == null || t.isNull()) {
      return null;
    }
    if (!t.hasNonNull("bytes") || !t.hasNonNull("sha256")) {
      throw new IllegalArgumentException("frame " + frame.path("seq") + ": data_truncated needs bytes and sha256");
    }
    JsonNode summary = t.hasNonNull("json_summary") ? t.get("json_summary")
        : frame.hasNonNull("json_summary") ? frame.get("json_summary") : null;
    return new LargePayload(t.get("bytes").asLong(), t.path("chars").asLong(-1), t.get("sha256").asText(),
        t.path("head").asText(""), t.path("tail").asText(""), summary);
  }

  /** Whether a payload is this one: the same length and SHA-256. */
  public boolean sameBytes(byte[] payload) {
    return payload.length == bytes && sha256Hex(payload).equalsIgnoreCase(sha256);
  }

  /**
   * The payload's text, when the SHA-256 proves it is the one recorded: head and tail together (when they meet or
   * overlap), or head, a repetition of a unit of up to {@value #LONGEST_UNIT} characters that the head ends with or
   * the tail starts with (twice), and tail. Null when neither gives the recorded SHA-256.
   */
  public String rebuild() {
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] t = tail.getBytes(StandardCharsets.UTF_8);
    long gap = bytes - h.length - t.length;
    if (gap <= 0) {
      int overlap = (int) -gap;
      return overlap > t.length ? null : verified(concat(h, Arrays.copyOfRange(t, overlap, t.length), null, 0));
    }
    if (gap > Integer.MAX_VALUE - h.length - t.length) {
      return null;
    }
    for (String unit : repeatingUnits()) {
      byte[] u = unit.getBytes(StandardCharsets.UTF_8);
      if (gap % u.length == 0) {
        String text = verified(concat(h, t, u, (int) (gap / u.length)));
        if (text != null) {
          return text;
        }
      }
    }
    return null;
  }

  /** How a failure or the report names it: length, SHA-256 and its first characters. */
  public String describe() {
    String start = head.length() > 60 ? head.substring(0, 60) + "…" : head;
    return "a payload of " + bytes + " bytes (SHA-256 " + sha256.substring(0, Math.min(12, sha256.length())) + "…)"
        + (start.isEmpty() ? "" : " starting " + start);
  }

  /**
   * The first difference between the summary and a value Tollgate sent, as {@link PhpJson#difference} says it, an
   * elided string matching any string with its visible ends and length; null when they agree. Says where a large
   * payload differs; it cannot prove two equal, since what was elided is unknown.
   */
  public String summaryDifference(JsonNode actual, Bindings bindings) {
    if (summary == null) {
      return "the recording has no json_summary to compare values with";
    }
    return PhpJson.differenceFromSummary(summary, actual, bindings);
  }

  public static String sha256Hex(byte[] payload) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private Set<String> repeatingUnits() {
    Set<String> units = new LinkedHashSet<>();
    for (int p = 1; p <= LONGEST_UNIT; p++) {
      if (head.length() >= 2 * p && head.regionMatches(head.length() - 2 * p, head, head.length() - p, p)) {
        units.add(head.substring(head.length() - p));
      }
      if (tail.length() >= 2 * p && tail.regionMatches(0, tail, p, p)) {
        units.add(tail.substring(0, p));
      }
    }
    return units;
  }

  private String verified(byte[] candidate) {
    return sameBytes(candidate) ? new String(candidate, StandardCharsets.UTF_8) : null;
  }

  private static byte[] concat(byte[] head, byte[] tail, byte[] unit, int repeat) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + tail.length
        + (unit == null ? 0 : unit.length * repeat));
    out.writeBytes(head);
    for (int i = 0; i < repeat; i++) {
      out.writeBytes(unit);
    }
    out.writeBytes(tail);
    return out.toByteArray();
  }
}
