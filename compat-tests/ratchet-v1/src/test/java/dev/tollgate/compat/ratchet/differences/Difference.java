package dev.tollgate.compat.ratchet.differences;

import dev.tollgate.compat.ratchet.recording.Recording;
import java.util.List;

/**
 * One behaviour Tollgate shows differently from Ratchet on purpose, recognised by the frames that show it in any
 * recording, whatever the recording is called and whatever else it holds. Where the behaviour shows, the recording
 * is rewritten to what Tollgate must do instead, and that is replayed: a difference excuses nothing that it does not
 * rewrite, and Tollgate fails the replay when it does not do what the rewrite says.
 */
public interface Difference {

  /** The behaviour, in a few words, e.g. "curie-resolution". */
  String name();

  /** What Ratchet did, what Tollgate does instead and why, quoting the spec, Ratchet's code or Tollgate's docs. */
  String reason();

  /** The recording rewritten where the behaviour shows; {@link Rewrite#none} where it does not. */
  Rewrite rewrite(Recording recording);

  /**
   * A recording rewritten by one difference.
   *
   * @param where one line per place the behaviour showed, naming the frames ("conn 0 seq 3 SUBSCRIBE event:news:
   *     …"); empty when it did not show
   */
  record Rewrite(Recording recording, List<String> where) {
    public static Rewrite none(Recording unchanged) {
      return new Rewrite(unchanged, List.of());
    }

    public boolean shows() {
      return !where.isEmpty();
    }
  }
}
