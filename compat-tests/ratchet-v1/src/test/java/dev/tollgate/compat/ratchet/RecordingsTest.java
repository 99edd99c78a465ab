package dev.tollgate.compat.ratchet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.compat.ratchet.recording.Bindings;
import dev.tollgate.compat.ratchet.recording.PhpJson;
import dev.tollgate.compat.ratchet.recording.Recording;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replayer's reading and comparing, checked on the recorded data itself (no router involved). */
class RecordingsTest {
  private static List<Recording> recordings;

  @BeforeAll
  static void load() {
    recordings = Recording.loadAll(CompatData.dir("ratchet-v1"));
  }

  private static Recording named(String name) {
    return recordings.stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no recording " + name));
  }

  @Test
  void everyScenarioTheIndexListsIsARecordingThatParses() throws Exception {
    JsonNode index = new ObjectMapper().readTree(CompatData.file("ratchet-v1/index.json").toFile());
    TreeSet<String> listed = new TreeSet<>();
    index.path("scenarios").forEach(s -> listed.add(s.path("scenario").asText()));
    assertEquals(listed, recordings.stream().map(Recording::name).collect(Collectors.toCollection(TreeSet::new)));
    for (Recording r : recordings) {
      assertFalse(r.frames().isEmpty(), r.name());
    }
  }

  @Test
  void everyRecordedServerTextMatchesItsOwnTemplateWithTheRecordedSessionIdsBound() {
    int compared = 0;
    for (Recording r : recordings) {
      Bindings bindings = new Bindings();
      for (Recording.Frame f : r.frames()) {
        if (f.dir() == Recording.Direction.IN && f.kind() == Recording.Kind.TEXT && f.data() != null
            && PhpJson.isJson(f.data())) {
          String expected = f.template() != null ? f.template() : f.data();
          assertNull(PhpJson.difference(PhpJson.parse(expected), PhpJson.parse(f.data()), bindings),
              r.name() + " " + f.describe());
          compared++;
        }
      }
      for (Recording.Variable v : r.variables()) {
        assertEquals(v.value(), bindings.get(v.name()), r.name() + " binds " + v.name() + " as the recording says");
      }
    }
    assertTrue(compared > 100, "only " + compared + " frames compared");
  }

  @Test
  void phpJsonTakesEveryReencodingRatchetDidToAPublishedEventForTheSameValue() {
    int pairs = 0;
    for (String name : List.of("payload-json-roundtrip", "subscribe-publish-event", "binary-frame")) {
      List<Recording.Frame> frames = named(name).frames();
      for (int i = 0; i < frames.size(); i++) {
        Recording.Frame out = frames.get(i);
        if (out.dir() != Recording.Direction.OUT || out.data() == null || !out.data().matches("(?s)\\[\\s*7\\s*,.*")) {
          continue;
        }
        JsonNode published = PhpJson.parse(out.data()).get(2);
        Recording.Frame event = frames.stream().skip(i + 1)
            .filter(f -> f.dir() == Recording.Direction.IN && f.kind() == Recording.Kind.TEXT)
            .findFirst().orElseThrow();
        JsonNode received = PhpJson.parse(event.data()).get(2);
        assertNull(PhpJson.difference(received, published, new Bindings()), name + " " + out.describe());
        pairs++;
      }
    }
    assertEquals(17, pairs);
  }

  @Test
  void aChangedServerFrameIsCaughtInEveryScenario() {
    // The comparison must be able to fail on real data: change each recorded EVENT's payload and it must.
    int events = 0;
    for (Recording r : recordings) {
      for (Recording.Frame f : r.frames()) {
        if (f.dir() == Recording.Direction.IN && f.data() != null && f.data().startsWith("[8,")) {
          JsonNode recorded = PhpJson.parse(f.data());
          String changed = "[8," + recorded.get(1) + ",[" + recorded.get(2) + "]]";
          assertNotNull(PhpJson.difference(recorded, PhpJson.parse(changed), new Bindings()), r.name() + " " + f.describe());
          events++;
        }
      }
    }
    assertTrue(events > 30, "only " + events + " events");
  }

