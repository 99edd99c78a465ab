package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as an operator gets it (run by failsafe, after packaging): unpacked with tar, its {@code bin/tollgate}
 * prints the version and serves with the sample configuration until stopped with SIGTERM.
 */
class DistributionIT {

  private static Process run(Path dir, String... command) throws Exception {
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
  }

  @Test
  void theUnpackedDistributionRunsWithItsOwnScriptAndConfiguration(@TempDir Path dir) throws Exception {
    Path archive = Path.of(System.getProperty("tollgate.dist"));
    assertTrue(Files.isRegularFile(archive), "no distribution at " + archive);
    Process tar = run(dir, "tar", "-xzf", archive.toString());
    assertEquals(0, tar.waitFor(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    Path home = dir.resolve("tollgate-" + System.getProperty("tollgate.version"));
    for (String file : new String[] {"bin/tollgate", "lib/tollgate.jar", "conf/tollgate.properties",
        "systemd/tollgate.service", "supervisor/tollgate.conf", "README.md"}) {
      assertTrue(Files.isRegularFile(home.resolve(file)), file);
    }
    assertTrue(Files.isExecutable(home.resolve("bin/tollgate")));

    Process version = run(home, "bin/tollgate", "--version");
    String printed = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, version.waitFor());
    assertTrue(printed.startsWith("Tollgate " + System.getProperty("tollgate.version") + " (commit "), printed);

    Process router = run(home, "bin/tollgate", "serve", "--config", "conf/tollgate.properties", "--server.host=127.0.0.1",
        "--server.port=0", "--data.dir=" + dir.resolve("data"));
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = router.inputReader(StandardCharsets.UTF_8)) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
      } catch (java.io.IOException ended) {
        // gone
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      int port = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (port < 0 && System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        Matcher m = line == null ? null : Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)").matcher(line);
        if (m != null && m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertTrue(port > 0, "the router did not say where it listens: " + lines);
      String health = RawHttp.exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertTrue(health.startsWith("HTTP/1.1 200"), health);
    } finally {
      router.destroy();
    }
    assertTrue(router.waitFor(20, TimeUnit.SECONDS), "bin/tollgate stops on SIGTERM");
  }
}
