package dev.tollgate.router;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Database;
import dev.tollgate.auth.OroTicket;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.Rule;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.TicketInspection;
import dev.tollgate.auth.TicketVerdict;
import dev.tollgate.auth.TicketVerifier;
import dev.tollgate.auth.User;
import dev.tollgate.auth.UserStore;
import dev.tollgate.protocol.MatchPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operator's verbs on users, roles, rules and tickets. They work on the same database file as a running router
 * (H2's mixed mode), and changes reach the router's live sessions within a second.
 */
final class AdminCommands {
  private AdminCommands() {}

  /** A verb whose settings come as for {@code serve}: {@code --config FILE} and {@code --key=value}. */
  abstract static class Verb implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "A properties file with settings.")
    Path config;

    @CommandLine.Unmatched
    List<String> overrides = new ArrayList<>();

    RouterConfig load() throws Exception {
      return Main.configFrom(config, overrides);
    }

    Database openDatabase() throws Exception {
      return Database.open(load().databaseUrl());
    }
  }

  /** A new password, or a stored hash taken as it is: exactly one of the two. */
  static final class PasswordOptions {
    @Option(names = "--password", description = "A password, stored as a bcrypt hash.") String password;
    @Option(names = "--password-hash", description = "A stored hash as it is, e.g. copied from Oro's oro_user.password.")
    String passwordHash;

    String storedHash(Object command) {
      if ((password == null) == (passwordHash == null)) {
        throw new CommandLine.ParameterException(new CommandLine(command), "give exactly one of --password and --password-hash");
      }
      return passwordHash != null ? passwordHash : Passwords.hash(password);
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "user", description = "Add, change, remove and list users.",
      subcommands = {UserAdd.class, UserRemove.class, UserList.class, UserPassword.class, UserEnable.class})
  static final class UserCommand {}

  @Command(mixinStandardHelpOptions = true, name = "add", description = "Add a user. The stored password hash is the key of the user's tickets.")
  static final class UserAdd extends Verb {
    @Parameters(index = "0", paramLabel = "USERNAME") String username;
    @Option(names = "--email") String email;
    @Mixin PasswordOptions password;
    @Option(names = "--role", description = "A role (repeatable); none means user.") List<String> roles = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      String hash = password.storedHash(this);
      try (Database db = openDatabase()) {
        User u = db.users().addUser(username, email, hash, roles);
        System.out.println("added user " + u.username() + " (id " + u.id() + ", roles " + u.roles() + ")");
      }
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "remove", description = "Remove a user; its live sessions end.")
  static final class UserRemove extends Verb {
    @Parameters(paramLabel = "USERNAME") String username;

    @Override
    public Integer call() throws Exception {
      try (Database db = openDatabase()) {
        return report(db.users().removeUser(username), "removed user " + username, "no user " + username);
      }
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "list", description = "List users with their ids and roles.")
  static final class UserList extends Verb {

    @Override
    public Integer call() throws Exception {
      try (Database db = openDatabase()) {
        System.out.printf("%-6s %-24s %-32s %-8s %s%n", "id", "username", "email", "enabled", "roles");
        for (User u : db.users().listUsers()) {
          System.out.printf("%-6d %-24s %-32s %-8s %s%n", u.id(), u.username(), u.email() == null ? "" : u.email(),
              u.enabled(), String.join(",", u.roles()));
        }
      }
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "passwd", description = "Set a user's password (its earlier tickets stop working).")
  static final class UserPassword extends Verb {
    @Parameters(paramLabel = "USERNAME") String username;
    @Mixin PasswordOptions password;

    @Override
    public Integer call() throws Exception {
      String hash = password.storedHash(this);
      try (Database db = openDatabase()) {
        return report(db.users().setPasswordHash(username, hash),
            "changed the password of " + username, "no user " + username);
      }
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "enable", description = "Enable or disable a user (--disable); a disabled user's sessions end.")
  static final class UserEnable extends Verb {
    @Parameters(paramLabel = "USERNAME") String username;
    @Option(names = "--disable") boolean disable;

    @Override
    public Integer call() throws Exception {
      try (Database db = openDatabase()) {
        return report(db.users().setEnabled(username, !disable),
            (disable ? "disabled " : "enabled ") + username, "no user " + username);
      }
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "role", description = "Add, remove and list roles; grant and revoke them.",
      subcommands = {RoleAdd.class, RoleRemove.class, RoleList.class, RoleGrant.class, RoleRevoke.class})
  static final class RoleCommand {}

  @Command(mixinStandardHelpOptions = true, name = "add", description = "Add a role.")
  static final class RoleAdd extends Verb {
    @Parameters(paramLabel = "ROLE") String role;
    @Option(names = "--description") String description;

    @Override
    public Integer call() throws Exception {
      try (Database db = openDatabase()) {
        db.users().addRole(role, description);
        System.out.println("added role " + role);
      }
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "remove", description = "Remove a role.")
  static final class RoleRemove extends Verb {
    @Parameters(paramLabel = "ROLE") String role;

    @Override
    public Integer call() throws Exception {
      try (Database db = openDatabase()) {
        return report(db.users().removeRole(role), "removed role " + role, "no role " + role);
      }
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "list", description = "List roles.")
  static final class RoleList extends Verb {

    @Override
    public Integer call() throws Exception {
      try (Database db = openDatabase()) {
        db.users().listRoles().forEach(System.out::println);
      }
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "grant", description = "Give a user a role.")
  static final class RoleGrant extends Verb {
    @Parameters(index = "0", paramLabel = "USERNAME") String username;
    @Parameters(index = "1", paramLabel = "ROLE") String role;

    @Override
    public Integer call() throws Exception {
      try (Database db = openDatabase()) {
        db.users().grant(username, role);
        System.out.println("granted " + role + " to " + username);
      }
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "revoke", description = "Take a role from a user.")
  static final class RoleRevoke extends Verb {
    @Parameters(index = "0", paramLabel = "USERNAME") String username;
    @Parameters(index = "1", paramLabel = "ROLE") String role;

    @Override
    public Integer call() throws Exception {
      try (Database db = openDatabase()) {
        return report(db.users().revoke(username, role), "revoked " + role + " from " + username,
            username + " does not have " + role);
      }
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "rule", description = "Add, remove and list authorization rules.",
      subcommands = {RuleAdd.class, RuleRemove.class, RuleList.class})
  static final class RuleCommand {}

  @Command(mixinStandardHelpOptions = true, name = "add", description = "Add a rule. Patterns may use {user_id}, {authid} and {authrole}.")
  static final class RuleAdd extends Verb {
    @Option(names = "--realm", defaultValue = "*", description = "A realm, or * (default).") String realm;
    @Option(names = "--role", required = true, description = "A role, or * for any role.") String role;
    @Option(names = "--pattern", required = true) String pattern;
    @Option(names = "--match", defaultValue = "exact", description = "exact (default), prefix or wildcard.") String match;
    @Option(names = "--actions", required = true, description = "Comma-separated: subscribe,publish,call,register; \"\" denies.")
    String actions;
    @Option(names = "--note") String note;

    @Override
    public Integer call() throws Exception {
      try (Database db = openDatabase()) {
        Rule r = db.rules().add(Rule.of(realm, role, pattern, MatchPolicy.parse(match), Action.parseList(actions), note));
        System.out.println("added rule " + r.id());
      }
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "remove", description = "Remove a rule by id.")
  static final class RuleRemove extends Verb {
    @Parameters(paramLabel = "ID") long id;

    @Override
    public Integer call() throws Exception {
      try (Database db = openDatabase()) {
        return report(db.rules().remove(id), "removed rule " + id, "no rule " + id);
      }
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "list", description = "List rules.")
  static final class RuleList extends Verb {

    @Override
    public Integer call() throws Exception {
      try (Database db = openDatabase()) {
        System.out.printf("%-5s %-10s %-10s %-9s %-28s %-40s %s%n", "id", "realm", "role", "match", "actions", "pattern", "note");
        for (Rule r : db.rules().list()) {
          System.out.printf("%-5d %-10s %-10s %-9s %-28s %-40s %s%n", r.id(), r.realm(), r.role(), r.match().wireName(),
              r.actions().isEmpty() ? "(deny)" : Action.format(r.actions()), r.pattern().isEmpty() ? "\"\"" : r.pattern(),
              r.note() == null ? "" : r.note());
        }
      }
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "ticket", description = "Issue a ticket, or explain why a ticket is refused.",
      subcommands = {TicketIssue.class, TicketVerify.class})
  static final class TicketCommand {}

  @Command(mixinStandardHelpOptions = true, name = "issue", description = "Print a ticket for a user (of users.source), or an anonymous (backend) one.")
  static final class TicketIssue extends Verb {
    @Parameters(arity = "0..1", paramLabel = "USERNAME") String username;
    @Option(names = "--anonymous") boolean anonymous;

    @Override
    public Integer call() throws Exception {
      RouterConfig cfg = load();
      TicketSecret secret = cfg.ticketSecret();
      if (secret == null) {
        System.err.println("tollgate: auth.secret is not set; give --auth.secret=… or a --config file");
        return 2;
      }
      if (anonymous == (username != null)) {
        System.err.println("tollgate: give a USERNAME or --anonymous");
        return 2;
      }
      TicketGenerator generator = new TicketGenerator(secret, Clock.systemUTC());
      if (anonymous) {
        System.out.println(generator.anonymous());
        return 0;
      }
      try (Database db = Database.open(cfg.databaseUrl())) {
        Optional<User> user = cfg.userStore(db).find(username);
        if (user.isEmpty()) {
          System.err.println("tollgate: no user " + username);
          return 1;
        }
        System.out.println(generator.forUser(user.get().username(), user.get().passwordHash()));
      }
      return 0;
    }
  }

  @Command(mixinStandardHelpOptions = true, name = "verify", description = {
      "Decode a ticket and judge it exactly as Oro (and Tollgate) would, saying why it is refused.",
      "Without --password-hash, the user is looked up where users.source says."})
  static final class TicketVerify extends Verb {
    @Parameters(paramLabel = "TICKET", description = "The ticket, as in the URL (URL-encoded or not).") String ticket;
    @Option(names = "--secret", description = "The application secret; default auth.secret.") String secretText;
    @Option(names = "--password-hash", description = "The user's stored password hash.") String passwordHash;
    @Option(names = "--at", description = "Judge at this time (ISO-8601, e.g. 2026-01-01T12:00:00Z); default now.") String at;

    @Override
    public Integer call() throws Exception {
      RouterConfig cfg = load();
      TicketSecret secret = secretText != null ? TicketSecret.of(secretText) : cfg.ticketSecret();
      if (secret == null) {
        System.err.println("tollgate: give --secret or auth.secret");
        return 2;
      }
      Instant now = at == null ? Instant.now() : OffsetDateTime.parse(at).toInstant();
      Database db = passwordHash == null ? Database.open(cfg.databaseUrl()) : null;
      try {
        UserStore users = passwordHash == null ? cfg.userStore(db) : new UserStore() {
          @Override
          public Optional<User> find(String name) {
            return Optional.of(new User(0, name, null, passwordHash, true, List.of("user")));
          }

          @Override
          public String providerName() {
            return "--password-hash";
          }
        };
        TicketInspection inspection = TicketInspection.of(ticket,
            new TicketVerifier(secret, users, cfg.ticketTtl(), cfg.ticketFutureTolerance(), null), null, now);
        inspection.notes().forEach(note -> System.out.println("note:     " + note));
        OroTicket t = inspection.decoded();
        if (t != null) {
          System.out.println("username: " + (t.isAnonymous() ? "(empty: anonymous ticket)" : t.username()));
          System.out.println("nonce:    " + t.nonce());
          System.out.println("created:  " + t.created());
          System.out.println("digest:   " + inspection.digestShown());
        } else {
          System.out.println("fields:   " + inspection.fieldCount() + " (';'-separated; 4 needed)");
        }
        TicketVerdict verdict = inspection.verdict();
        if (verdict instanceof TicketVerdict.Refused r) {
          System.out.println("verdict:  REFUSED " + r.reason() + ": " + r.detail());
          return 1;
        }
        System.out.println("verdict:  ACCEPTED (judged at " + now + ", lifetime " + cfg.ticketTtl().toSeconds()
            + " s, future tolerance " + cfg.ticketFutureTolerance().toSeconds() + " s; one-time use is not checked here)");
        return 0;
      } finally {
        if (db != null) {
          db.close();
        }
      }
    }
  }

  private static int report(boolean done, String success, String failure) {
    if (done) {
      System.out.println(success);
      return 0;
    }
    System.err.println("tollgate: " + failure);
    return 1;
  }
}
