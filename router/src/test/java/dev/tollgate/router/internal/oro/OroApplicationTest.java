package dev.tollgate.router.internal.oro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.router.RouterConfig;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Tollgate's settings read from configuration trees laid out as Oro 3.1, 4.2, 5.1, 6.1 and 7.0 lay them out (fixtures
 * under {@code src/test/resources/oro-apps}).
 */
class OroApplicationTest {

  private static Path tree(String version) throws URISyntaxException {
    return Path.of(OroApplicationTest.class.getResource("/oro-apps/" + version).toURI());
  }

  private static Map<String, String> read(String version, Map<String, String> environment) throws Exception {
    OroApplication app = OroApplication.read(tree(version), environment);
    RouterConfig.defaults().with(app.settings()); // every value is one Tollgate takes
    return app.settings();
  }

  @Test
  void oro31ParametersWithSeparateWebsocketKeysAndMysql() throws Exception {
    Map<String, String> s = read("3.1", Map.of());
    assertEquals("31c0b8e4d9d7a6b2f8a9c3e1d0f5b7a2", s.get("auth.secret"));
    assertEquals("0.0.0.0", s.get("server.host"));
    assertEquals("8080", s.get("server.port"));
    assertFalse(s.containsKey("server.path"), "any path, as Oro's path-less backend DSN needs");
    assertEquals("jdbc", s.get("users.source"));
    assertEquals("jdbc:mysql://127.0.0.1/oro_crm", s.get("users.jdbc.url"), "database_port null: the driver's");
    assertEquals("root", s.get("users.jdbc.user"));
    assertEquals("p@ss:w/rd", s.get("users.jdbc.password"));
    assertEquals("oro", s.get("rules.preset"));
  }

  @Test
  void oro42ParametersWithWebsocketDsnsAndPostgresql() throws Exception {
    Map<String, String> s = read("4.2", Map.of());
    assertEquals("9f8e7d6c5b4a39281706f5e4d3c2b1a0", s.get("auth.secret"));
    assertEquals("0.0.0.0", s.get("server.host"));
    assertEquals("8080", s.get("server.port"));
    assertEquals("jdbc:postgresql://db.internal:5432/oro_commerce", s.get("users.jdbc.url"));
    assertEquals("oro", s.get("users.jdbc.user"));
    assertEquals("s3cret", s.get("users.jdbc.password"));
  }

  @Test
  void oro51EnvAppLocalOverridesEnvAppThroughEnvReferences() throws Exception {
    Map<String, String> s = read("5.1", Map.of());
    assertEquals("a long local secret, not the default", s.get("auth.secret"), ".env-app.local wins over .env-app");
    assertEquals("jdbc:postgresql://10.0.0.5:5433/oro_prod", s.get("users.jdbc.url"));
    assertEquals("oro", s.get("users.jdbc.user"));
    assertEquals("pa$$", s.get("users.jdbc.password"), "URL-decoded");
    assertEquals("8080", s.get("server.port"));
  }

  @Test
  void oro61DsnInEnvAppWithConfigYml() throws Exception {
    Map<String, String> s = read("6.1", Map.of());
    assertEquals("ThisTokenIsNotSoSecretChangeIt", s.get("auth.secret"));
    assertEquals("jdbc:postgresql://pgsql:5432/oro_db", s.get("users.jdbc.url"));
    assertEquals("oro_db_user", s.get("users.jdbc.user"));
    assertEquals("oro_db_pass", s.get("users.jdbc.password"));
  }

  @Test
  void oro70TheEnvironmentWinsAndEnvDefaultsFillIn() throws Exception {
    Map<String, String> s = read("7.0", Map.of("ORO_SECRET", "from-the-environment",
        "ORO_DB_DSN", "postgres://oro:x@10.1.1.1/oro_live"));
    assertEquals("from-the-environment", s.get("auth.secret"));
    assertEquals("jdbc:postgresql://10.1.1.1/oro_live", s.get("users.jdbc.url"), "the environment over .env-app");
    assertEquals("0.0.0.0", s.get("server.host"), "a * host from the env(...) default");
    assertEquals("9090", s.get("server.port"));
    assertEquals("localhost,127.0.0.1,shop.example.com", s.get("origins.allowed"), "the frontend's host");
    assertEquals(Map.of(), read("7.0", Map.of("ORO_SECRET", "s")).entrySet().stream()
        .filter(e -> e.getKey().equals("server.path")).collect(java.util.stream.Collectors.toMap(
            Map.Entry::getKey, Map.Entry::getValue)), "an empty path stays any path");
  }

  @Test
  void aMissingSecretNamesTheFilesAndKeys() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OroApplication.read(tree("no-secret"), Map.of()));
    assertTrue(e.getMessage().contains("ORO_SECRET") && e.getMessage().contains(".env-app.local")
        && e.getMessage().contains("config/parameters.yml") && e.getMessage().contains("secret in"), e.getMessage());
  }

  @Test
  void aDirectoryThatIsNoOroApplicationIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OroApplication.read(Path.of(System.getProperty("java.io.tmpdir")), Map.of()));
    assertTrue(e.getMessage().contains("neither .env-app nor config/parameters.yml"), e.getMessage());
  }

  @Test
  void theSummaryMasksSecretsAndTheFileReadsBack() throws Exception {
    OroApplication app = OroApplication.read(tree("5.1"), Map.of());
    String summary = String.join("\n", app.findings());
    assertFalse(summary.contains("a long local secret"), summary);
    assertFalse(summary.contains("pa$$"), summary);
    assertTrue(summary.contains("auth.secret = a …t (36 characters)  (ORO_SECRET in .env-app.local)"), summary);
    Properties p = new Properties();
    p.load(new StringReader(app.propertiesFile()));
    Map<String, String> back = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> back.put(k, p.getProperty(k)));
    assertEquals(app.settings(), back);
  }

  @Test
  void dsnsAsOroWritesThem() {
    Dsn any = Dsn.parse("//*:8080/ws", "test");
    assertEquals("*", any.host());
    assertEquals(8080, any.port());
    assertEquals("/ws", any.path());
    Dsn bare = Dsn.parse("tcp://127.0.0.1:8080", "test");
    assertEquals("tcp", bare.scheme());
    assertEquals("", bare.path());
    Dsn v6 = Dsn.parse("//[::1]:8080", "test");
    assertEquals("[::1]", v6.host());
    assertThrows(IllegalArgumentException.class, () -> Dsn.parse("not a dsn", "test"));
  }
}
