package dev.tollgate.compat.ratchet.differences;

import dev.tollgate.compat.ratchet.recording.Recording;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * A recording's frames while a difference rewrites them. Frames are found by identity, not by value (a recording
 * may hold two equal frames), so a difference can keep hold of the frames it found and edit around them.
 */
final class FrameEdits {
  private final List<Frame> frames;

  FrameEdits(Recording recording) {
    this.frames = new ArrayList<>(recording.frames());
  }

  List<Frame> frames() {
    return Collections.unmodifiableList(frames);
  }

  Recording applyTo(Recording recording) {
    return recording.withFrames(frames);
  }

  void replace(Frame old, List<Frame> with) {
    int i = indexOf(old);
    frames.remove(i);
    frames.addAll(i, with);
  }

  void replace(Frame old, Frame with) {
    frames.set(indexOf(old), with);
  }

  void remove(Frame f) {
    frames.remove(indexOf(f));
  }

  void insertAfter(Frame anchor, List<Frame> added) {
    frames.addAll(indexOf(anchor) + 1, added);
  }

  /** The first frame after {@code after} that matches, or null. */
  Frame next(Frame after, Predicate<Frame> matching) {
    for (int i = indexOf(after) + 1; i < frames.size(); i++) {
      if (matching.test(frames.get(i))) {
        return frames.get(i);
      }
    }
    return null;
  }

  /** Every frame after {@code after} that matches, in order. */
  List<Frame> after(Frame after, Predicate<Frame> matching) {
    List<Frame> found = new ArrayList<>();
    for (int i = indexOf(after) + 1; i < frames.size(); i++) {
      if (matching.test(frames.get(i))) {
        found.add(frames.get(i));
      }
    }
    return found;
  }

  private int indexOf(Frame f) {
    for (int i = 0; i < frames.size(); i++) {
      if (frames.get(i) == f) {
        return i;
      }
    }
    throw new IllegalStateException("no longer in the recording: " + f.describe());
  }
}
