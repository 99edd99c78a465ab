package dev.tollgate.protocol;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the recorded reference data lives: {@code ../shared/compat} beside the project root. */
public final class CompatData {
  private CompatData() {}

  public static Path dir(String child) {
    String configured = System.getProperty("tollgate.compat.dir");
    Path root = configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "compat");
    Path dir = root.resolve(child).normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "reference data missing: " + dir.toAbsolutePath()
              + " (the tests read ../shared/compat beside the project root; set -Dtollgate.compat.dir to move it)");
    }
    return dir;
  }
}
