package dev.tollgate.router.internal.core;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Authorizer;
import dev.tollgate.auth.Rule;
import dev.tollgate.auth.User;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.Welcome;
import dev.tollgate.router.RouterConfig;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A routing core in memory: no Jetty, no H2, no socket. Time is a {@link ManualTimers}; every session may do
 * everything unless a test sets other rules; users live in a map.
 */
final class CoreHarness implements Gatekeeper {
  final ManualTimers timers = new ManualTimers();
  final Counters counters = new Counters();
  final RouterCore core;
  final Map<String, User> users = new ConcurrentHashMap<>();
  volatile Authorizer authorizer = new Authorizer(List.of(
      Rule.of("*", "*", "", MatchPolicy.PREFIX, EnumSet.allOf(Action.class), "everyone may do everything")));
  volatile boolean changed;

  /** One joined session and its peer. */
  record Client(RouterSession session, RecordingPeer peer) {
    long id() {
      return session.id();
    }
  }

  CoreHarness() {
    this(RouterConfig.defaults());
  }

  CoreHarness(RouterConfig config) {
    core = new RouterCore(config, timers, this, counters);
  }

  /** A peer that connected and has not said HELLO. */
  Client connect() {
    RecordingPeer peer = new RecordingPeer();
    return new Client(core.openSession(peer, null, false, true), peer);
  }

  /** A peer that said HELLO to {@code realm} and was welcomed. */
  Client join(String realm) throws InterruptedException {
    Client c = connect();
    hello(c, realm);
    return c;
  }

  static Welcome hello(Client c, String realm) throws InterruptedException {
    return hello(c, realm, Map.of());
  }

  /** HELLO announcing {@code calleeFeatures} for the callee role (e.g. call_canceling). */
  static Welcome hello(Client c, String realm, Map<String, Object> calleeFeatures) throws InterruptedException {
    c.session().onMessage(new Hello(realm, Map.of("roles", Map.of("subscriber", Map.of(), "publisher", Map.of(),
        "caller", Map.of(), "callee", Map.of("features", calleeFeatures)))));
    return c.peer().next(Welcome.class);
  }

  /** A peer that joined {@code realm} with HELLO.Details.roles {@code roles}. */
  Client joinWithRoles(String realm, Map<String, Object> roles) throws InterruptedException {
    Client c = connect();
    c.session().onMessage(new Hello(realm, Map.of("roles", roles)));
    c.peer().next(Welcome.class);
    return c;
  }

  /** A peer that joined {@code realm} announcing those callee features. */
  Client join(String realm, Map<String, Object> calleeFeatures) throws InterruptedException {
    Client c = connect();
    hello(c, realm, calleeFeatures);
    return c;
  }

  @Override
  public boolean ticketsEnabled() {
    return false;
  }

  @Override
  public CompletableFuture<TicketOutcome> verifyTicket(String ticket, String clientAddress) {
    return CompletableFuture.completedFuture(
        TicketOutcome.refused(TicketOutcome.Refusal.INVALID, null, "tickets are not enabled"));
  }

  @Override
  public void release(Identity identity) {
  }

  @Override
  public Authorizer authorizer() {
    return authorizer;
  }

  @Override
  public CompletableFuture<Boolean> refresh() {
    boolean was = changed;
    changed = false;
    return CompletableFuture.completedFuture(was);
  }

  @Override
  public Optional<User> findUser(String authid) {
    return Optional.ofNullable(users.get(authid));
  }
}
