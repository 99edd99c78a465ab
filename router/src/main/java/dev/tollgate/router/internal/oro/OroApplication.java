package dev.tollgate.router.internal.oro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tollgate's settings read from an Oro application's own configuration, as the application itself would resolve them:
 * the secret, where the WebSocket server listens, Oro's database as the user source, and the Oro rule preset.
 *
 * <p>Where each value is looked for, first found wins:
 * <ul>
 *   <li>the secret: {@code ORO_SECRET} (5.1 and later), else {@code secret} in {@code config/parameters.yml};
 *   <li>the listener: {@code ORO_WEBSOCKET_SERVER_DSN} (5.1 and later), else {@code websocket_server_dsn} (4.2–5.0),
 *       else {@code websocket_bind_address} and {@code websocket_bind_port} (3.1–4.1);
 *   <li>the database: {@code ORO_DB_URL} (5.1) or {@code ORO_DB_DSN} (6.0 and later), else {@code database_dsn}, else
 *       {@code database_driver/host/port/name/user/password} (up to 5.0); PostgreSQL or MySQL.
 * </ul>
 * An environment variable is read as Symfony reads it: the process's environment, then {@code .env-app.local}, then
 * {@code .env-app}, then an {@code env(NAME)} default among the parameters; a parameter written
 * {@code %env(NAME)%} (with or without processors such as {@code resolve:}) is that variable.
 */
public final class OroApplication {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ENV_REFERENCE = Pattern.compile("^%env\\((?:[a-z_]+:)*([A-Za-z0-9_]+)\\)%$");

  /** A value and where it came from, for the summary. */
  private record Found(String value, String source) {}

  private final Path dir;
  private final Map<String, String> environment;
  private final Map<String, Found> dotenv = new LinkedHashMap<>();
  private final Map<String, Found> parameters = new LinkedHashMap<>();
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final List<String> findings = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private OroApplication(Path dir, Map<String, String> environment) {
    this.dir = dir;
    this.environment = environment;
  }

