package dev.tollgate.compat.ratchet.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
