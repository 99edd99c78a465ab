package dev.tollgate.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.protocol.CompatData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fuzzers' seeds: every message of the WAMP conformance vectors (by serializer) and every frame a client sent in
 * the Ratchet recordings (WAMP v1), from {@code ../shared/compat}. Each goes through its fuzz target's property here,
 * in every build; with {@code -Dtollgate.fuzz.seeds=DIR} each is also written as a seed file under
 * {@code DIR/<fuzz test class>/<method>/}, Jazzer's generated corpus, which is how {@code .ci/fuzz} starts a fuzzer
 * from real traffic rather than from nothing.
 */
class SharedDataSeedsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DecoderFuzzTest targets = new DecoderFuzzTest();

  @Test
  void everySharedMessageHoldsTheDecodersPromiseAndSeedsTheFuzzers() throws Exception {
    Map<String, List<byte[]>> seeds = Map.of("json", new ArrayList<>(), "msgpack", new ArrayList<>(),
        "cbor", new ArrayList<>(), "v1", new ArrayList<>());
    try (Stream<Path> files = Files.walk(CompatData.dir("wamp-vectors"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json") && !f.endsWith("SCHEMA.json")).toList()) {
        JSON.readTree(file.toFile()).findValues("serializers").forEach(serializers -> seeds.forEach((format, into) -> {
          for (JsonNode sample : serializers.path(format)) {
            if (sample.has("bytes_hex")) {
              into.add(HexFormat.of().parseHex(sample.get("bytes_hex").asText()));
            }
          }
        }));
      }
    }
    try (Stream<Path> files = Files.list(CompatData.dir("ratchet-v1"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json") && !f.endsWith("index.json")).toList()) {
        for (JsonNode frame : JSON.readTree(file.toFile()).path("frames")) {
          if (frame.path("dir").asText().equals("out") && frame.path("type").asText().equals("text")
              && frame.has("data")) {
            seeds.get("v1").add(frame.get("data").asText().getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    }
    seeds.forEach((format, inputs) -> assertTrue(inputs.size() >= 20, format + ": only " + inputs.size() + " seeds"));

    String exportTo = System.getProperty("tollgate.fuzz.seeds");
    for (Map.Entry<String, List<byte[]>> e : seeds.entrySet()) {
      for (byte[] input : e.getValue()) {
        switch (e.getKey()) {
          case "json" -> targets.json(input);
          case "msgpack" -> targets.msgpack(input);
          case "cbor" -> targets.cbor(input);
          default -> targets.v1(input);
        }
        if (exportTo != null) {
          write(Path.of(exportTo, DecoderFuzzTest.class.getName(), e.getKey()), input);
        }
      }
    }
  }

  private static void write(Path dir, byte[] input) {
    try {
      Files.createDirectories(dir);
      String name = "seed-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(input));
      Files.write(dir.resolve(name), input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
