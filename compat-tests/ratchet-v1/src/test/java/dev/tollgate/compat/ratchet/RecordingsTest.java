package dev.tollgate.compat.ratchet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.compat.ratchet.recording.Bindings;
import dev.tollgate.compat.ratchet.recording.PhpJson;
import dev.tollgate.compat.ratchet.recording.RecordedApplication;
import dev.tollgate.compat.ratchet.recording.Recording;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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
  void theRecordedApplicationAnswersEveryRecordedCallAsTheRecordedHandlerDid() throws Exception {
    ObjectMapper json = new ObjectMapper();
    int calls = 0;
    for (Recording r : recordings) {
      List<Recording.Frame> frames = r.frames();
      for (int i = 0; i < frames.size(); i++) {
        Recording.Frame call = frames.get(i);
        if (call.dir() != Recording.Direction.OUT || call.data() == null
            || !call.data().matches("(?s)\\[\\s*2\\s*,.*")) {
          continue;
        }
        List<?> elements = json.readValue(call.data(), List.class);
        if (elements.size() < 3 || !(elements.get(2) instanceof String procedure)
            || procedure.matches("[^:/]+:.*") || call.data().contains("\\ud800")) {
          continue; // no procedure (Ratchet crashed), a CURIE (see DeliberateDifferencesTest), a lone surrogate (1007)
        }
        @SuppressWarnings("unchecked")
        List<Object> args = new ArrayList<>((List<Object>) elements.subList(3, elements.size()));
        Recording.Frame answer = frames.stream().skip(i + 1)
            .filter(f -> f.dir() == Recording.Direction.IN && f.conn().equals(call.conn())).findFirst().orElseThrow();
        List<Object> ours = RecordedApplication.v1Answer(elements.get(1), procedure, args);
        assertNull(PhpJson.difference(PhpJson.parse(answer.data()), PhpJson.parse(json.writeValueAsString(ours)),
            new Bindings()), r.name() + " " + call.describe());
        calls++;
      }
    }
    assertEquals(26, calls);
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
