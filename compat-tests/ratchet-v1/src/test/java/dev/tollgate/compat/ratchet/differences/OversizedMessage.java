package dev.tollgate.compat.ratchet.differences;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.compat.ratchet.recording.Recording;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.Recording.Kind;
import dev.tollgate.compat.ratchet.recording.V1;
import dev.tollgate.router.RouterConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import dev.tollgate.protocol.v1.V1Codec;
import java.util.List;
import java.util.Set;

/**
 * A client message larger than Tollgate's {@code limits.max-message-size}. Ratchet took it; Tollgate reads it,
 * drops it and keeps the connection, so what the client sends next is handled as usual (Oro's PHP publisher never
 * reads, so a close would lose its next publications as well). So the EVENTs the message would have fanned out had
 * it been a PUBLISH go, and if it was a CALL, its answer is Tollgate's CALLERROR
 * {@code wamp.error.payload_size_exceeded}; everything else the recording shows stays.
 */
final class OversizedMessage implements Difference {
  /** The limit of the Tollgate a replay starts (its default); one already running may have another. */
  static final int LIMIT = RouterConfig.defaults().maxMessageSize();

  @Override
  public String name() {
    return "oversized-message";
  }

  @Override
  public String reason() {
    return "ratchet/rfc6455's MessageBuffer limits a message to a quarter of PHP's memory_limit, which the recorded"
        + " CLI did not set, so Ratchet took any size; Tollgate drops a message past limits.max-message-size ("
        + LIMIT + " bytes for a session that is not Oro's backend) and keeps the connection: a CALL gets CALLERROR"
        + " wamp.error.payload_size_exceeded, a PUBLISH reaches nobody, and what follows is delivered";
  }

  /** Whether Tollgate refuses this client frame for its size, instead of handling it. */
  static boolean refused(Frame f) {
    if (f.dir() != Direction.OUT || (f.kind() != Kind.TEXT && f.kind() != Kind.BINARY)) {
      return false;
    }
    long size = f.bytes() != null ? f.bytes().length : f.large() != null ? f.large().bytes()
        : f.data() == null ? 0 : f.data().getBytes(StandardCharsets.UTF_8).length;
    return size > LIMIT;
  }

  @Override
  public Rewrite rewrite(Recording r) {
    FrameEdits edits = new FrameEdits(r);
    List<String> where = new ArrayList<>();
    List<Frame> lost = new ArrayList<>();
    int k = 0;
    for (Frame m : r.frames()) {
      if (!refused(m)) {
        continue;
      }
      List<Frame> events = eventsOf(r, edits, m, lost);
      lost.addAll(events);
      events.forEach(edits::remove);
      Object callId = V1Codec.callIdOfCallHead(head(m).getBytes(StandardCharsets.UTF_8));
      String answered = "";
      if (callId != null) {
        String idJson = callId instanceof String id ? new com.fasterxml.jackson.databind.node.TextNode(id).toString()
            : String.valueOf(callId);
        Frame error = Frame.text(Direction.IN, m.conn(), m.tMs() + 1, "[4," + idJson
            + ",\"wamp.error.payload_size_exceeded\",\"${READABLE_MESSAGE_OVERSIZED_" + (k++) + "}\"]",
            "Tollgate: larger than limits.max-message-size");
        Frame recordedAnswer = edits.next(m, f -> f.dir() == Direction.IN && f.on(m.conn()) && answers(f, callId));
        if (recordedAnswer != null) {
          edits.replace(recordedAnswer, error);
        } else {
          edits.insertAfter(m, List.of(error));
        }
        answered = ", answered with CALLERROR wamp.error.payload_size_exceeded";
      }
      where.add(m.describe() + ": dropped" + answered + (events.isEmpty() ? "" : ", and no EVENT on conn "
          + events.stream().map(f -> String.valueOf(f.conn())).toList()) + "; the connection goes on");
    }
    return where.isEmpty() ? Rewrite.none(r) : new Rewrite(edits.applyTo(r), where);
  }

  /** What the recording kept of a message's start: all of it, or the head of a large one. */
  private static String head(Frame f) {
    return f.text() != null ? f.text() : f.large() != null && f.large().head() != null ? f.large().head() : "";
  }

  /** Whether a server frame is a CALLRESULT or CALLERROR for this call id. */
  private static boolean answers(Frame f, Object callId) {
    ArrayNode m = V1.message(f);
    if (m == null || (V1.type(m) != V1.CALLRESULT && V1.type(m) != V1.CALLERROR)) {
      return false;
    }
    var id = V1.element(m, 1);
    return id != null && (id.isTextual() ? id.asText().equals(callId) : id.isNumber() && callId instanceof Long l
        && id.asLong() == l);
  }

  /**
   * The EVENTs that a client frame, if it is a PUBLISH, caused: one per connection, none of
   * those already {@code claimed} by an earlier one.
   */
  private static List<Frame> eventsOf(Recording r, FrameEdits edits, Frame sent, List<Frame> claimed) {
    ArrayNode publish = sent.dir() == Direction.OUT ? V1.message(sent) : null;
    if (publish == null || V1.type(publish) != V1.PUBLISH) {
      return List.of();
    }
    String topic = Curies.before(r, sent).ratchet(sent.conn(), V1.text(publish, 1));
    Set<Integer> reached = new HashSet<>();
    List<Frame> events = new ArrayList<>();
    // The publisher's own connection too: a v1 publisher receives its own event unless it excludes itself.
    for (Frame e : edits.after(sent, f -> f.dir() == Direction.IN)) {
      if (!reached.contains(e.conn()) && claimed.stream().noneMatch(x -> x == e)
          && Publications.carries(e, topic, sent)) {
        reached.add(e.conn());
        events.add(e);
      }
    }
    return events;
  }
}
