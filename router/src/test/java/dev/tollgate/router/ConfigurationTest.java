package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {

  @Test
  void aFileSetsValuesAndCommandLineFlagsOverrideThem(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tollgate.properties");
    Files.writeString(file, "server.port=9000\nrealms=realm1, oro\nsession.hello-timeout=250ms\n");
    RouterConfig c = Main.configFrom(file, List.of("--server.port=9100", "--uri.rules=strict"));
    assertEquals(9100, c.port());
    assertEquals(List.of("realm1", "oro"), c.realms());
    assertEquals(Duration.ofMillis(250), c.helloTimeout());
    assertEquals(dev.tollgate.protocol.WampUris.Rules.STRICT, c.uriRules());
    assertEquals("*", c.path(), "unset keys keep their defaults");
  }

  /** Found by ConfigurationFuzzTest: Java's own words for these ("Input length = 1") named no file. */
  @Test
  void aFileThatIsNotUtf8OrHoldsABadEscapeIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path latin1 = Files.write(dir.resolve("latin1.properties"), "realms=caf\u00e9\n"
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertEquals(latin1 + ": not UTF-8 text; save the settings file as UTF-8",
        assertThrows(IllegalArgumentException.class, () -> Main.configFrom(latin1, List.of())).getMessage());
    Path escape = Files.writeString(dir.resolve("escape.properties"), "realms=\\u12\n");
    assertEquals(escape + ": Malformed \\uxxxx encoding.",
        assertThrows(IllegalArgumentException.class, () -> Main.configFrom(escape, List.of())).getMessage());
  }

  /** Found by ConfigurationFuzzTest: a path with a NUL failed only when first used, naming no setting. */
  @Test
  void aPathSettingThatIsNoPathIsRefusedNamingIt() {
    assertEquals("setting data.dir=da\u0000ta: not a path: Nul character not allowed",
        assertThrows(IllegalArgumentException.class, () -> RouterConfig.defaults().with("data.dir", "da\u0000ta"))
            .getMessage());
  }

  @Test
  void anUnknownKeyIsRefusedNamingTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Main.configFrom(null, List.of("--server.prot=9000")));
    assertTrue(e.getMessage().startsWith("unknown setting 'server.prot'; known settings: server.host, server.port"),
        e.getMessage());
  }

  @Test
  void aBadValueIsRefusedNamingTheSettingAndWhatWasExpected() {
    assertEquals("setting server.port=70000: expected 0 to 65535 but was 70000",
        assertThrows(IllegalArgumentException.class, () -> RouterConfig.defaults().with("server.port", "70000")).getMessage());
    assertEquals("setting session.idle-timeout=soon: expected a duration such as 250ms, 10s, 5m but was 'soon'",
        assertThrows(IllegalArgumentException.class, () -> RouterConfig.defaults().with("session.idle-timeout", "soon")).getMessage());
    assertEquals("setting uri.rules=fuzzy: expected loose or strict but was 'fuzzy'",
        assertThrows(IllegalArgumentException.class, () -> RouterConfig.defaults().with("uri.rules", "fuzzy")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Main.configFrom(null, List.of("server.port=1")));
  }

  @Test
  void usersSourceChoosesTheUserStoreForTheRouterAndTheCommandLineAlike() throws Exception {
    try (Database own = Database.open("jdbc:h2:mem:configuration-users;DB_CLOSE_DELAY=-1")) {
      assertEquals("tollgate", RouterConfig.defaults().userStore(own).providerName());
      var jdbc = RouterConfig.defaults().with("users.source", "jdbc").with("users.jdbc.url", "jdbc:h2:mem:elsewhere")
          .userStore(own);
      assertEquals("jdbc", jdbc.providerName());
      ((AutoCloseable) jdbc).close(); // its pool
      assertEquals("users.source=jdbc needs users.jdbc.url, the JDBC URL of the user database",
          assertThrows(IllegalArgumentException.class,
              () -> RouterConfig.defaults().with("users.source", "jdbc").userStore(own)).getMessage());
    }
  }

  @Test
  void everySettingHasADefaultThatValidates() {
    RouterConfig defaults = RouterConfig.defaults();
    for (RouterConfig.Setting s : RouterConfig.SETTINGS) {
      assertEquals(s.defaultValue(), defaults.get(s.key()));
      assertTrue(!s.description().isBlank(), s.key());
    }
  }

  @Test
  void theReadmeDocumentsEverySettingWithItsDefault() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (RouterConfig.Setting s : RouterConfig.SETTINGS) {
      String row = "| `" + s.key() + "` | `" + s.defaultValue() + "` | " + s.description() + " |";
      assertTrue(readme.contains(row), "README.md lacks or misstates: " + row);
    }
  }
}
