package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.router.internal.oro.OroApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing of the configuration readers: a properties file with {@code --key=value} flags, and an Oro
 * application's {@code .env-app}, {@code .env-app.local} and {@code config/parameters.yml}. Whatever they hold, the
 * router either gets a configuration or stops with a message an operator can act on (an IllegalArgumentException, or
 * an IOException for a file it cannot read as text), never another exception.
 */
class ConfigurationFuzzTest {
  private static final String[] KEYS = RouterConfig.SETTINGS.stream().map(RouterConfig.Setting::key)
      .toArray(String[]::new);

  @FuzzTest(maxDuration = "30s")
  void propertiesAndFlags(FuzzedDataProvider data) throws IOException {
    String flag = "--" + data.pickValue(KEYS) + "=" + data.consumeString(100);
    byte[] file = data.consumeRemainingAsBytes();
    Path dir = Files.createTempDirectory("tollgate-fuzz-config");
    Path properties = dir.resolve("tollgate.properties");
    try {
      Files.write(properties, file);
      RouterConfig config = Main.configFrom(properties, List.of(flag));
      assertNotNull(config.databaseUrl());
    } catch (IllegalArgumentException refused) {
      // the operator is told which setting, or which file
      assertTrue(refused.getMessage().contains("setting") || refused.getMessage().contains(properties.toString()),
          refused.toString());
    } finally {
      delete(dir);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void oroApplication(FuzzedDataProvider data) throws IOException {
    byte[] env = data.consumeBytes(2000);
    byte[] local = data.consumeBoolean() ? data.consumeBytes(500) : null;
    byte[] parameters = data.consumeRemainingAsBytes();
    Path dir = Files.createTempDirectory("tollgate-fuzz-oro");
    try {
      Files.write(dir.resolve(".env-app"), env);
      if (local != null) {
        Files.write(dir.resolve(".env-app.local"), local);
      }
      Files.createDirectories(dir.resolve("config"));
      Files.write(dir.resolve("config/parameters.yml"), parameters);
      OroApplication app = OroApplication.read(dir, Map.of());
      // what it read must make a configuration, or be refused as any other setting is
      try {
        RouterConfig.defaults().with(app.settings());
      } catch (IllegalArgumentException refused) {
        assertMessage(refused);
      }
    } catch (IllegalArgumentException | IOException refused) {
      assertMessage(refused);
    } finally {
      delete(dir);
    }
  }

  private static void assertMessage(Exception refused) {
    assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank(),
        "a refusal the operator can read: " + refused);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
