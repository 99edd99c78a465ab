package dev.tollgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The official WAMP v2 conformance vectors: every byte variant of every serializer Tollgate speaks decodes to the
 * expected attributes, every message encodes back to a variant or to bytes that decode the same, and every
 * validation sample is accepted or refused as the vector says.
 */
class ConformanceVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> everySampleDecodesAndEncodesInEverySerializerSpoken() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : vectorFiles()) {
      JsonNode root = JSON.readTree(file.toFile());
      int index = 0;
      for (JsonNode sample : samples(root)) {
        index++;
        if (!sample.has("expected_attributes")) {
          continue;
        }
        for (Serializer serializer : Serializer.values()) {
          JsonNode variants = sample.path("serializers").path(serializer.name().toLowerCase());
          assertTrue(variants.isArray() && variants.size() > 0, file + " sample " + index + " lacks " + serializer);
          String name = file.getFileName() + " #" + index + " " + serializer + ": " + sample.path("description").asText();
          tests.add(DynamicTest.dynamicTest(name, () -> checkSample(serializer, variants, sample.get("expected_attributes"))));
        }
      }
    }
    assertTrue(tests.size() >= 3 * 25, "expected a sample per message type and serializer, found " + tests.size());
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyValidationSampleIsJudgedAsTheVectorSays() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : vectorFiles()) {
      for (JsonNode sample : samples(JSON.readTree(file.toFile()))) {
        if (!sample.has("wmsg")) {
          continue;
        }
        byte[] json = JSON.writeValueAsBytes(sample.get("wmsg"));
        JsonNode error = sample.get("expected_error");
        tests.add(DynamicTest.dynamicTest(file.getFileName() + ": " + sample.get("description").asText(), () -> {
          if (error == null) {
            Serializer.JSON.codec().decode(ByteBuffer.wrap(json));
          } else {
            ProtocolViolationException e = assertThrows(
                ProtocolViolationException.class, () -> Serializer.JSON.codec().decode(ByteBuffer.wrap(json)));
            String contains = error.get("contains").asText();
            assertTrue(e.getMessage().contains(contains), "error '" + e.getMessage() + "' should name " + contains);
          }
        }));
      }
    }
    assertFalse(tests.isEmpty(), "no validation samples found");
    return tests.stream();
  }

  @Test
  void everyMessageTypeOfTheSpecHasAVector() throws IOException {
    List<String> covered = new ArrayList<>();
    for (Path file : vectorFiles()) {
      covered.add(JSON.readTree(file.toFile()).get("wamp_message_type").asText());
    }
    for (String type : List.of("HELLO", "WELCOME", "ABORT", "CHALLENGE", "AUTHENTICATE", "GOODBYE", "ERROR",
        "PUBLISH", "PUBLISHED", "SUBSCRIBE", "SUBSCRIBED", "UNSUBSCRIBE", "UNSUBSCRIBED", "EVENT", "CALL", "CANCEL",
        "RESULT", "REGISTER", "REGISTERED", "UNREGISTER", "UNREGISTERED", "INVOCATION", "INTERRUPT", "YIELD")) {
      assertTrue(covered.contains(type), "no vector for " + type);
    }
  }

  private static void checkSample(Serializer serializer, JsonNode variants, JsonNode expected) {
    WampCodec codec = serializer.codec();
    List<byte[]> variantBytes = new ArrayList<>();
    for (JsonNode variant : variants) {
      byte[] bytes = HexFormat.of().parseHex(variant.get("bytes_hex").asText());
      variantBytes.add(bytes);
      WampMessage decoded = codec.decode(ByteBuffer.wrap(bytes));
      assertAttributes(expected, decoded, "decoding " + variant.path("note").asText("a variant"));
    }
    WampMessage decoded = codec.decode(ByteBuffer.wrap(variantBytes.get(0)));
    byte[] encoded = codec.encode(decoded);
    boolean same = variantBytes.stream().anyMatch(v -> java.util.Arrays.equals(v, encoded));
    if (!same) {
      assertAttributes(expected, codec.decode(ByteBuffer.wrap(encoded)), "re-decoding our own encoding");
    }
  }

  private static void assertAttributes(JsonNode expected, WampMessage message, String context) {
    Map<String, Object> actual = attributes(message);
    expected.fields().forEachRemaining(entry -> {
      String key = entry.getKey();
      if (!actual.containsKey(key)) {
        fail(context + ": no attribute '" + key + "' for " + message.getClass().getSimpleName());
      }
      Object want = normalize(JSON.convertValue(entry.getValue(), Object.class), key);
      Object got = normalize(actual.get(key), key);
      assertEquals(want, got, context + ": attribute '" + key + "'");
    });
  }

  /** Every attribute name the vectors use, read off a decoded message. */
  private static Map<String, Object> attributes(WampMessage m) {
    Map<String, Object> a = new LinkedHashMap<>();
    List<Object> wire = m.toList();
    a.put("message_type", m.code());
    if (m instanceof Hello h) {
      a.put("realm", h.realm());
      a.put("details", h.details());
      a.put("roles", h.details().get("roles"));
    } else if (m instanceof Welcome w) {
      a.put("session_id", w.session());
      a.put("details", w.details());
      a.put("roles", w.details().get("roles"));
    } else if (m instanceof Abort x) {
      a.put("details", x.details());
      a.put("reason", x.reason());
    } else if (m instanceof Goodbye x) {
      a.put("details", x.details());
      a.put("reason", x.reason());
    } else if (m instanceof Challenge x) {
      a.put("method", x.authMethod());
      a.put("extra", x.extra());
    } else if (m instanceof Authenticate x) {
      a.put("signature", x.signature());
      a.put("extra", x.extra());
    } else if (m instanceof ErrorMessage x) {
      a.put("request_type", x.requestType());
      a.put("request_id", x.requestId());
      a.put("details", x.details());
      a.put("error", x.error());
      payload(a, x.payload());
    } else if (m instanceof Publish x) {
      a.put("request_id", x.requestId());
      a.put("options", x.options());
      a.put("topic", x.topic());
      payload(a, x.payload());
    } else if (m instanceof Event x) {
      a.put("subscription", x.subscriptionId());
      a.put("publication", x.publicationId());
      a.put("details", x.details());
      payload(a, x.payload());
    } else if (m instanceof Call x) {
      a.put("request_id", x.requestId());
      a.put("options", x.options());
      a.put("procedure", x.procedure());
      payload(a, x.payload());
    } else if (m instanceof Result x) {
      a.put("request_id", x.requestId());
      a.put("details", x.details());
      payload(a, x.payload());
    } else if (m instanceof Invocation x) {
      a.put("request_id", x.requestId());
      a.put("registration_id", x.registrationId());
      a.put("details", x.details());
      payload(a, x.payload());
    } else if (m instanceof Yield x) {
      a.put("request_id", x.requestId());
      a.put("options", x.options());
      payload(a, x.payload());
    } else if (m instanceof Subscribe x) {
      a.put("request_id", x.requestId());
      a.put("options", x.options());
      a.put("topic", x.topic());
    } else if (m instanceof Register x) {
      a.put("request_id", x.requestId());
      a.put("options", x.options());
      a.put("procedure", x.procedure());
    } else if (m instanceof Cancel x) {
      a.put("request_id", x.requestId());
      a.put("options", x.options());
    } else if (m instanceof Interrupt x) {
      a.put("request_id", x.requestId());
      a.put("options", x.options());
    } else if (m instanceof Published x) {
      a.put("request_id", x.requestId());
      a.put("publication_id", x.publicationId());
    } else if (m instanceof Subscribed x) {
      a.put("request_id", x.requestId());
      a.put("subscription_id", x.subscriptionId());
    } else if (m instanceof Unsubscribe x) {
      a.put("request_id", x.requestId());
      a.put("subscription_id", x.subscriptionId());
    } else if (m instanceof Registered x) {
      a.put("request_id", x.requestId());
      a.put("registration_id", x.registrationId());
    } else if (m instanceof Unregister x) {
      a.put("request_id", x.requestId());
      a.put("registration_id", x.registrationId());
    } else if (m instanceof Unsubscribed x) {
      a.put("request_id", x.requestId());
    } else if (m instanceof Unregistered x) {
      a.put("request_id", x.requestId());
    } else if (m instanceof EventReceived x) {
      a.put("publication_id", x.publicationId());
    }
    assertEquals(m.code(), ((Number) wire.get(0)).intValue());
    return a;
  }

  private static void payload(Map<String, Object> a, Payload p) {
    a.put("args", p.args());
    a.put("kwargs", p.kwargs());
    a.put("payload", p.opaque());
  }

  /** Equal WAMP values compare equal: integers by value, bytes as hex, absent args/kwargs as empty. */
  private static Object normalize(Object v, String key) {
    if (("args".equals(key) || "kwargs".equals(key)) && v != null) {
      if ((v instanceof List<?> l && l.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty())) {
        return null;
      }
    }
    if (v instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    } else if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
      return new BigInteger(v.toString());
    } else if (v instanceof Float || v instanceof Double || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    } else if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(normalize(o, ""));
      }
      return out;
    } else if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(k, normalize(val, "")));
      return out;
    }
    return v;
  }

  private static List<JsonNode> samples(JsonNode root) {
    List<JsonNode> out = new ArrayList<>();
    if (root.has("samples")) {
      root.get("samples").forEach(out::add);
    } else {
      out.add(root);
    }
    return out;
  }

  private static List<Path> vectorFiles() throws IOException {
    Path dir = CompatData.dir("wamp-vectors").resolve("singlemessage");
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      assertFalse(list.isEmpty(), "no vector files under " + dir);
      return list;
    }
  }
}
