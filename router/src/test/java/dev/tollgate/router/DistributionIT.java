package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    ProcessLines lines = new ProcessLines(router);
    try {
      Pattern listening = Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)");
      Matcher m = listening.matcher(lines.next(line -> listening.matcher(line).find(), 60));
      assertTrue(m.find());
      int port = Integer.parseInt(m.group(1));
      String health = RawHttp.exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertTrue(health.startsWith("HTTP/1.1 200"), health);
    } finally {
      router.destroy();
    }
    assertTrue(router.waitFor(20, TimeUnit.SECONDS), "bin/tollgate stops on SIGTERM");
  }
}
