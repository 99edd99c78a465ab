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
import java.util.List;
import java.util.Set;

/**
 * A client message larger than Tollgate's {@code limits.max-message-size}. Ratchet took it; Tollgate closes the
 * connection with 1009 at once. Everything the recording shows on that connection afterwards goes, and so do the
 * EVENTs the message would have fanned out to other connections had it been a PUBLISH.
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
        + " CLI did not set, so Ratchet took any size; Tollgate closes with 1009 past limits.max-message-size ("
        + LIMIT + " bytes: \"Largest inbound message in bytes; larger closes with 1009.\"), RFC 6455 7.4.1's code"
        + " for \"a message that is too big for it to process\"";
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
    Set<Integer> closed = new HashSet<>();
    for (Frame m : r.frames()) {
      if (!refused(m) || closed.contains(m.conn())) {
        continue;
      }
      int c = m.conn();
      closed.add(c);
      List<Frame> gone = edits.after(m, f -> f.on(c));
      List<Frame> lost = new ArrayList<>();
      for (Frame unhandled : concat(m, gone)) {
        lost.addAll(eventsOf(r, edits, unhandled, lost));
      }
      gone.forEach(edits::remove);
      lost.forEach(edits::remove);
      edits.insertAfter(m, List.of(Frame.close(Direction.IN, c, m.tMs() + 1, 1009,
          "Tollgate: larger than limits.max-message-size")));
      where.add(m.describe() + ": close 1009" + (lost.isEmpty() ? "" : ", and no EVENT on conn "
          + lost.stream().map(f -> String.valueOf(f.conn())).toList()));
    }
    return where.isEmpty() ? Rewrite.none(r) : new Rewrite(edits.applyTo(r), where);
  }

  /**
   * The EVENTs on other connections that a client frame, if it is a PUBLISH, caused: one per connection, none of
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
    for (Frame e : edits.after(sent, f -> f.dir() == Direction.IN && !f.on(sent.conn()))) {
      if (!reached.contains(e.conn()) && claimed.stream().noneMatch(x -> x == e)
          && Publications.carries(e, topic, sent)) {
        reached.add(e.conn());
        events.add(e);
      }
    }
    return events;
  }

  private static List<Frame> concat(Frame first, List<Frame> rest) {
    List<Frame> all = new ArrayList<>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
