package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.WampErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What an operator sees of the routing core and may do to it, across realms: the sessions, the subscriptions and the
 * registrations as they are now, and ending a session. The admin page reads it; the meta API offers the same to WAMP
 * clients, one realm at a time.
 *
 * <p>Threading: any thread. The directory and the tables are concurrent, so each list is a snapshot of its moment
 * (a session that leaves meanwhile may still be listed). A kill takes the target session's lock only.
 */
public final class AdminView {

  /** A joined session, as the sessions table shows it. */
  public record SessionRow(String realm, long id, String authid, String authrole, String authmethod,
      String authprovider, String dialect, String address, Instant joinedAt, int subscriptions, int registrations) {}

  /**
   * A subscription or a registration: its URI, how it matches, and its members' session ids in the order they
   * joined it; {@code invoke} is the registration's invocation policy (null for a subscription).
   */
  public record EntryRow(String realm, long id, String uri, String match, String invoke, List<Long> members) {}

  private final RouterCore core;

  public AdminView(RouterCore core) {
    this.core = core;
  }

  /** Every joined session, by realm, then by when it joined. */
  public List<SessionRow> sessions() {
    long nowNanos = System.nanoTime();
    Instant now = Instant.now();
    List<SessionRow> rows = new ArrayList<>();
    for (Realm r : core.realms()) {
      for (RouterSession s : r.directory().all()) {
        Identity who = s.identity();
        if (who == null) {
          continue; // left between the directory's snapshot and now
        }
        rows.add(new SessionRow(r.name(), s.id(), who.authid(), who.authrole(), who.authmethod(), who.authprovider(),
            s.dialect(), s.clientAddress(), now.minusNanos(nowNanos - s.joinedNanos()), s.subscriptionCount(),
            s.registrationCount()));
      }
    }
    rows.sort(Comparator.comparing(SessionRow::realm).thenComparing(SessionRow::joinedAt));
    return rows;
  }

  /** Every subscription, meta API topics included, by realm and URI. */
  public List<EntryRow> subscriptions() {
    List<EntryRow> rows = new ArrayList<>();
    for (Realm r : core.realms()) {
      for (Subscription<RouterSession> s : r.broker().table().all()) {
        rows.add(row(r, s, null));
      }
    }
    return sorted(rows);
  }

  /** Every registration, by realm and URI. */
  public List<EntryRow> registrations() {
    List<EntryRow> rows = new ArrayList<>();
    for (Realm r : core.realms()) {
      for (Registration<RouterSession> g : r.dealer().table().all()) {
        rows.add(row(r, g, g.invocation().wireName()));
      }
    }
    return sorted(rows);
  }

  private static EntryRow row(Realm r, PatternTable.Entry<?, RouterSession> e, String invoke) {
    return new EntryRow(r.name(), e.id(), e.pattern(), e.policy().wireName(), invoke,
        e.members().stream().map(RouterSession::id).toList());
  }

  private static List<EntryRow> sorted(List<EntryRow> rows) {
    rows.sort(Comparator.comparing(EntryRow::realm).thenComparing(EntryRow::uri).thenComparingLong(EntryRow::id));
    return rows;
  }

  /**
   * Ends a session as {@code wamp.session.kill} does: GOODBYE {@code wamp.close.killed} with {@code message}, then
   * the connection closes. False if the realm has no such joined session.
   */
  public boolean kill(String realm, long sessionId, String message) {
    Realm r = core.realm(realm);
    RouterSession s = r == null ? null : r.directory().byId(sessionId);
    return s != null && s.kill(WampErrors.CLOSE_KILLED, message);
  }
}