  /**
   * Reads the application in {@code dir}; {@code environment} stands for the process's environment. Fails with a
   * message naming the files and keys when there is no secret or {@code dir} is not an Oro application.
   */
  public static OroApplication read(Path dir, Map<String, String> environment) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("oro application: " + dir + " is not a directory");
    }
    OroApplication app = new OroApplication(dir.toAbsolutePath().normalize(), environment);
    app.load();
    app.resolve();
    return app;
  }

  /** The Tollgate settings found, in a stable order. */
  public Map<String, String> settings() {
    return settings;
  }

  /** One line per setting: its value (secrets masked) and where it was found. */
  public List<String> findings() {
    return findings;
  }

  /** What an operator should look at: values that could not be used as they are. */
  public List<String> warnings() {
    return warnings;
  }

  // --- reading ----------------------------------------------------------------------------------------------------

  private void load() throws IOException {
    Path parametersYml = dir.resolve("config/parameters.yml");
    Path configYml = dir.resolve("config/config.yml");
    boolean any = false;
    for (Path env : List.of(dir.resolve(".env-app"), dir.resolve(".env-app.local"))) {
      if (Files.isRegularFile(env)) {
        any = true;
        readDotenv(env);
      }
    }
    for (Path yml : List.of(configYml, parametersYml)) {
      if (Files.isRegularFile(yml)) {
        any = true;
        readParameters(yml);
      }
    }
    if (!any) {
      throw new IllegalArgumentException("oro application: " + dir + " has neither .env-app nor config/parameters.yml;"
          + " expected the root of an Oro application (the directory holding bin/console)");
    }
  }

  /** Symfony's dotenv format, as far as Oro's files use it: KEY=value, quotes, comments, ${VAR}, export. */
  private void readDotenv(Path file) throws IOException {
    String name = dir.relativize(file).toString();
    int n = 0;
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring(7).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        warnings.add(name + " line " + n + ": expected KEY=value; skipped");
        continue;
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
        value = value.substring(1, value.length() - 1);
      } else {
        boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
        if (quoted) {
          value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\n", "\n");
        } else {
          int comment = value.indexOf(" #");
          if (comment >= 0) {
            value = value.substring(0, comment).strip();
          }
        }
        value = interpolate(value);
      }
      dotenv.put(key, new Found(value, name));
    }
  }

  /** {@code ${VAR}} in an unquoted or double-quoted dotenv value, from what is defined so far. */
  private String interpolate(String value) {
    Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Found f = env(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(f == null ? "" : f.value()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private void readParameters(Path file) {
    String name = dir.relativize(file).toString();
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      warnings.add(name + " could not be read as YAML (" + e.getMessage().lines().findFirst().orElse("") + "); skipped");
      return;
    }
    JsonNode params = root == null ? null : root.get("parameters");
    if (params == null || !params.isObject()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      parameters.put(e.getKey(), new Found(v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString(),
          name));
    }
  }

  /** An environment variable as Symfony resolves it. */
  private Found env(String name) {
    String v = environment.get(name);
    if (v != null) {
      return new Found(v, "the environment");
    }
    Found f = dotenv.get(name);
    if (f != null) {
      return f;
    }
    Found fallback = parameters.get("env(" + name + ")");
    return fallback == null || fallback.value() == null ? null
        : new Found(fallback.value(), "env(" + name + ") in " + fallback.source());
  }

  /** A parameter, {@code %env(NAME)%} resolved; null when absent, empty or null. */
  private Found parameter(String name) {
    Found p = parameters.get(name);
    if (p == null || p.value() == null || p.value().isEmpty()) {
      return null;
    }
    Matcher m = ENV_REFERENCE.matcher(p.value());
    if (m.matches()) {
      Found f = env(m.group(1));
      return f == null || f.value().isEmpty() ? null
          : new Found(f.value(), m.group(1) + " in " + f.source() + ", through " + name + " in " + p.source());
    }
    return p;
  }

  /** The variable {@code env} (5.1 and later), else the parameter {@code param} (the older layouts); null if neither. */
  private Found envOrParameter(String env, String param) {
    Found f = envOrNull(env);
    if (f != null) {
      return f;
    }
    Found p = parameter(param);
    return p == null ? null : new Found(p.value(), param + " in " + p.source());
  }

  private Found envOrNull(String name) {
    Found f = env(name);
    return f == null || f.value().isEmpty() ? null : new Found(f.value(), name + " in " + f.source());
  }

  // --- resolving --------------------------------------------------------------------------------------------------

  private void resolve() {
    resolveSecret();
    resolveListener();
    resolveDatabase();
    put("rules.preset", "oro", "the Oro rule preset, for an Oro application");
  }

  private void resolveSecret() {
    Found secret = envOrParameter("ORO_SECRET", "secret");
    if (secret == null) {
      throw new IllegalArgumentException("oro application " + dir + ": no secret; expected ORO_SECRET in "
          + dir.resolve(".env-app.local") + ", " + dir.resolve(".env-app") + " or the environment (Oro 5.1 and later),"
          + " or secret in " + dir.resolve("config/parameters.yml") + " (up to 5.0)");
    }
    settings.put("auth.secret", secret.value());
    findings.add("auth.secret = " + mask(secret.value()) + "  (" + secret.source() + ")");
  }

  private void resolveListener() {
    Found server = envOrParameter("ORO_WEBSOCKET_SERVER_DSN", "websocket_server_dsn");
    String host;
    int port;
    String path = "";
    String source;
    if (server != null) {
      Dsn dsn = Dsn.parse(server.value(), "the WebSocket server DSN (" + server.source() + ")");
      host = dsn.host();
      port = dsn.port();
      path = dsn.path();
      source = server.source();
    } else {
      Found address = parameter("websocket_bind_address");
      Found bindPort = parameter("websocket_bind_port");
      if (address == null && bindPort == null) {
        warnings.add("no WebSocket server address (ORO_WEBSOCKET_SERVER_DSN, websocket_server_dsn or "
            + "websocket_bind_address/websocket_bind_port): Tollgate's defaults stay (0.0.0.0:8080, any path)");
        return;
      }
      host = address == null ? "" : address.value();
      port = bindPort == null ? -1 : parsePort(bindPort.value(), "websocket_bind_port in " + bindPort.source());
      source = "websocket_bind_address/websocket_bind_port in "
          + (address != null ? address.source() : bindPort.source());
    }
    if (!host.isEmpty()) {
      put("server.host", host.equals("*") ? "0.0.0.0" : host.replace("[", "").replace("]", ""), source);
    }
    if (port > 0) {
      put("server.port", String.valueOf(port), source);
    }
    if (!path.isEmpty()) {
      put("server.path", path, source);
    }
    Found backend = envOrParameter("ORO_WEBSOCKET_BACKEND_DSN", "websocket_backend_dsn");
    if (backend != null) {
      Dsn b = Dsn.parse(backend.value(), "the WebSocket backend DSN (" + backend.source() + ")");
      findings.add("Oro's backend publisher connects to " + backend.value() + "  (" + backend.source() + ")");
      if (b.port() > 0 && port > 0 && b.port() != port) {
        warnings.add("Oro's backend DSN names port " + b.port() + " but the server listens on " + port
            + ": behind a proxy that is fine, else the publisher will not reach Tollgate");
      }
    }
    Found frontend = envOrParameter("ORO_WEBSOCKET_FRONTEND_DSN", "websocket_frontend_dsn");
    if (frontend != null) {
      Dsn f = Dsn.parse(frontend.value(), "the WebSocket frontend DSN (" + frontend.source() + ")");
      findings.add("Oro's pages connect to " + frontend.value() + "  (" + frontend.source() + ")");
      if (!f.host().isEmpty() && !f.host().equals("*")) {
        put("origins.allowed", "localhost,127.0.0.1," + f.host(), "the frontend DSN's host, for browsers' Origin");
      } else {
        warnings.add("the pages connect to the host they were served from (frontend host *): set origins.allowed to"
            + " the Oro site's host names, or browsers from it get 403");
      }
    }
  }

  private void resolveDatabase() {
    Found url = envOrNull("ORO_DB_DSN");
    if (url == null) {
      url = envOrParameter("ORO_DB_URL", "database_dsn");
    }
    String driver;
    String host;
    int port;
    String database;
    String user;
    String password;
    String source;
    if (url != null) {
      Dsn dsn = Dsn.parse(url.value(), "the database DSN (" + url.source() + ")");
      driver = dsn.scheme() == null ? "" : dsn.scheme();
      host = dsn.host();
      port = dsn.port();
      database = dsn.database();
      user = dsn.user();
      password = dsn.password();
      source = url.source();
    } else {
      Found d = parameter("database_driver");
      if (d == null) {
        warnings.add("no database (ORO_DB_DSN, ORO_DB_URL, database_dsn or database_driver): users stay in Tollgate's "
            + "own database");
        return;
      }
      driver = d.value();
      host = valueOr(parameter("database_host"), "127.0.0.1");
      Found p = parameter("database_port");
      port = p == null ? -1 : parsePort(p.value(), "database_port in " + p.source());
      database = valueOr(parameter("database_name"), "");
      user = valueOr(parameter("database_user"), null);
      password = valueOr(parameter("database_password"), null);
      source = "database_* in " + d.source();
    }
    String kind = switch (driver.toLowerCase(Locale.ROOT).replace('_', '-')) {
      case "postgres", "postgresql", "pgsql", "pdo-pgsql" -> "postgresql";
      case "mysql", "mysql2", "pdo-mysql", "mariadb" -> "mysql";
      default -> null;
    };
    if (kind == null) {
      warnings.add("the database driver '" + driver + "' (" + source + ") is neither PostgreSQL nor MySQL: users stay"
          + " in Tollgate's own database");
      return;
    }
    if (database.isEmpty()) {
      warnings.add("the database DSN (" + source + ") names no database: users stay in Tollgate's own database");
      return;
    }
    String jdbc = "jdbc:" + kind + "://" + (host.isEmpty() ? "127.0.0.1" : host) + (port > 0 ? ":" + port : "") + "/"
        + database;
    put("users.source", "jdbc", source);
    put("users.jdbc.url", jdbc, source);
    if (user != null) {
      put("users.jdbc.user", user, source);
    }
    if (password != null) {
      settings.put("users.jdbc.password", password);
      findings.add("users.jdbc.password = " + mask(password) + "  (" + source + ")");
    }
  }

  private void put(String key, String value, String source) {
    settings.put(key, value);
    findings.add(key + " = " + value + "  (" + source + ")");
  }

  private static String valueOr(Found f, String otherwise) {
    return f == null ? otherwise : f.value();
  }

  private static int parsePort(String value, String where) {
    try {
      int port = Integer.parseInt(value.strip());
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": expected a port number but was '" + value + "'");
    }
  }

  /** Enough to recognize a secret, not to use it. */
  static String mask(String secret) {
    if (secret.length() <= 4) {
      return "****";
    }
    return secret.substring(0, 2) + "…" + secret.substring(secret.length() - 1) + " (" + secret.length() + " characters)";
  }

  /** The settings as a properties file, with where each came from. */
  public String propertiesFile() {
    StringBuilder out = new StringBuilder();
    out.append("# Tollgate settings read from the Oro application in ").append(dir).append('\n');
    out.append("# by `tollgate oro-config`. Every other setting keeps its default (`tollgate settings`).\n");
    for (String line : findings) {
      out.append("#   ").append(line).append('\n');
    }
    for (String w : warnings) {
      out.append("# warning: ").append(w).append('\n');
    }
    out.append('\n');
    settings.forEach((k, v) -> out.append(k).append('=').append(escape(v)).append('\n'));
    return out.toString();
  }

  /** A value as java.util.Properties reads it back. */
  static String escape(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case ' ' -> out.append(i == 0 ? "\\ " : " ");
        case '#', '!', '=', ':' -> out.append('\\').append(c);
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
