package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.protocol.Serializer;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's log as an operator reads it, from a router started as the command line starts it (a JVM of its own,
 * with the shipped logback configuration): one line when a session joins and one when its connection ends, with who,
 * from where, in which dialect and for how long; and, with {@code TOLLGATE_LOG_FORMAT=JSON}, every line a JSON object.
 */
class LogLinesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jsonLinesTellEachSessionsStartAndEnd(@TempDir Path data) throws Exception {
    // the shipped logback configuration, as RouterProcess starts every router, not the tests' logback-test.xml
    Process router = RouterProcess.launch(java.util.List.of("env", "TOLLGATE_LOG_FORMAT=JSON"), "--server.path=/ws",
        "--data.dir=" + data, "--rules.preset=open");
    ProcessLines lines = new ProcessLines(router);
    try {
      JsonNode listening = next(lines, "Tollgate listening on");
      Matcher port = Pattern.compile("ws://127\\.0\\.0\\.1:(\\d+)/ws").matcher(listening.get("formattedMessage").asText());
      assertTrue(port.find(), listening.toString());
      assertEquals("INFO", listening.get("level").asText());
      assertEquals("dev.tollgate.router.Router", listening.get("loggerName").asText());

      long sessionId;
      try (TestClient c = TestClient.connect(URI.create("ws://127.0.0.1:" + port.group(1) + "/ws"), Serializer.CBOR)) {
        sessionId = c.join("realm1").session();
        String joined = next(lines, "joined realm").get("formattedMessage").asText();
        assertEquals("session " + sessionId + " joined realm realm1 from 127.0.0.1 (authid " + sessionId
            + ", role anonymous, cbor)",
            joined.replaceAll("from /?127\\.0\\.0\\.1:\\d+", "from 127.0.0.1"));
      }
      String closed = next(lines, "closed (session " + sessionId).get("formattedMessage").asText();
      assertTrue(closed.matches("connection from /?127\\.0\\.0\\.1:\\d+ closed \\(session " + sessionId
          + ", authid " + sessionId + ", role anonymous, cbor, joined for \\d+\\.\\d s\\) by the peer: \\d+.*"), closed);
    } finally {
      router.destroy();
      assertTrue(router.waitFor(10, TimeUnit.SECONDS), "the router stops on SIGTERM");
    }
    for (String line : lines.all()) {
      assertNotNull(json(line), "every line is JSON: " + line);
    }
  }

  /** The next log line whose message contains {@code text}; every line before it must be JSON too. */
  private static JsonNode next(ProcessLines lines, String text) throws Exception {
    return json(lines.next(line -> json(line).path("formattedMessage").asText().contains(text), 30));
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException notJson) {
      throw new AssertionError("a log line that is not JSON: " + line, notJson);
    }
  }

}
