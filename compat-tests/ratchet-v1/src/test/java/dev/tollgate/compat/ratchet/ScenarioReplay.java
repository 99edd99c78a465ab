package dev.tollgate.compat.ratchet;

import dev.tollgate.compat.ratchet.ReplayReport.Outcome;
import dev.tollgate.compat.ratchet.differences.DeliberateDifferences;
import dev.tollgate.compat.ratchet.differences.DeliberateDifferences.Judgement;
import dev.tollgate.compat.ratchet.recording.NotReplayableException;
import dev.tollgate.compat.ratchet.recording.Recording;

/**
 * One recording judged: its deliberate differences found, the recording (or what they rewrote it to) played against
 * a fresh Tollgate configured like the recorded server (or against one already running), and the outcome.
 */
final class ScenarioReplay {
  private ScenarioReplay() {}

  /**
   * What came of one recording.
   *
   * @param detail why it differs, failed, could not be played or was not run; "" when it passed
   * @param judgement the differences found, null when the recording could not be judged
   * @param failure what the replay threw, null unless it failed
   */
  record Verdict(String scenario, Outcome outcome, String detail, Judgement judgement, Throwable failure) {}

  /** Plays a recording; {@code running} is a Tollgate someone started, or null for a fresh one. */
  static Verdict play(Recording recorded, RunningTollgate running) {
    String name = recorded.name();
    String unreplayable = recorded.whyNotReplayable();
    if (unreplayable != null) {
      return new Verdict(name, Outcome.NOT_REPLAYABLE, unreplayable, null, null);
    }
    Judgement judgement;
    try {
      judgement = DeliberateDifferences.judge(recorded);
    } catch (NotReplayableException e) {
      return new Verdict(name, Outcome.NOT_REPLAYABLE, e.getMessage(), null, null);
    }
    Recording toPlay = judgement.tollgate();
    Setup setup = Setup.of(toPlay);
    String cannot = running == null ? null : running.cannotReplay(setup);
    if (cannot != null) {
      return new Verdict(name, Outcome.NOT_RUN, cannot, judgement, null);
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
      return new Verdict(name, Outcome.FAILED, e.getMessage(), judgement, e);
    } catch (Exception e) {
      return new Verdict(name, Outcome.FAILED, e.toString(), judgement, e);
    }
    return judgement.different()
        ? new Verdict(name, Outcome.DIFFERENT, judgement.describe(), judgement, null)
        : new Verdict(name, Outcome.PASSED, "", judgement, null);
  }
}