  @Test
  void theSampleCalleeAnswersEveryRecordedCallAsTheRecordedHandlerDid() throws Exception {
    ObjectMapper json = new ObjectMapper();
    int calls = 0;
    for (String name : List.of("call-success", "call-error", "autobahnjs-gos-client-session", "unicode-payloads")) {
      List<Recording.Frame> frames = named(name).frames();
      for (int i = 0; i < frames.size(); i++) {
        Recording.Frame call = frames.get(i);
        if (call.dir() != Recording.Direction.OUT || call.data() == null || !call.data().matches("(?s)\\[\\s*2\\s*,.*")) {
          continue;
        }
        List<?> elements = json.readValue(call.data(), List.class);
        if (elements.size() < 3 || !SampleCallee.PROCEDURES.contains(elements.get(2))
            || call.data().contains("\\ud800")) {
          continue;
        }
        String procedure = (String) elements.get(2);
        @SuppressWarnings("unchecked")
        List<Object> args = new ArrayList<>((List<Object>) elements.subList(3, elements.size()));
        Object params = SampleCallee.params(args);
        Recording.Frame answer = frames.stream().skip(i + 1)
            .filter(f -> f.dir() == Recording.Direction.IN && f.conn().equals(call.conn())).findFirst().orElseThrow();
        JsonNode recorded = PhpJson.parse(answer.data());
        Object ours = switch (procedure) {
          case "sample/sum" -> Map.of("result", SampleCallee.arraySum(params instanceof Map<?, ?> m ? m.values()
              : (List<?>) params));
          case "sample/echo" -> SampleCallee.echo(params);
          case "sample/fail" -> Map.of("code", 42, "rpc", Map.of(), "params", params);
          default -> null;
        };
        JsonNode expected = recorded.get(0).asInt() == 3 ? recorded.get(2) : recorded.path(4);
        if (ours == null) {
          assertEquals(4, recorded.size(), "no details for " + procedure);
          continue;
        }
        assertNull(PhpJson.difference(expected, PhpJson.parse(json.writeValueAsString(ours)), new Bindings()),
            name + " " + call.describe());
        calls++;
      }
    }
    assertEquals(17, calls);
  }

  @Test
  void everyDeliberateDifferenceNamesARecordingAndRewritesIt() {
    for (DeliberateDifferences.Difference d : DeliberateDifferences.BY_SCENARIO.values()) {
      Recording recorded = named(d.scenario());
      Recording tollgate = d.tollgate().apply(recorded);
      if (!d.scenario().equals("handshake-no-subprotocol-strict")) {
        assertNotEquals(recorded, tollgate, d.scenario() + " is listed as different but its frames are not");
      }
      assertFalse(d.reason().isBlank());
    }
  }

  @Test
  void theCurieDifferenceExpectsThePrefixAndSuffixJoinedAsTheSpecSays() {
    Recording tollgate = DeliberateDifferences.of("prefix-subscribe-curie").tollgate()
        .apply(named("prefix-subscribe-curie"));
    List<String> toSubscriber = tollgate.frames().stream()
        .filter(f -> f.dir() == Recording.Direction.IN && Integer.valueOf(0).equals(f.conn())
            && f.kind() == Recording.Kind.TEXT)
        .map(Recording.Frame::data).toList();
    assertEquals(2, toSubscriber.size(), "the WELCOME and one EVENT");
    assertEquals("http://example.com/eventnews", PhpJson.parse(toSubscriber.get(1)).get(1).asText());
  }

  @Test
  void onlyScenariosThatShowTheDifferenceNeedMoreThanTollgatesDefaults() {
    assertEquals(List.of(), Setup.of(named("connect-welcome")).beyondDefaults());
    assertEquals(List.of(), Setup.of(named("handshake-no-subprotocol-lenient")).beyondDefaults());
    assertEquals(List.of("v1.allow-no-subprotocol=false"),
        Setup.of(named("handshake-no-subprotocol-strict")).beyondDefaults());
    assertTrue(Setup.of(named("oro-ping-periodic")).keepalive());
    assertTrue(Setup.of(named("subscribe-denied-oro-style")).securedTopics());
    assertFalse(Setup.of(named("call-success")).securedTopics());
  }

  @Test
  void aRawRequestIsPointedAtTheEndpointKeepingItsQueryAndEveryOtherByte() {
    URI endpoint = URI.create("ws://127.0.0.1:40123/ws");
    assertEquals("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nUpgrade: websocket\r\n\r\n",
        Replayer.retarget("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n\r\n", endpoint));
    assertEquals("GET /ws?ticket=abc HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n",
        Replayer.retarget("GET /ws?ticket=abc HTTP/1.1\r\nHost: 127.0.0.1:18080\r\n\r\n", endpoint));
  }

  @Test
  void aHundredAndOneWithoutTheOfferedSubprotocolIsWhatTheWsClientRefused() {
    // The lenient Ratchet's answer to an offer of wamp.2.json, which the ws client refused.
    Recording.Frame lenientAnswer = named("handshake-unsupported-subprotocol").frames().stream()
        .filter(f -> f.kind() == Recording.Kind.RAW && f.dir() == Recording.Direction.IN && f.conn() == 3)
        .findFirst().orElseThrow();
    RawWebSocket.HttpHead noProtocol = RawWebSocket.HttpHead.parse(lenientAnswer.data());
    assertEquals("Server sent no subprotocol", Replayer.refusal(noProtocol, List.of("wamp.2.json")));
    RawWebSocket.HttpHead v2 = RawWebSocket.HttpHead.parse(
        "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Protocol: wamp.2.json\r\n\r\n");
    assertNull(Replayer.refusal(v2, List.of("wamp.2.json")));
    assertNotNull(Replayer.refusal(v2, List.of("wamp")));
  }
}
