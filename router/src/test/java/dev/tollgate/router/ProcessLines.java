package dev.tollgate.router;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A child process's output (stdout and stderr together), line by line as it comes, read by a daemon thread. */
final class ProcessLines {
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  ProcessLines(Process process) {
    Thread reader = new Thread(() -> {
      try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
      } catch (java.io.IOException ended) {
        // the process is gone
      }
    }, "process-lines-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** The next line that {@code wanted} accepts, within {@code seconds}; every line read is kept for {@link #seen}. */
  String next(Predicate<String> wanted, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line == null) {
        continue;
      }
      seen.add(line);
      if (wanted.test(line)) {
        return line;
      }
    }
    throw new AssertionError("no such line within " + seconds + " s; read: " + seen);
  }

  /** Every line read so far, and those still waiting. */
  List<String> all() {
    List<String> out = new ArrayList<>(seen);
    lines.drainTo(out);
    seen.clear();
    seen.addAll(out);
    return out;
  }
}
