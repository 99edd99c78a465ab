package dev.tollgate.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CodecTest {

  private static WampMessage json(String text) {
    return Serializer.JSON.codec().decode(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Half of a surrogate pair, as a JSON escape or as CBOR text bytes (found by the CBOR fuzzer): refused where it comes
   * in. Taken in, it could not be encoded for any subscriber, in any serializer.
   */
  @Test
  void aStringHoldingHalfASurrogatePairIsRefusedInEverySerializer() {
    ProtocolViolationException json = assertThrows(ProtocolViolationException.class,
        () -> json("[16,1,{},\"topic\",[\"a\\udc8a\"]]"));
    assertTrue(json.getMessage().contains("half of a surrogate pair (U+DC8A)"), json.getMessage());
    assertThrows(ProtocolViolationException.class, () -> json("[16,1,{\"\\ud800\":1},\"topic\"]"), "in a key too");
    // CBOR: [16, 1, {}, "topic", ["a" + the three bytes ED B2 8A, which Java's decoder takes as U+DC8A]]
    byte[] cbor = java.util.HexFormat.of().parseHex("851001a065746f70696381" + "6461edb28a");
    assertThrows(ProtocolViolationException.class, () -> Serializer.CBOR.codec().decode(ByteBuffer.wrap(cbor)));
    assertEquals(List.of("a\ud83d\ude00"), ((Publish) json("[16,1,{},\"topic\",[\"a\\ud83d\\ude00\"]]"))
        .payload().args(), "a whole pair is a character like any other");
  }

  @Test
  void goldenJsonEncodingOmitsEmptyTrailingPayload() {
    byte[] bytes = Serializer.JSON.codec().encode(new Event(5, 7, Map.of(), Payload.EMPTY));
    assertEquals("[36,5,7,{}]", new String(bytes, StandardCharsets.UTF_8));
    bytes = Serializer.JSON.codec().encode(new Event(5, 7, Map.of(), Payload.of(null, Map.of("a", 1))));
    assertEquals("[36,5,7,{},[],{\"a\":1}]", new String(bytes, StandardCharsets.UTF_8));
  }

  @Test
  void jsonCarriesBinaryAsNulPrefixedBase64() {
    byte[] bytes = Serializer.JSON.codec().encode(new Publish(1, Map.of(), "t", Payload.of(List.of(new byte[] {1, 2, 3}))));
    assertEquals("[16,1,{},\"t\",[\"\\u0000AQID\"]]", new String(bytes, StandardCharsets.UTF_8));
    Publish back = (Publish) Serializer.JSON.codec().decode(ByteBuffer.wrap(bytes));
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) back.payload().args().get(0));
  }

  @ParameterizedTest
  @EnumSource(Serializer.class)
  void everySerializerRoundTripsEveryValueType(Serializer serializer) {
    Map<String, Object> kwargs = Map.of("bytes", new byte[] {0, -1}, "n", 1L << 53, "f", 1.5, "nested", List.of(Map.of("x", true)));
    Call call = new Call(42, Map.of("timeout", 1000), "com.example.proc", Payload.of(java.util.Arrays.asList("s", null, false), kwargs));
    Call back = (Call) serializer.codec().decode(ByteBuffer.wrap(serializer.codec().encode(call)));
    assertEquals(42, back.requestId());
    assertEquals("com.example.proc", back.procedure());
    assertEquals(java.util.Arrays.asList("s", null, false), back.payload().args());
    assertArrayEquals(new byte[] {0, -1}, (byte[]) back.payload().kwargs().get("bytes"));
    assertEquals(1L << 53, ((Number) back.payload().kwargs().get("n")).longValue());
    assertEquals(1.5, back.payload().kwargs().get("f"));
    assertEquals(List.of(Map.of("x", true)), back.payload().kwargs().get("nested"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "[32,1,{},42]|SUBSCRIBE element 3 (Topic|uri): expected string but was integer 42",
      "[32,1,{}]|SUBSCRIBE: expected 4 elements but was 3",
      "[32,\"1\",{},\"t\"]|SUBSCRIBE element 1 (Request|id): expected integer but was string \"1\"",
      "[32,9007199254740993,{},\"t\"]|SUBSCRIBE element 1 (Request|id): expected an id in [0, 2^53] but was integer 9007199254740993",
      "[32,-1,{},\"t\"]|SUBSCRIBE element 1 (Request|id): expected an id in [0, 2^53] but was integer -1",
      "[32,1,[],\"t\"]|SUBSCRIBE element 2 (Options|dict): expected dict but was list",
      "[16,1,{},\"t\",{}]|PUBLISH element 4 (Arguments|list): expected list but was dict",
      "[16,1,{},\"t\",[],[]]|PUBLISH element 5 (ArgumentsKw|dict): expected dict but was list",
      "[16,1,{\"acknowledge\":1},\"t\"]|PUBLISH.Options.acknowledge: expected boolean but was integer 1",
      "[99,1]|unknown message type 99",
      "[\"16\",1,{},\"t\"]|element 0 (message type): expected integer but was string \"16\"",
      "{}|expected a message list but was dict",
      "[]|expected a message list but was an empty list",
      "[1,\"realm1\",{}] [1]|trailing data after the JSON message",
      "[1,\"realm1\"|malformed JSON message",
      "\"\\u0000!!\"|malformed JSON message: binary string (NUL followed by Base64) is not valid Base64",
  })
  void malformedInputIsAProtocolViolationThatSaysWhatWasWrong(String input, String message) {
    ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> json(input));
    assertEquals(true, e.getMessage().startsWith(message), "got: " + e.getMessage());
  }

  @Test
  void garbageInBinarySerializersIsAProtocolViolation() {
    for (Serializer s : List.of(Serializer.MSGPACK, Serializer.CBOR)) {
      for (byte[] garbage : List.of(new byte[] {(byte) 0xc1}, new byte[] {(byte) 0x93, 1}, new byte[] {(byte) 0xff, 0, 0}, new byte[0])) {
        assertThrows(ProtocolViolationException.class, () -> s.codec().decode(ByteBuffer.wrap(garbage)), s + " " + java.util.HexFormat.of().formatHex(garbage));
      }
    }
  }

  @Test
  void bytesAfterABinaryMessageAreAProtocolViolation() {
    for (Serializer s : List.of(Serializer.MSGPACK, Serializer.CBOR)) {
      byte[] hello = s.codec().encode(new Hello("realm1", Map.of("roles", Map.of("caller", Map.of()))));
      assertEquals(Hello.class, s.codec().decode(ByteBuffer.wrap(hello)).getClass());
      byte[] withTrailer = java.util.Arrays.copyOf(hello, hello.length + 1);
      ProtocolViolationException e =
          assertThrows(ProtocolViolationException.class, () -> s.codec().decode(ByteBuffer.wrap(withTrailer)));
      assertEquals("trailing data after the " + s + " message", e.getMessage());
    }
  }

  @Test
  void errorMessagesNeverQuoteTheInputOfAMalformedMessage() {
    ProtocolViolationException e =
        assertThrows(ProtocolViolationException.class, () -> json("[5,\"SECRET-TICKET\",{} garbage"));
    assertEquals(false, e.getMessage().contains("SECRET"), e.getMessage());
  }

  @Test
  void optionsLeftUndefinedByJavaScriptClientsCountAsAbsent() {
    Subscribe s = (Subscribe) json("[32,1,{\"match\":null},\"t\"]");
    assertEquals(null, s.options().get("match"));
    // msgpackr (wampy) writes undefined as fixext 1, type 0, data 0: [32, 1, {"match": undefined}, "t"]
    byte[] msgpack = java.util.HexFormat.of().parseHex("942001" + "81a56d61746368d40000" + "a174");
    Subscribe m = (Subscribe) Serializer.MSGPACK.codec().decode(ByteBuffer.wrap(msgpack));
    assertEquals(true, m.options().containsKey("match"));
    assertEquals(null, m.options().get("match"));
    byte[] otherExtension = java.util.HexFormat.of().parseHex("942001" + "81a56d61746368d40501" + "a174");
    assertThrows(ProtocolViolationException.class, () -> Serializer.MSGPACK.codec().decode(ByteBuffer.wrap(otherExtension)));
  }

  @Test
  void nullArgumentsFromJavaScriptRoutersCountAsAbsent() {
    Result r = (Result) json("[50,1,{},[5],null]");
    assertEquals(java.util.List.of(5), r.payload().args());
    assertEquals(null, r.payload().kwargs());
    Invocation i = (Invocation) json("[68,1,2,{},null,{\"k\":1}]");
    assertEquals(null, i.payload().args());
    assertEquals(Map.of("k", 1), i.payload().kwargs());
    assertThrows(ProtocolViolationException.class, () -> json("[50,1,{},\"x\"]"));
  }

  @Test
  void wholeNumberFloatIdsFromJavaScriptEncodersAreAccepted() {
    // cbor-x and msgpackr send integers of 2^32 and more as floats
    Unsubscribe u = (Unsubscribe) json("[34,1,1099511627776.0]");
    assertEquals(1L << 40, u.subscriptionId());
    assertThrows(ProtocolViolationException.class, () -> json("[34,1,1.5]"));
  }

  @Test
  void looseUrisAcceptOroTopicsAndStrictOnesDoNot() {
    assertEquals(true, WampUris.isValid("oro/data/update", WampUris.Rules.LOOSE, false));
    assertEquals(true, WampUris.isValid("com.example.Topic-1", WampUris.Rules.LOOSE, false));
    assertEquals(false, WampUris.isValid("oro/data/update", WampUris.Rules.STRICT, false));
    assertEquals(true, WampUris.isValid("com.example.topic_1", WampUris.Rules.STRICT, false));
    assertEquals(false, WampUris.isValid("com..topic", WampUris.Rules.LOOSE, false));
    assertEquals(true, WampUris.isValid("com..topic", WampUris.Rules.LOOSE, true));
    assertEquals(false, WampUris.isValid("com.has space", WampUris.Rules.LOOSE, false));
    assertEquals(false, WampUris.isValid("com.hash#", WampUris.Rules.LOOSE, false));
    assertEquals(false, WampUris.isValid("", WampUris.Rules.LOOSE, true));
  }

  /** The spec's regular expressions for URIs (section "URIs"), the reference the one-pass check must agree with. */
  @Test
  void uriChecksAgreeWithTheSpecsRegularExpressions() {
    Map<String, java.util.regex.Pattern> spec = Map.of(
        "LOOSE false", java.util.regex.Pattern.compile("^([^\\s\\.#]+\\.)*([^\\s\\.#]+)$"),
        "LOOSE true", java.util.regex.Pattern.compile("^(([^\\s\\.#]+\\.)|\\.)*([^\\s\\.#]+)?$"),
        "STRICT false", java.util.regex.Pattern.compile("^([0-9a-z_]+\\.)*([0-9a-z_]+)$"),
        "STRICT true", java.util.regex.Pattern.compile("^(([0-9a-z_]+\\.)|\\.)*([0-9a-z_]+)?$"));
    char[] alphabet = {'a', 'Z', '0', '_', '.', '.', ' ', '#', '/', '\t', '-', '\u00e9'};
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 50_000; i++) {
      char[] uri = new char[1 + random.nextInt(8)];
      for (int k = 0; k < uri.length; k++) {
        uri[k] = alphabet[random.nextInt(alphabet.length)];
      }
      String u = new String(uri);
      for (WampUris.Rules rules : WampUris.Rules.values()) {
        for (boolean empty : new boolean[] {false, true}) {
          boolean expected = spec.get(rules + " " + empty).matcher(u).matches();
          assertEquals(expected, WampUris.isValid(u, rules, empty), () -> rules + " empty=" + empty + " '" + u + "'");
        }
      }
    }
  }

  @Test
  void idsStayWithinTheSpecRange() {
    for (int i = 0; i < 100_000; i++) {
      long id = Ids.globalRandom();
      assertEquals(true, id >= 1 && id <= Ids.MAX, "id " + id);
    }
    Ids.Sequence seq = new Ids.Sequence();
    assertEquals(1, seq.next());
    assertEquals(2, seq.next());
  }
}
