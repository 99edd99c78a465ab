package dev.tollgate.compat.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, showing one URL with a fresh profile in a temporary directory.
 *
 * <p>Lifecycle: {@link #open} starts it; {@link #close} kills it and every process it started (renderer, GPU,
 * zygote), waits for them to end and deletes the profile. Its output goes to a log file whose tail {@link #logTail}
 * gives for failure messages. Not thread-safe.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final String EXECUTABLE = "chromium";

  private final Process process;
  private final Path profile;
  private final Path log;

  private HeadlessChromium(Process process, Path profile, Path log) {
    this.process = process;
    this.profile = profile;
    this.log = log;
  }

  /** Starts chromium on {@code url}; fails, saying how to get it, when {@code chromium} is not on the PATH. */
  static HeadlessChromium open(String url) throws IOException {
    return start(url, List.of());
  }

  /**
   * Starts chromium on {@code url}, driven by the test through the DevTools protocol (see {@link DevTools}): it
   * listens on a free loopback port, which it writes into the profile.
   */
  static HeadlessChromium openDriven(String url) throws IOException {
    return start(url, List.of("--remote-debugging-port=0", // chromium binds it on 127.0.0.1
        "--window-size=1280,860", "--hide-scrollbars"));
  }

  private static HeadlessChromium start(String url, List<String> extra) throws IOException {
    String executable = onPath(EXECUTABLE);
    Path profile = Files.createTempDirectory("tollgate-chromium-");
    Path log = profile.resolveSibling(profile.getFileName() + ".log");
    List<String> command = new java.util.ArrayList<>(List.of(executable, "--headless=new", "--no-sandbox",
        "--disable-gpu", "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        // The page's console messages and errors go to the log, for failure messages.
        "--enable-logging=stderr"));
    command.addAll(extra);
    command.add(url);
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    return new HeadlessChromium(process, profile, log);
  }

  /**
   * The DevTools port of a chromium started by {@link #openDriven}, once it has written it (within {@code within});
   * fails with chromium's log if it does not.
   */
  int devToolsPort(java.time.Duration within) throws InterruptedException {
    Path file = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!lines.isEmpty() && !lines.get(0).isBlank()) {
          return Integer.parseInt(lines.get(0).trim());
        }
      } catch (IOException | NumberFormatException notYet) {
        // not written yet, or half written
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("chromium wrote no DevTools port within " + within + ":\n" + logTail());
  }

  private static String onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException("'" + name + "' is not on the PATH; this test runs Debian's chromium headless"
        + " (CI's .ci/run installs it: apt-get install -y chromium)");
  }

  /** The last lines chromium wrote, for a failure message, without its complaints that this machine has no D-Bus. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .filter(line -> !line.contains("dbus")).toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no chromium log: " + e + ")";
    }
  }

  @Override
  public void close() {
    // Children first, taken while chromium still runs: killed first, it would leave them to init.
    List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("chromium process " + p.pid() + " did not end", e);
      }
    }
    deleteRecursively(profile);
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete chromium's profile " + dir, e);
    }
  }
}
