package dev.tollgate.client;

import dev.tollgate.auth.Database;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.User;
import dev.tollgate.router.Router;
import dev.tollgate.router.TestRouters;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A router for client tests that need identities: tickets on (Oro's default secret), one user {@code john}, and
 * anonymous sessions allowed besides. Closed after the test class.
 */
final class RouterWithJohn implements AutoCloseable {
  static final String SECRET = "ThisTokenIsNotSoSecretChangeIt";
  static final TicketGenerator TICKETS = new TicketGenerator(TicketSecret.of(SECRET), Clock.systemUTC());

  final Router router;
  final User john;
  private final Database db;

  RouterWithJohn() {
    String url = TestRouters.newDatabaseUrl();
    db = Database.open(url);
    john = db.users().addUser("john", "john@example.com", Passwords.hash("pa55word"), List.of());
    router = TestRouters.start(Map.of("db.url", url, "auth.secret", SECRET, "auth.allow-anonymous", "true"));
  }

  /** A fresh one-time ticket for john. */
  String johnsTicket() {
    return TICKETS.forUser("john", john.passwordHash());
  }

  @Override
  public void close() {
    router.close();
    db.close();
  }
}
