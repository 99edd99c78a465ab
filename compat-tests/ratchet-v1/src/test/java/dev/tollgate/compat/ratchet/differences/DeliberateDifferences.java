package dev.tollgate.compat.ratchet.differences;

import dev.tollgate.compat.ratchet.recording.Recording;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where Tollgate does not do what Ratchet did, on purpose: every {@link Difference}, each keyed to the behaviour and
 * the frames that show it, so that any recording is judged by the same rules. A recording in which no behaviour
 * shows is replayed exactly as recorded; one in which some do is replayed in full against the recording rewritten by
 * each, in this order, and counts as "deliberately different" only when Tollgate then does exactly that. Nothing is
 * skipped.
 */
public final class DeliberateDifferences {
  private DeliberateDifferences() {}

  /** Differences in every recording, which the comparison itself allows for (see the replayer). */
  public static final List<String> EVERYWHERE = List.of(
      "session ids: Tollgate's are decimal integers, Ratchet's uniqid strings (the recordings' pattern); they are"
          + " bound by position, any non-empty string is accepted, and two sessions may not share one",
      "handshake headers: Tollgate is not Ratchet (no X-Powered-By, its own header order, reason phrase and body);"
          + " the status, Sec-WebSocket-Accept, Sec-WebSocket-Protocol, Upgrade and Connection are compared",
      "close reasons are implementation text (\"Ratchet detected an invalid UTF-8 payload\"); the code is compared,"
          + " the reason only where the server echoes the client's own",
      "request paths: Ratchet served any path, Tollgate its endpoint's (/ws); recorded paths are replaced by it,"
          + " queries kept",
      "PHP's JSON encoding: see PhpJson for what counts as the same value; a payload the recording kept as length and"
          + " SHA-256 is the same when Tollgate's bytes have them, or PHP's encoding of Tollgate's value has them");

  /**
   * Every difference, in the order they rewrite a recording: first who connects with what (tickets, subprotocols,
   * refusals), then what a single message does (too large, no procedure), then what names resolve to (CURIEs, which
   * needs the messages Tollgate really handles), and last the order in which answers may arrive.
   */
  public static final List<Difference> ALL = List.of(
      new UrlTicket(),
      new SubprotocolChoice(),
      new UpgradeRefusalHeaders(),
      new OversizedMessage(),
      new CallWithoutProcedure(),
      new CurieResolution(),
      new CallAnswerOrder());

  /** A behaviour found in a recording and where it showed. */
  public record Found(Difference difference, List<String> where) {}

  /**
   * What a recording is judged against.
   *
   * @param tollgate the recording rewritten by every difference that shows in it; the recording itself when none does
   */
  public record Judgement(Recording recorded, Recording tollgate, List<Found> found) {
    public boolean different() {
      return !found.isEmpty();
    }

    /** The names of the behaviours found, in order. */
    public List<String> behaviours() {
      return found.stream().map(f -> f.difference().name()).toList();
    }

    /** One line for the report: each behaviour and where it showed. */
    public String describe() {
      return found.stream()
          .map(f -> f.difference().name() + " (" + String.join("; ", f.where()) + ")")
          .collect(Collectors.joining("; "));
    }
  }

  /**
   * Judges a recording by every difference.
   *
   * @throws dev.tollgate.compat.ratchet.recording.NotReplayableException when a behaviour shows in a way Tollgate
   *     has no counterpart for
   */
  public static Judgement judge(Recording recorded) {
    Recording current = recorded;
    List<Found> found = new ArrayList<>();
    for (Difference d : ALL) {
      Difference.Rewrite rewrite = d.rewrite(current);
      if (rewrite.shows()) {
        found.add(new Found(d, rewrite.where()));
        current = rewrite.recording();
      }
    }
    return new Judgement(recorded, current, List.copyOf(found));
  }
}
