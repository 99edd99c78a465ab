package dev.tollgate.router;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A router in a child JVM started as {@code tollgate serve} is, for what only another process shows: a kill -9, a
 * descriptor limit, a lock held by someone else. On 127.0.0.1, a free port, the shipped logging.
 *
 * <p>Lifecycle: {@link #start} returns once the router says it listens; {@link #close} kills it if it still runs.
 */
final class RouterProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("Tollgate listening on wss?://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final ProcessLines lines;
  private final int port;

  private RouterProcess(Process process, ProcessLines lines, int port) {
    this.process = process;
    this.lines = lines;
    this.port = port;
  }

  /**
   * Starts {@code serve} with {@code settings} ({@code --key=value}), the command run under {@code wrapper} (e.g.
   * {@code prlimit --nofile=…}; empty for none).
   */
  static RouterProcess start(List<String> wrapper, String... settings) throws Exception {
    Process process = launch(wrapper, settings);
    ProcessLines lines = new ProcessLines(process);
    String listening = lines.next(l -> LISTENING.matcher(l).find() || !process.isAlive(), 60);
    Matcher m = LISTENING.matcher(listening);
    if (!m.find()) {
      throw new AssertionError("the router did not start: " + lines.all());
    }
    return new RouterProcess(process, lines, Integer.parseInt(m.group(1)));
  }

  /** Starts {@code serve} and returns the process as it runs, whether it starts or not, for tests of a refused start. */
  static Process launch(List<String> wrapper, String... settings) throws Exception {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dlogback.configurationFile=" + Path.of(Main.class.getResource("/logback.xml").toURI()),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--server.host=127.0.0.1",
        "--server.port=0"));
    command.addAll(List.of(settings));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  ProcessLines lines() {
    return lines;
  }

  /** SIGKILL: no shutdown hook, no flush, as a crash or the OOM killer ends it. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the router did not die on SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }
}
