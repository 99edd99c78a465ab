package dev.tollgate.compat.ratchet.recording;

/**
 * A recording that cannot be played against Tollgate at all, with the reason: a frame it did not keep whole, or
 * traffic that has no counterpart when Tollgate speaks another protocol on that connection. Reported as "not
 * replayable" and failed, never skipped, so that someone records it again.
 */
public final class NotReplayableException extends RuntimeException {
  public NotReplayableException(String reason) {
    super(reason);
  }
}
