package dev.tollgate.compat.ratchet.differences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.compat.ratchet.CompatData;
import dev.tollgate.compat.ratchet.differences.DeliberateDifferences.Judgement;
import dev.tollgate.compat.ratchet.recording.NotReplayableException;
import dev.tollgate.compat.ratchet.recording.PhpJson;
import dev.tollgate.compat.ratchet.recording.Recording;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.Recording.Kind;
import dev.tollgate.compat.ratchet.recording.V1;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules on recordings alone (no router): what they find, what they rewrite, and that names do not matter. */
class DeliberateDifferencesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path folder;
  private static List<Recording> shared;

  @BeforeAll
  static void load() {
    folder = CompatData.dir("ratchet-v1");
    shared = Recording.loadAll(folder);
  }

  private static Recording named(String name) {
    return shared.stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no recording " + name));
  }

  @Test
  void inTheSharedRecordingsTheRulesFindWhatThePerFileTableListedAndNothingElse() {
    Map<String, List<String>> found = new TreeMap<>();
    for (Recording r : shared) {
      Judgement j = DeliberateDifferences.judge(r);
      if (j.different()) {
        found.put(r.name(), j.behaviours());
      } else {
        assertSame(r, j.tollgate(), r.name() + ": no behaviour found, so it is replayed exactly as recorded");
      }
    }
    assertEquals(new TreeMap<>(Map.of(
        "autobahnjs-gos-client-session", List.of("curie-resolution"),
        "call-missing-procedure-crash", List.of("call-without-procedure"),
        "handshake-no-subprotocol-strict", List.of("upgrade-refusal-headers"),
        "handshake-raw-bytes", List.of("url-ticket"),
        "handshake-unsupported-subprotocol", List.of("subprotocol-choice"),
        "prefix-subscribe-curie", List.of("curie-resolution"))), found);
  }

  /**
   * Renaming commutes with the rules: a variation of a recording under another scenario name, with other topics,
   * prefixes, call ids, tickets or subprotocols, is judged by the same behaviours, and rewritten to the same frames
   * under the same renaming. So nothing in a rule hangs on what a recording calls things.
   */
  @Test
  void variationsOfEverySharedDifferenceUnderOtherNamesAreJudgedAndRewrittenAlike() throws IOException {
    Map<String, Map<String, String>> variations = new LinkedHashMap<>();
    variations.put("prefix-subscribe-curie", Map.of("example.com", "tollgate.test", "event", "feed", "news", "sport",
        "full uri", "whole URI"));
    variations.put("autobahnjs-gos-client-session", Map.of("calc", "math", "sample", "demo", "0.jgo3r0lxyv", "0.q1",
        "square", "cube"));
    variations.put("call-missing-procedure-crash", Map.of("a-1", "proc-less-7"));
    variations.put("handshake-raw-bytes", Map.of("abc", "xyz-123"));
    variations.put("handshake-unsupported-subprotocol", Map.of("wamp.2.json", "wamp.2.cbor"));
    variations.put("handshake-no-subprotocol-strict", Map.of("GET / ", "GET /any/path?x=1 "));
    int frames = 0;
    for (Map.Entry<String, Map<String, String>> v : variations.entrySet()) {
      UnaryOperator<String> rename = text -> {
        String out = text;
        for (Map.Entry<String, String> s : v.getValue().entrySet()) {
          out = out.replace(s.getKey(), s.getValue());
        }
        return out;
      };
      Recording original = named(v.getKey());
      JsonNode json = JSON.readTree(folder.resolve(v.getKey() + ".json").toFile());
      ((ObjectNode) json).put("scenario", "variant-of-" + v.getKey());
      Recording variant = Recording.parse(renamed(json, rename));
      assertFalse(variant.frames().equals(original.frames()), v.getKey() + ": the variation changes frames");

      Judgement before = DeliberateDifferences.judge(original);
      Judgement after = DeliberateDifferences.judge(variant);
      assertEquals(before.behaviours(), after.behaviours(), v.getKey());
      assertEquals(before.found().stream().map(f -> f.where().size()).toList(),
          after.found().stream().map(f -> f.where().size()).toList(), v.getKey() + ": found at as many places");
      assertEquals(described(before.tollgate(), rename), described(after.tollgate(), UnaryOperator.identity()),
          v.getKey() + ": rewritten to the same frames, renamed");
      frames += after.tollgate().frames().size();
    }
    assertTrue(frames > 60, "only " + frames + " frames compared");
  }

  /** Every string in a recording's JSON renamed, keys aside. */
  private static JsonNode renamed(JsonNode node, UnaryOperator<String> rename) {
    if (node.isTextual()) {
      return TextNode.valueOf(rename.apply(node.asText()));
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(e -> copy.add(renamed(e, rename)));
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      node.properties().forEach(e -> copy.set(e.getKey(), renamed(e.getValue(), rename)));
      return copy;
    }
    return node;
  }

  /** What a replay acts on, frame by frame and connection by connection: kinds, texts, codes, handshakes. */
  private static List<String> described(Recording r, UnaryOperator<String> rename) {
    List<String> lines = new ArrayList<>();
    for (Recording.Connection c : r.connections()) {
      lines.add("conn " + c.index() + " " + rename.apply(String.valueOf(c.url().getRawQuery())) + " "
          + (c.handshake() == null ? "raw" : c.handshake().status() + " "
          + rename.apply(String.valueOf(c.handshake().header("Sec-WebSocket-Protocol")))));
    }
    for (Frame f : r.frames()) {
      lines.add(f.conn() + " " + f.dir() + " " + f.kind() + " " + (f.text() == null ? "" : rename.apply(f.text()))
          + " " + f.closeCode() + " " + f.status() + " " + f.mayTrail());
    }
    return lines;
  }

  @Test
  void aCurieIsPrefixAndSuffixJoinedInEveryFrameThatNamesOrDependsOnIt() {
    Recording tollgate = DeliberateDifferences.judge(named("prefix-subscribe-curie")).tollgate();
    List<String> toSubscriber = texts(tollgate, 0, Direction.IN);
    assertEquals(2, toSubscriber.size(), "the WELCOME and one EVENT: the full-URI publication reaches nobody");
    assertEquals("http://example.com/eventnews", PhpJson.parse(toSubscriber.get(1)).get(1).asText());

    Recording gos = DeliberateDifferences.judge(named("autobahnjs-gos-client-session")).tollgate();
    List<String> answers = texts(gos, 0, Direction.IN).stream().filter(t -> t.contains("calc")).toList();
    assertEquals(2, answers.size());
    assertEquals("http://example.com/simple/calc#square", PhpJson.parse(answers.get(0)).get(2).asText());
    assertTrue(PhpJson.parse(answers.get(0)).get(3).asText().contains("\"http://example.com/simple/calc#square\""));
    assertEquals("http://example.com/simple/calc#news", PhpJson.parse(answers.get(1)).get(1).asText());
  }

  @Test
  void ratchetAndTollgateResolveTheSameCuriesApart() {
    Curies curies = new Curies();
    for (String prefix : List.of("[1,\"ex\",\"http://example.com/calc#\"]", "[1,\"http\",\"urn:x:\"]",
        "[1,\"none\"]")) {
      curies.see(Frame.text(Direction.OUT, 0, 0, prefix, null));
    }
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("ex:square", List.of("http://example.com/calc##square", "http://example.com/calc#square"));
    expected.put("ex:a:b", List.of("http://example.com/calc##a", "http://example.com/calc#a:b"));
    expected.put("ex:", List.of("http://example.com/calc##", "http://example.com/calc#"));
    expected.put("http://example.com/x", List.of("http://example.com/x", "urn:x://example.com/x"));
    expected.put("none:x", List.of("none:x", "none:x"));
    expected.put("other:x", List.of("other:x", "other:x"));
    expected.put("sample/topic", List.of("sample/topic", "sample/topic"));
    expected.forEach((uri, both) -> {
      assertEquals(both.get(0), curies.ratchet(0, uri), "Ratchet: " + uri);
      assertEquals(both.get(1), curies.tollgate(0, uri), "Tollgate: " + uri);
    });
    assertEquals("ex:square", curies.tollgate(1, "ex:square"), "prefixes are per connection");
  }

  @Test
  void aCrashOfRatchetBecomesACallErrorAndConnectionsThatLiveOn() {
    Recording tollgate = DeliberateDifferences.judge(named("call-missing-procedure-crash")).tollgate();
    assertTrue(tollgate.frames().stream().noneMatch(f -> Integer.valueOf(1006).equals(f.closeCode())));
    List<String> toCaller = texts(tollgate, 0, Direction.IN);
    assertEquals("[4,\"a-1\",\"wamp.error.invalid_argument\",\"${READABLE_MESSAGE_0}\"]", toCaller.get(1));
    for (int conn = 0; conn < 2; conn++) {
      List<String> in = texts(tollgate, conn, Direction.IN);
      assertEquals("[3,\"alive-" + conn + "\",{\"result\":" + (conn + 1) + "}]", in.get(in.size() - 1));
      int c = conn;
      assertEquals(2, tollgate.frames().stream().filter(f -> f.on(c) && f.kind() == Kind.CLOSE
          && Integer.valueOf(1000).equals(f.closeCode())).count(), "conn " + conn + " closes normally");
    }
  }

  @Test
  void aTicketedUpgradeIsRefusedThenMadeAgainWithoutTheTicket() {
    Recording tollgate = DeliberateDifferences.judge(named("handshake-raw-bytes")).tollgate();
    assertEquals(2, tollgate.connections().size());
    List<Frame> first = tollgate.frames().stream().filter(f -> f.on(0)).toList();
    assertEquals(List.of("GET /ws?ticket=abc HTTP/1.1", "HTTP/1.1 401 Unauthorized"),
        first.stream().map(f -> f.data().lines().findFirst().orElseThrow()).toList());
    List<Frame> again = tollgate.frames().stream().filter(f -> f.on(1)).toList();
    assertEquals("GET /ws HTTP/1.1", again.get(0).data().lines().findFirst().orElseThrow());
    assertEquals(named("handshake-raw-bytes").frames().get(1).data(), again.get(1).data(), "the recorded answer");
  }

  @Test
  void aWampV2OfferGetsItsSubprotocolAndNoWelcomeOnEveryConnection() {
    Recording tollgate = DeliberateDifferences.judge(named("handshake-unsupported-subprotocol")).tollgate();
    for (Recording.Connection c : tollgate.connections()) {
      if (!c.rawTcp()) {
        assertEquals(101, c.handshake().status());
        assertEquals("wamp.2.json", c.handshake().header("Sec-WebSocket-Protocol"));
      }
    }
    for (Frame f : tollgate.frames()) {
      assertFalse(f.kind() == Kind.CLIENT_ERROR || f.kind() == Kind.HTTP_RESPONSE, f.describe());
      assertFalse(f.kind() == Kind.RAW && f.dir() == Direction.IN && !f.data().contains("wamp.2.json"), f.describe());
      assertFalse(f.afterHead() != null && !f.afterHead().isEmpty(), "no WELCOME after " + f.describe());
    }
  }

  @Test
  void v1TrafficOnAConnectionTollgateWouldSpeakV2OnIsNotReplayable() throws IOException {
    JsonNode json = JSON.readTree(folder.resolve("connect-welcome.json").toFile());
    ((ArrayNode) json.path("connections").get(0).path("requested_subprotocols")).insert(0, "wamp.2.json");
    ObjectNode subscribe = ((ArrayNode) json.path("frames")).insertObject(1);
    subscribe.put("seq", 0).put("t_ms", 100).put("conn", 0).put("dir", "out").put("type", "text")
        .put("data", "[5,\"sample/topic\"]");
    NotReplayableException e = assertThrows(NotReplayableException.class,
        () -> DeliberateDifferences.judge(Recording.parse(json)));
    assertTrue(e.getMessage().contains("offered [wamp.2.json, wamp]; Tollgate speaks wamp.2.json"), e.getMessage());
  }

  @Test
  void aStrict426IsExpectedWithoutTheSubprotocolHeaderRatchetAddsAndWithItsStatus() {
    Recording tollgate = DeliberateDifferences.judge(named("handshake-no-subprotocol-strict")).tollgate();
    assertEquals(426, tollgate.connections().get(0).handshake().status());
    assertEquals(null, tollgate.connections().get(0).handshake().header("Sec-WebSocket-Protocol"));
    assertEquals("Upgrade", tollgate.connections().get(0).handshake().header("Connection"));
    String raw = tollgate.frames().stream().filter(f -> f.dir() == Direction.IN && f.kind() == Kind.RAW)
        .findFirst().orElseThrow().data();
    assertTrue(raw.startsWith("HTTP/1.1 426") && !raw.contains("Sec-WebSocket-Protocol:"), raw);
  }

  @Test
  void onlyAnAnswerRecordedBeforeWhatLaterClientFramesCausedMayTrail() {
    for (Recording r : shared) {
      assertTrue(DeliberateDifferences.judge(r).tollgate().frames().stream().noneMatch(Frame::mayTrail), r.name());
    }
    Recording atOnce = Recording.load(synthetic("call-then-publish-at-once"));
    List<String> trailing = DeliberateDifferences.judge(atOnce).tollgate().frames().stream()
        .filter(Frame::mayTrail).map(Frame::text).toList();
    assertEquals(List.of("[3,\"q-1\",{\"result\":5}]", "[3,\"q-2\",{\"a\":1}]"), trailing);
  }

  @Test
  void anOversizedPublishReachesNobodyAndItsConnectionGoesOn() {
    Recording tollgate = DeliberateDifferences.judge(Recording.load(synthetic("publish-over-a-mebibyte"))).tollgate();
    List<String> publisher = tollgate.frames().stream().filter(f -> f.on(1))
        .map(f -> f.dir() + " " + f.kind() + " " + (f.large() != null ? "large" : V1.is(f, V1.EVENT) ? "event" : "")
            + (f.closeCode() == null ? "" : f.closeCode())).toList();
    assertEquals(List.of("IN TEXT ", "OUT TEXT ", "OUT TEXT large", "OUT TEXT ", "IN TEXT event", "OUT CLOSE 1000",
        "IN CLOSE 1000"), publisher,
        "WELCOME, SUBSCRIBE, the large PUBLISH (no EVENT of it), the small one and its EVENT, a normal close");
    List<Frame> subscriberEvents = tollgate.frames().stream().filter(f -> f.on(0) && V1.is(f, V1.EVENT)).toList();
    assertEquals(1, subscriberEvents.size(), "only the small publication reaches the subscriber");
    assertTrue(tollgate.frames().stream().filter(f -> f.on(0)).noneMatch(f -> f.large() != null));
  }

  @Test
  void everyDifferenceSaysWhyAndFindsNothingInARecordingWithoutItsBehaviour() {
    Recording plain = named("subscribe-publish-event");
    for (Difference d : DeliberateDifferences.ALL) {
      assertFalse(d.reason().isBlank(), d.name());
      Difference.Rewrite none = d.rewrite(plain);
      assertFalse(none.shows(), d.name());
      assertSame(plain, none.recording(), d.name());
    }
    assertNotSame(named("prefix-subscribe-curie"), DeliberateDifferences.judge(named("prefix-subscribe-curie"))
        .tollgate());
  }

  private static List<String> texts(Recording r, int conn, Direction dir) {
    return r.frames().stream().filter(f -> f.on(conn) && f.dir() == dir && f.kind() == Kind.TEXT)
        .map(Frame::text).collect(Collectors.toList());
  }

  private static Path synthetic(String name) {
    try {
      return Path.of(DeliberateDifferencesTest.class.getResource("/synthetic-recordings/" + name + ".json").toURI());
    } catch (Exception e) {
      throw new IllegalStateException("no synthetic recording " + name, e);
    }
  }
}
