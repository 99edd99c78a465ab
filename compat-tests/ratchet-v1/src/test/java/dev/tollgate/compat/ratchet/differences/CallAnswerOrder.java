package dev.tollgate.compat.ratchet.differences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.compat.ratchet.recording.Recording;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.Recording.Kind;
import dev.tollgate.compat.ratchet.recording.V1;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a CALL (CALLRESULT or CALLERROR) recorded before server frames that later client frames caused on
 * the same connection, typically an EVENT of a PUBLISH sent right after the CALL. Ratchet answered before reading
 * on; Tollgate's answer may come later (see {@link #reason()}). Such an answer may trail those frames, but must still
 * arrive, and before the connection's close.
 */
final class CallAnswerOrder implements Difference {

  @Override
  public String name() {
    return "call-answer-order";
  }

  @Override
  public String reason() {
    return "Ratchet's handler answers a CALL before it reads the next message, so its answer always precedes what"
        + " later messages cause; Tollgate's sample procedures belong to a WAMP v2 callee session, so the answer"
        + " travels callee, dealer, caller while an EVENT of a PUBLISH sent after the CALL goes straight through the"
        + " broker and may overtake it. The WAMP spec (Ordering Guarantees) orders events per publisher and"
        + " subscriber and invocations per caller and callee, and \"In general, there are no guarantees on the order"
        + " of call results and errors in relation to calls\"";
  }

  @Override
  public Rewrite rewrite(Recording r) {
    FrameEdits edits = new FrameEdits(r);
    List<String> where = new ArrayList<>();
    List<Frame> frames = r.frames();
    for (int i = 0; i < frames.size(); i++) {
      Frame answer = frames.get(i);
      int call = callAnswered(frames, i);
      if (call < 0) {
        continue;
      }
      boolean clientSpokeSince = frames.subList(call + 1, i).stream().anyMatch(f -> f.dir() == Direction.OUT);
      Frame overtaker = frames.subList(i + 1, frames.size()).stream()
          .filter(f -> f.on(answer.conn()) && f.dir() == Direction.IN)
          .findFirst().filter(f -> f.kind() != Kind.CLOSE).orElse(null);
      if (clientSpokeSince && overtaker != null) {
        edits.replace(answer, answer.trailing("Tollgate: may arrive after the frames recorded after it"));
        where.add(answer.describe() + " may trail " + overtaker.describe());
      }
    }
    return where.isEmpty() ? Rewrite.none(r) : new Rewrite(edits.applyTo(r), where);
  }

  /** The index of the CALL a server frame answers (on its connection, before it), or -1 when it answers none. */
  private static int callAnswered(List<Frame> frames, int i) {
    Frame answer = frames.get(i);
    ArrayNode m = answer.dir() == Direction.IN ? V1.message(answer) : null;
    if (m == null || (V1.type(m) != V1.CALLRESULT && V1.type(m) != V1.CALLERROR)) {
      return -1;
    }
    JsonNode id = V1.element(m, 1);
    for (int j = i - 1; j >= 0; j--) {
      Frame f = frames.get(j);
      if (f.on(answer.conn()) && f.dir() == Direction.OUT && V1.is(f, V1.CALL)) {
        JsonNode called = V1.element(V1.message(f), 1);
        if (id == null ? called == null : id.equals(called)) {
          return j;
        }
      }
    }
    return -1;
  }
}
