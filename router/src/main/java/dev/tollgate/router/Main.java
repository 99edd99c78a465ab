package dev.tollgate.router;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code tollgate} command line. */
@Command(
    name = "tollgate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A WAMP router for Java and PHP shops.",
    subcommands = {Main.Serve.class, Main.Settings.class, Main.OroConfig.class, AdminCommands.UserCommand.class,
        AdminCommands.RoleCommand.class,
        AdminCommands.RuleCommand.class, AdminCommands.TicketCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line; a bad argument or setting prints one line and returns 2, not a stack trace. */
  static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
          || e instanceof dev.tollgate.auth.Database.DataAccessException) {
        commandLine.getErr().println("tollgate: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Loads a properties file, then applies {@code --key=value} overrides, each checked against the known settings. */
  static RouterConfig configFrom(Path file, List<String> overrides) throws IOException {
    return configFrom(null, file, overrides);
  }

  /**
   * What an Oro application's configuration says ({@code oroApp}, may be null), then a properties file, then
   * {@code --key=value} overrides: later ones win.
   */
  static RouterConfig configFrom(Path oroApp, Path file, List<String> overrides) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    if (oroApp != null) {
      settings.putAll(dev.tollgate.router.internal.oro.OroApplication.read(oroApp, System.getenv()).settings());
    }
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (java.nio.charset.CharacterCodingException e) {
        // found by fuzzing: Java's own message ("Input length = 1") named neither the file nor the problem
        throw new IllegalArgumentException(file + ": not UTF-8 text; save the settings file as UTF-8", e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e); // a malformed \\uXXXX escape
      }
      for (String key : p.stringPropertyNames()) {
        settings.put(key, p.getProperty(key));
      }
    }
    for (String arg : overrides) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --setting=value but was '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      settings.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    return RouterConfig.defaults().with(settings);
  }

  @Command(mixinStandardHelpOptions = true, 
      name = "serve",
      description = "Run the router until interrupted. Any setting can be given as --key=value (see 'settings').")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "A properties file with settings.")
    Path config;

    @Option(names = "--oro-app", paramLabel = "DIR",
        description = "An Oro application's root: its secret, listener and database are read at start (see oro-config);"
            + " --config and flags win over them.")
    Path oroApp;

    @CommandLine.Unmatched
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      RouterConfig cfg;
      try {
        cfg = configFrom(oroApp, config, overrides);
      } catch (IllegalArgumentException e) {
        System.err.println("tollgate: " + e.getMessage());
        return 2;
      }
      HeapReturn.apply();
      Router router = Router.start(cfg);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        router.close();
        stopped.countDown();
      }, "tollgate-shutdown"));
      stopped.await();
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "oro-config",
      description = "Read an Oro application's configuration (.env-app, .env-app.local, config/parameters.yml, the"
          + " environment) and write the Tollgate settings it implies: the secret, the listener, Oro's database as the"
          + " user source, the Oro rules. Prints what it found, secrets masked.")
  static final class OroConfig implements Callable<Integer> {
    @CommandLine.Parameters(paramLabel = "ORO_APP_DIR", description = "The Oro application's root directory.")
    Path oroApp;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the settings (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("tollgate.properties");

    @Option(names = "--force", description = "Overwrite FILE if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
      var app = dev.tollgate.router.internal.oro.OroApplication.read(oroApp, System.getenv());
      RouterConfig.defaults().with(app.settings()); // fails here, naming the setting, if a value is unusable
      if (Files.exists(output) && !force) {
        throw new IllegalArgumentException(output + " exists; give --force to overwrite it");
      }
      Files.writeString(output, app.propertiesFile());
      System.out.println("Read the Oro application in " + oroApp.toAbsolutePath().normalize() + ":");
      app.findings().forEach(line -> System.out.println("  " + line));
      app.warnings().forEach(line -> System.out.println("  warning: " + line));
      System.out.println("Wrote " + output + "; run: tollgate serve --config " + output);
      return 0;
    }
  }

  /** {@code tollgate --version}: the version and the commit it was built from, read from what the build wrote. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {line()};
    }

    static String line() {
      Properties version = resource("/tollgate-version.properties");
      Properties git = resource("/tollgate-git.properties");
      String commit = git.getProperty("git.commit.id.abbrev", "unknown");
      if ("true".equals(git.getProperty("git.dirty"))) {
        commit += " with uncommitted changes";
      }
      return "Tollgate " + version.getProperty("version", "unknown") + " (commit " + commit
          + (git.containsKey("git.commit.time") ? ", " + git.getProperty("git.commit.time") : "") + ")";
    }

    private static Properties resource(String name) {
      Properties p = new Properties();
      try (var in = Main.class.getResourceAsStream(name)) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        // a build without it: "unknown"
      }
      return p;
    }
  }

  /** Every setting with its default, commented out, as a properties file: the distribution's conf/tollgate.properties. */
  static String sampleConfiguration() {
    StringBuilder out = new StringBuilder();
    out.append("# Tollgate's settings, each with its default. Uncomment a line to change it; flags win over this file\n");
    out.append("# (bin/tollgate serve --config conf/tollgate.properties --server.port=9000). 'tollgate settings' lists them.\n");
    for (RouterConfig.Setting s : RouterConfig.SETTINGS) {
      out.append('\n');
      out.append("# ").append(s.description()).append('\n');
      out.append('#').append(s.key()).append('=').append(s.defaultValue()).append('\n');
    }
    return out.toString();
  }

  @Command(mixinStandardHelpOptions = true, name = "settings", description = "List every setting with its default.")
  static final class Settings implements Runnable {
    @Option(names = "--markdown", description = "As the rows of the README's table.")
    boolean markdown;

    @Option(names = "--properties", description = "As a properties file with every default, commented out.")
    boolean properties;

    @Override
    public void run() {
      if (properties) {
        System.out.print(sampleConfiguration());
        return;
      }
      for (RouterConfig.Setting s : RouterConfig.SETTINGS) {
        if (markdown) {
          System.out.println("| `" + s.key() + "` | `" + s.defaultValue() + "` | " + s.description() + " |");
          continue;
        }
        System.out.printf("%-44s %s%n", s.key() + "=" + s.defaultValue(), s.description());
      }
    }
  }
}
