package dev.tollgate.compat.ratchet;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.compat.ratchet.differences.DeliberateDifferences;
import dev.tollgate.compat.ratchet.recording.Recording;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replayer's check of order, against a {@link ScriptedServer} that sends frames in exactly the order a test
 * chooses: an answer let trail by the call-answer-order difference may come after an EVENT, but must come; without
 * the difference, the same order fails.
 */
class ReplayerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CALL = "[2,\"c-1\",\"sample/sum\",1]";
  private static final String PUBLISH = "[7,\"t\",\"e\"]";
  private static final String RESULT = "[3,\"c-1\",{\"result\":1}]";
  private static final String EVENT = "[8,\"t\",\"e\"]";

  /** A CALL and a PUBLISH in the same millisecond, recorded as Ratchet answers them: the CALLRESULT first. */
  private static Recording callThenPublish() {
    ObjectNode root = JSON.createObjectNode().put("format_version", 1).put("scenario", "call-then-publish");
    ObjectNode conn = root.putArray("connections").addObject().put("conn", 0).put("url", "ws://127.0.0.1:18080/");
    conn.putArray("requested_subprotocols").add("wamp");
    ObjectNode handshake = conn.putObject("handshake").put("status", 101);
    handshake.putArray("headers").add(pair("Sec-WebSocket-Protocol", "wamp")).add(pair("Upgrade", "websocket"))
        .add(pair("Connection", "Upgrade"));
    ArrayNode frames = root.putArray("frames");
    frame(frames, "in", "text", 0).put("data", ScriptedServer.WELCOME);
    frame(frames, "out", "text", 10).put("data", "[5,\"t\"]");
    frame(frames, "out", "text", 100).put("data", CALL);
    frame(frames, "out", "text", 100).put("data", PUBLISH);
    frame(frames, "in", "text", 101).put("data", RESULT);
    frame(frames, "in", "text", 101).put("data", EVENT);
    frame(frames, "out", "close", 200).put("close_code", 1000);
    frame(frames, "in", "close", 201).put("close_code", 1000);
    return Recording.parse(root);
  }

  private static ArrayNode pair(String name, String value) {
    return JSON.createArrayNode().add(name).add(value);
  }

  private static ObjectNode frame(ArrayNode frames, String dir, String type, long t) {
    return frames.addObject().put("seq", frames.size() - 1).put("t_ms", t).put("conn", 0).put("dir", dir)
        .put("type", type);
  }

  private static void replay(Recording r, Map<String, List<String>> script) throws Exception {
    try (ScriptedServer server = new ScriptedServer(script)) {
      Replayer.replay(r, server);
    }
  }

  @Test
  void anAnswerLetTrailPassesWhenAnEventOvertakesIt() throws Exception {
    Recording judged = DeliberateDifferences.judge(callThenPublish()).tollgate();
    replay(judged, Map.of(PUBLISH, List.of(EVENT, RESULT)));
    replay(judged, Map.of(CALL, List.of(RESULT), PUBLISH, List.of(EVENT)));
  }

  @Test
  void withoutTheDifferenceTheSameOrderFails() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> replay(callThenPublish(), Map.of(PUBLISH, List.of(EVENT, RESULT))));
    assertTrue(e.getMessage().contains("expected 3 but was 8"), e.getMessage());
  }

  @Test
  void anAnswerLetTrailMustStillArriveBeforeTheClose() {
    Recording judged = DeliberateDifferences.judge(callThenPublish()).tollgate();
    AssertionError e = assertThrows(AssertionError.class, () -> replay(judged, Map.of(PUBLISH, List.of(EVENT))));
    assertTrue(e.getMessage().contains("this answer may trail, but it must arrive before"), e.getMessage());
  }

  @Test
  void anAnswerLetTrailIsStillComparedByValue() {
    Recording judged = DeliberateDifferences.judge(callThenPublish()).tollgate();
    AssertionError e = assertThrows(AssertionError.class,
        () -> replay(judged, Map.of(PUBLISH, List.of(EVENT, "[3,\"c-1\",{\"result\":2}]"))));
    assertTrue(e.getMessage().contains("must arrive before"), e.getMessage());
  }
}
