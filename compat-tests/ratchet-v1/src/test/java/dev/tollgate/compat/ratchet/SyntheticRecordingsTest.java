package dev.tollgate.compat.ratchet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.compat.ratchet.ReplayReport.Outcome;
import dev.tollgate.compat.ratchet.ScenarioReplay.Verdict;
import dev.tollgate.compat.ratchet.differences.DeliberateDifferences;
import dev.tollgate.compat.ratchet.differences.Difference;
import dev.tollgate.compat.ratchet.recording.Recording;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The deliberate differences proven on recordings of their own ({@code src/test/resources/synthetic-recordings}, in
 * the shared format), each saying in its {@code synthetic} field what must come of it: variations of every known
 * behaviour under other names, topics, prefixes and ids, which must be judged deliberately different and pass;
 * recordings that must fail (server behaviour made up, or a real difference no rule excuses); and one that cannot be
 * replayed. Each is played against a fresh Tollgate, exactly as the shared recordings are.
 */
class SyntheticRecordingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a synthetic recording says must come of it. */
  private record Expected(Outcome outcome, List<String> behaviours, String why) {}

  @TestFactory
  Stream<DynamicTest> eachSyntheticRecordingIsJudgedAsItSays() throws Exception {
    Path folder = folder();
    List<Recording> recordings = Recording.loadAll(folder);
    Map<String, Expected> expected = new TreeMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonNode root = JSON.readTree(f.toFile());
        JsonNode s = root.path("synthetic");
        List<String> behaviours = new ArrayList<>();
        s.path("behaviours").forEach(b -> behaviours.add(b.asText()));
        expected.put(root.path("scenario").asText(),
            new Expected(Outcome.valueOf(s.path("outcome").asText()), behaviours, s.path("why").asText()));
      }
    }
    ReplayReport report = new ReplayReport("synthetic recordings in " + folder,
        recordings.stream().map(Recording::name).toList());
    List<Verdict> verdicts = new ArrayList<>();
    Stream<DynamicTest> each = recordings.stream().map(r -> dynamicTest(r.name(), () -> {
      Expected e = Objects.requireNonNull(expected.get(r.name()), r.name() + " says nothing of what must come of it");
      Verdict v = ScenarioReplay.play(r, null);
      report.add(v);
      verdicts.add(v);
      assertEquals(e.outcome(), v.outcome(), r.name() + " (" + e.why() + "): " + v.detail());
      assertEquals(e.behaviours(), v.judgement() == null ? List.of() : v.judgement().behaviours(), r.name());
    }));
    DynamicTest coverage = dynamicTest("every difference and every outcome is proven here", () -> {
      report.print(System.out);
      TreeSet<String> provenDifferent = new TreeSet<>();
      TreeSet<Outcome> outcomes = new TreeSet<>();
      for (Verdict v : verdicts) {
        outcomes.add(v.outcome());
        if (v.outcome() == Outcome.DIFFERENT) {
          provenDifferent.addAll(v.judgement().behaviours());
        }
      }
      assertEquals(new TreeSet<>(DeliberateDifferences.ALL.stream().map(Difference::name).toList()), provenDifferent,
          "every difference is judged deliberately different, and passes, in a recording of its own");
      assertEquals(new TreeSet<>(List.of(Outcome.PASSED, Outcome.DIFFERENT, Outcome.FAILED, Outcome.NOT_REPLAYABLE)),
          outcomes, "the synthetic recordings cover every outcome, failure included");
    });
    return Stream.concat(each, Stream.of(coverage));
  }

  private static Path folder() throws URISyntaxException, IOException {
    var url = SyntheticRecordingsTest.class.getResource("/synthetic-recordings");
    if (url == null) {
      throw new IOException("synthetic-recordings is not on the test class path");
    }
    return Path.of(url.toURI());
  }
}
