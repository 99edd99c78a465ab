package dev.tollgate.compat.ratchet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.tollgate.compat.ratchet.ScenarioReplay.Verdict;
import dev.tollgate.compat.ratchet.recording.Recording;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every WAMP v1 session recorded against Ratchet 0.4.4 against Tollgate, one dynamic test per recording,
 * then prints a report (passed / deliberately different / failed / not replayable, one line per scenario).
 *
 * <p>By default each recording gets a fresh Tollgate configured like the recorded server application
 * ({@link RecordedServerTollgate}). Other recordings in the same format:
 * {@code mvn -B -o test -pl compat-tests/ratchet-v1 -Dtollgate.ratchet.scenarios=/absolute/path/to/folder}. An
 * already running Tollgate instead ({@code ./tollgate serve --rules.preset=open --v1.server-ident=Ratchet/0.4.4}):
 * {@code -Dtollgate.ratchet.url=ws://127.0.0.1:8080/ws}; recordings needing more than that are reported as not run.
 * What Tollgate does differently on purpose, and how a recording shows it, is in
 * {@link dev.tollgate.compat.ratchet.differences.DeliberateDifferences}.
 */
class RatchetReplayTest {
  private static RunningTollgate running;

  @TestFactory
  Stream<DynamicTest> everyRecordedScenarioPlaysOutOnTollgateAsRecordedOrAsDocumented() throws Exception {
    Path folder = CompatData.scenarios();
    List<Recording> recordings = Recording.loadAll(folder);
    running = RunningTollgate.fromSystemProperty();
    String against = running != null ? "the running Tollgate at " + running
        : "a fresh Tollgate per scenario, configured like the recorded server";
    ReplayReport report = new ReplayReport("WAMP v1 replay of " + folder + " against " + against,
        recordings.stream().map(Recording::name).toList());
    Stream<DynamicTest> scenarios = recordings.stream()
        .map(r -> dynamicTest(r.name(), () -> replayAndReport(r, report)));
    DynamicTest summary = dynamicTest("report", () -> {
      report.print(System.out);
      assertEquals(List.of(), report.missing(), "scenarios that produced no outcome");
    });
    return Stream.concat(scenarios, Stream.of(summary));
  }

  @AfterAll
  static void stopCallee() {
    if (running != null) {
      running.close();
    }
  }

  private static void replayAndReport(Recording recorded, ReplayReport report) throws Throwable {
    Verdict verdict = ScenarioReplay.play(recorded, running);
    report.add(verdict);
    switch (verdict.outcome()) {
      case FAILED -> throw verdict.failure();
      case NOT_REPLAYABLE -> throw new AssertionError(recorded.name() + " is not replayable: " + verdict.detail());
      case NOT_RUN -> Assumptions.abort(verdict.detail());
      default -> { }
    }
  }
}
