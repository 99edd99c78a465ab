package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the distribution ships beside the jar stays true to the code. */
class DistributionFilesTest {

  @Test
  void theSampleConfigurationListsEverySettingWithItsDefault() throws Exception {
    assertEquals(Main.sampleConfiguration(), Files.readString(Path.of("src/dist/conf/tollgate.properties")),
        "regenerate it: java -jar target/tollgate.jar settings --properties > src/dist/conf/tollgate.properties");
    for (RouterConfig.Setting s : RouterConfig.SETTINGS) {
      assertTrue(Main.sampleConfiguration().contains("\n#" + s.key() + "=" + s.defaultValue() + "\n"), s.key());
    }
  }

  @Test
  void theVersionNamesTheBuildAndItsCommit() {
    String line = Main.Version.line();
    assertTrue(line.matches("Tollgate \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit (\\w+|unknown).*\\)"), line);
  }

  @Test
  void theServiceFilesStartWhatTheDistributionHolds() throws Exception {
    String unit = Files.readString(Path.of("src/dist/systemd/tollgate.service"));
    assertTrue(unit.contains("ExecStart=/opt/tollgate/bin/tollgate serve --config /opt/tollgate/conf/tollgate.properties"),
        unit);
    String program = Files.readString(Path.of("src/dist/supervisor/tollgate.conf"));
    assertTrue(program.contains("command=/opt/tollgate/bin/tollgate serve --oro-app="), program);
    assertTrue(Files.readString(Path.of("src/dist/bin/tollgate")).contains("-jar \"$home/lib/tollgate.jar\""));
  }
}
