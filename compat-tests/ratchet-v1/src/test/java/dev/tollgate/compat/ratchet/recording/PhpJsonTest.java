package dev.tollgate.compat.ratchet.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.tollgate.compat.ratchet.CompatData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhpJsonTest {

  private static String difference(String expected, String actual) {
    return PhpJson.difference(PhpJson.parse(expected), PhpJson.parse(actual), new Bindings());
  }

  @ParameterizedTest(name = "PHP {0} is the same value as {1}")
  @CsvSource(delimiter = '|', value = {
      "\"a\\/b\"                    | \"a/b\"",
      "\"h\\u00e9\\ud83d\\ude00\"   | \"h\u00e9\ud83d\ude00\"",
      "[]                           | {}",
      "{\"a\":[],\"b\":[[]]}        | {\"a\":{},\"b\":[{}]}",
      "[\"a\",\"b\"]                | {\"0\":\"a\",\"1\":\"b\"}",
      "1                            | 1.0",
      "-0                           | -0.0",
      "100                          | 1e2",
      "1.2345678901234567e+19       | 12345678901234567890",
      "{\"a\":1,\"b\":2}            | {\"b\":2,\"a\":1}",
  })
  void phpEncodingNoiseIsNotADifference(String php, String tollgate) {
    assertNull(difference(php, tollgate));
  }

  @ParameterizedTest(name = "{0} differs from {1}")
  @CsvSource(delimiter = '|', value = {
      "9007199254740993              | 9007199254740992",
      "1                             | 2",
      "0.1                           | 0.2",
      "1                             | \"1\"",
      "null                          | false",
      "[1]                           | [1,2]",
      "[\"a\",\"b\"]                 | {\"1\":\"a\",\"2\":\"b\"}",
      "{\"1\":\"a\",\"2\":\"b\"}     | [\"a\",\"b\"]",
      "{\"a\":1}                     | {\"a\":1,\"b\":2}",
      "{\"a\":1,\"b\":2}             | {\"a\":1}",
      "\"a/b\"                       | \"a\\\\/b\"",
      "[8,\"t\",\"e\"]               | [8,\"t\",\"e\",null]",
  })
  void aDifferentValueIsADifference(String expected, String actual) {
    assertNotNull(difference(expected, actual));
  }

  @Test
  void aDifferenceSaysWhereAndWhat() {
    assertEquals("at $[2].result: expected 6 but was 7", difference("[3,\"id\",{\"result\":6}]", "[3,\"id\",{\"result\":7}]"));
  }

  @Test
  void aPlaceholderBindsAnyNonEmptyStringAndThenOnlyThatOne() {
    Bindings bindings = new Bindings();
    assertNull(PhpJson.difference(PhpJson.parse("[0,\"${SESSION_0}\",1,\"x\"]"), PhpJson.parse("[0,\"42\",1,\"x\"]"),
        bindings));
    assertEquals("42", bindings.get("SESSION_0"));
    assertNull(PhpJson.difference(PhpJson.parse("[\"${SESSION_0}\"]"), PhpJson.parse("[\"42\"]"), bindings));
    assertNotNull(PhpJson.difference(PhpJson.parse("[\"${SESSION_0}\"]"), PhpJson.parse("[\"43\"]"), bindings));
    assertNotNull(PhpJson.difference(PhpJson.parse("[\"${SESSION_1}\"]"), PhpJson.parse("[\"42\"]"), bindings),
        "two sessions with one id");
    assertNotNull(PhpJson.difference(PhpJson.parse("[\"${SESSION_2}\"]"), PhpJson.parse("[\"\"]"), bindings));
    assertNotNull(PhpJson.difference(PhpJson.parse("[\"${SESSION_2}\"]"), PhpJson.parse("[42]"), bindings));
  }

  @Test
  void bindingsFillClientFramesAndRefuseUnboundNames() {
    Bindings bindings = new Bindings();
    bindings.bind("SESSION_1", "7");
    assertEquals("[7,\"t\",\"e\",[\"7\"]]", bindings.substitute("[7,\"t\",\"e\",[\"${SESSION_1}\"]]"));
    assertThrows(IllegalStateException.class, () -> bindings.substitute("[\"${SESSION_2}\"]"));
  }

  @Test
  void trailingBytesAfterAValueAreNotJson() {
    assertTrue(PhpJson.isJson("[5, \"sample/topic\"]"));
    assertThrows(IllegalArgumentException.class, () -> PhpJson.parse("[5, \"sample/topic\""));
    assertThrows(IllegalArgumentException.class, () -> PhpJson.parse("[0] [1]"));
    assertThrows(IllegalArgumentException.class, () -> PhpJson.parse("You are not allowed to subscribe"));
  }

  @Test
  void phpsEncodingOfEveryPublishedEventIsTheTextRatchetRelayedByteForByte() {
    int events = 0;
    for (Recording r : Recording.loadAll(CompatData.dir("ratchet-v1"))) {
      List<Recording.Frame> frames = r.frames();
      for (int i = 0; i < frames.size(); i++) {
        Recording.Frame publish = frames.get(i);
        if (publish.dir() != Recording.Direction.OUT || !V1.is(publish, V1.PUBLISH)
            || publish.data().contains(":") && !publish.data().contains("://")) {
          continue;
        }
        JsonNode element = PhpJson.parse(publish.data()).path(2);
        JsonNode published = element.isMissingNode() ? NullNode.getInstance() : element; // PHP: missing is null
        Recording.Frame event = frames.stream().skip(i + 1).filter(f -> f.dir() == Recording.Direction.IN
            && V1.is(f, V1.EVENT) && PhpJson.difference(V1.message(f).get(2), published, new Bindings()) == null)
            .findFirst().orElse(null);
        if (event == null) {
          continue; // the publication reached nobody
        }
        ArrayNode expected = JsonNodeFactory.instance.arrayNode().add(8).add(V1.text(V1.message(publish), 1))
            .add(PhpJson.decode(publish.data()).get(2));
        assertEquals(event.data(), PhpJson.encode(expected), r.name() + " " + publish.describe());
        events++;
      }
    }
    assertTrue(events >= 25, "only " + events + " events");
  }

  @ParameterizedTest(name = "PHP writes {0} as {1}")
  @CsvSource(delimiter = '|', value = {
      "1.0                    | 1",
      "-0.0                   | -0",
      "1e2                    | 100",
      "0.1                    | 0.1",
      "0.30000000000000004    | 0.30000000000000004",
      "12345678901234567890   | 1.2345678901234567e+19",
      "9007199254740993       | 9007199254740993",
      "0.0001                 | 0.0001",
      "0.00001                | 1.0e-5",
      "1e25                   | 1.0e+25",
      "\"a/b\u00e9\ud83d\ude00\"     | \"a\\/b\\u00e9\\ud83d\\ude00\"",
      "{\"0\":\"a\",\"1\":\"b\"} | [\"a\",\"b\"]",
      "{}                     | []",
      "{\"1\":\"a\"}           | {\"1\":\"a\"}",
  })
  void phpsJsonEncodeOfWhatJsonDecodeMade(String json, String php) {
    assertEquals(php, PhpJson.encode(PhpJson.decode(json)));
  }

  @Test
  void anElidedSummaryStringStandsForAnyStringWithItsEndsAndLength() {
    String x = "x".repeat(1000);
    assertNull(PhpJson.differenceFromSummary(PhpJson.parse("[8,\"t\",\"<elided 1000 chars>\"]"),
        PhpJson.parse("[8,\"t\",\"" + x + "\"]"), new Bindings()));
    assertNull(PhpJson.differenceFromSummary(PhpJson.parse("[\"xxxx…[996 more chars]\"]"),
        PhpJson.parse("[\"" + x + "\"]"), new Bindings()));
    assertNotNull(PhpJson.differenceFromSummary(PhpJson.parse("[8,\"t\",\"<elided 999 chars>\"]"),
        PhpJson.parse("[8,\"t\",\"" + x + "\"]"), new Bindings()), "another length");
    assertNotNull(PhpJson.differenceFromSummary(PhpJson.parse("[8,\"u\",\"<elided 1000 chars>\"]"),
        PhpJson.parse("[8,\"t\",\"" + x + "\"]"), new Bindings()), "another topic");
    assertNotNull(PhpJson.difference(PhpJson.parse("[\"<elided 1000 chars>\"]"),
        PhpJson.parse("[\"" + x + "\"]"), new Bindings()), "only a summary elides");
  }
}
