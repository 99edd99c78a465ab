package dev.tollgate.compat.ratchet;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the reference data lives: {@code ../shared/compat} beside the project root (the parent pom passes it as
 * {@code tollgate.compat.dir}), and the folder of recordings to replay ({@code tollgate.ratchet.scenarios}, by
 * default the Ratchet recordings in it). Missing data fails the run loudly rather than testing nothing.
 */
public final class CompatData {
  private CompatData() {}

  /** The system property naming another folder of recordings in the same format. */
  static final String SCENARIOS_PROPERTY = "tollgate.ratchet.scenarios";

  public static Path dir(String child) {
    String configured = System.getProperty("tollgate.compat.dir");
    // Without Maven (an IDE run), the module directory is compat-tests/ratchet-v1.
    Path root = configured != null ? Path.of(configured) : Path.of("..", "..", "..", "shared", "compat");
    return existing(root.resolve(child), "the tests read ../shared/compat beside the project root; "
        + "set -Dtollgate.compat.dir to move it");
  }

  static Path file(String name) {
    Path file = dir("").resolve(name).normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("reference data missing: " + file.toAbsolutePath());
    }
    return file;
  }

  /** The folder of recordings to replay. */
  static Path scenarios() {
    String configured = System.getProperty(SCENARIOS_PROPERTY);
    if (configured == null || configured.isBlank()) {
      return dir("ratchet-v1");
    }
    return existing(Path.of(configured), "-D" + SCENARIOS_PROPERTY + " names a folder that does not exist");
  }

  private static Path existing(Path dir, String hint) {
    Path normalized = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(normalized)) {
      throw new IllegalStateException("reference data missing: " + normalized + " (" + hint + ")");
    }
    return normalized;
  }
}
