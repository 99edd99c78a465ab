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
    version = "Tollgate 0.1.0",
    description = "A WAMP router for Java and PHP shops.",
    subcommands = {Main.Serve.class, Main.Settings.class, AdminCommands.UserCommand.class, AdminCommands.RoleCommand.class,
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
    Map<String, String> settings = new LinkedHashMap<>();
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
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

    @CommandLine.Unmatched
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      RouterConfig cfg;
      try {
        cfg = configFrom(config, overrides);
      } catch (IllegalArgumentException e) {
        System.err.println("tollgate: " + e.getMessage());
        return 2;
      }
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

  @Command(mixinStandardHelpOptions = true, name = "settings", description = "List every setting with its default.")
  static final class Settings implements Runnable {
    @Option(names = "--markdown", description = "As the rows of the README's table.")
    boolean markdown;

    @Override
    public void run() {
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
