package dev.tollgate.compat.ratchet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.tollgate.compat.ratchet.DeliberateDifferences.Difference;
import dev.tollgate.compat.ratchet.ReplayReport.Outcome;
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
 * then prints a report (passed / deliberately different / failed, one line per scenario).
 *
 * <p>By default each recording gets a fresh Tollgate configured like the recorded server application
 * ({@link RecordedServerTollgate}). Other recordings in the same format:
 * {@code mvn -B -o test -pl compat-tests/ratchet-v1 -Dtollgate.ratchet.scenarios=/absolute/path/to/folder}. An
 * already running Tollgate instead ({@code ./tollgate serve --rules.preset=open --v1.server-ident=Ratchet/0.4.4}):
 * {@code -Dtollgate.ratchet.url=ws://127.0.0.1:8080/ws}; recordings needing more than that are reported as not run.
 * What Tollgate does differently on purpose is in {@link DeliberateDifferences}.
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

  private static void replayAndReport(Recording recorded, ReplayReport report) throws Exception {
    Difference difference = DeliberateDifferences.of(recorded.name());
    Recording toPlay = difference == null ? recorded : difference.tollgate().apply(recorded);
    Setup setup = Setup.of(toPlay);
    if (running != null) {
      String why = running.cannotReplay(setup);
      if (why != null) {
        report.add(recorded.name(), Outcome.NOT_RUN, why);
        Assumptions.abort(why);
      }
    }
    try {
      if (running != null) {
        Replayer.replay(toPlay, running);
      } else {
        try (RecordedServerTollgate tollgate = RecordedServerTollgate.start(setup)) {
          Replayer.replay(toPlay, tollgate);
        }
      }
    } catch (AssertionError e) {
      report.add(recorded.name(), Outcome.FAILED, e.getMessage());
      throw e;
    } catch (Exception e) {
      report.add(recorded.name(), Outcome.FAILED, e.toString());
      throw e;
    }
    if (difference != null) {
      report.add(recorded.name(), Outcome.DIFFERENT, difference.reason());
    } else {
      report.add(recorded.name(), Outcome.PASSED, "");
    }
  }
}
