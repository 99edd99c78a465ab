package dev.tollgate.compat.ratchet.differences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.compat.ratchet.recording.Recording;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.Recording.Kind;
import dev.tollgate.compat.ratchet.recording.V1;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A CALL without a procedure URI ({@code [2, "a-1"]}), which kills the Ratchet process: every connection then ends
 * without a close frame (1006). Tollgate answers the caller with a CALLERROR instead and keeps every connection, so
 * where the recording shows the connections dying, each is instead checked alive (a CALL to {@code sample/sum}
 * answered) and closed normally.
 */
final class CallWithoutProcedure implements Difference {

  @Override
  public String name() {
    return "call-without-procedure";
  }

  @Override
  public String reason() {
    return "Ratchet hands the handler a Topic with a null id; answering it (callError($id, $topic, …)) casts it to"
        + " string, PHP 8 raises a TypeError that IoServer does not catch, and the process dies, dropping every"
        + " connection (1006). Tollgate answers CALLERROR wamp.error.invalid_argument with a readable message"
        + " (WampV1Connection: \"Ratchet's process dies on this; Tollgate answers it and goes on\"), and every"
        + " connection lives on";
  }

  /** A CALL Ratchet lets through its element-1 check (a string, a number or nothing) that names no procedure. */
  static boolean isCallWithoutProcedure(Frame f) {
    if (f.dir() != Direction.OUT || !V1.is(f, V1.CALL)) {
      return false;
    }
    ArrayNode m = V1.message(f);
    JsonNode id = V1.element(m, 1);
    JsonNode procedure = V1.element(m, 2);
    boolean idPasses = id == null || id.isNull() || id.isTextual() || id.isNumber();
    return idPasses && (procedure == null || procedure.isNull());
  }

  @Override
  public Rewrite rewrite(Recording r) {
    FrameEdits edits = new FrameEdits(r);
    List<String> where = new ArrayList<>();
    Set<Integer> probed = new HashSet<>();
    int k = 0;
    for (Frame call : r.frames()) {
      if (!isCallWithoutProcedure(call)) {
        continue;
      }
      JsonNode id = V1.element(V1.message(call), 1);
      String idJson = id == null ? "null" : id.toString();
      Frame answer = Frame.text(Direction.IN, call.conn(), call.tMs(), "[4," + idJson
          + ",\"wamp.error.invalid_argument\",\"${READABLE_MESSAGE_" + (k++) + "}\"]",
          "Tollgate answers a CALL without a procedure");
      Frame recordedAnswer = edits.next(call, f -> f.on(call.conn()) && f.dir() == Direction.IN
          && answers(f, id));
      if (recordedAnswer != null) {
        edits.replace(recordedAnswer, answer);
      } else {
        edits.insertAfter(call, List.of(answer));
      }
      List<Frame> crash = edits.after(call, f -> f.dir() == Direction.IN && f.kind() == Kind.CLOSE
          && Integer.valueOf(1006).equals(f.closeCode()));
      for (Frame dropped : crash) {
        int c = dropped.conn();
        if (!probed.add(c)) {
          continue;
        }
        edits.after(dropped, f -> f.on(c)).forEach(edits::remove);
        long t = dropped.tMs() + 250L * probed.size();
        String probe = "alive-" + c;
        edits.replace(dropped, List.of(
            Frame.text(Direction.OUT, c, t, "[2,\"" + probe + "\",\"sample/sum\"," + (c + 1) + "]",
                "Tollgate: the connection Ratchet dropped is alive"),
            Frame.text(Direction.IN, c, t + 1, "[3,\"" + probe + "\",{\"result\":" + (c + 1) + "}]", "Tollgate"),
            Frame.close(Direction.OUT, c, t + 2, 1000, "Tollgate: and closes normally"),
            Frame.close(Direction.IN, c, t + 3, 1000, "Tollgate")));
      }
      where.add(call.describe() + ": CALLERROR" + (crash.isEmpty() ? "" : ", and conn "
          + crash.stream().map(f -> String.valueOf(f.conn())).distinct().toList() + " live on"));
    }
    return where.isEmpty() ? Rewrite.none(r) : new Rewrite(edits.applyTo(r), where);
  }

  /** Whether a server frame is a CALLRESULT or CALLERROR for this call id. */
  private static boolean answers(Frame f, JsonNode id) {
    ArrayNode m = V1.message(f);
    if (m == null || (V1.type(m) != V1.CALLRESULT && V1.type(m) != V1.CALLERROR)) {
      return false;
    }
    JsonNode answered = V1.element(m, 1);
    return Objects.equals(id == null || id.isNull() ? null : id, answered == null || answered.isNull() ? null
        : answered);
  }
}
