package dev.tollgate.router.internal.security;

import dev.tollgate.auth.Authorizer;
import dev.tollgate.auth.Database;
import dev.tollgate.auth.NonceStore;
import dev.tollgate.auth.Passwords;
import dev.tollgate.auth.Rule;
import dev.tollgate.auth.RuleStore;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.TicketInspection;
import dev.tollgate.auth.TicketVerdict;
import dev.tollgate.auth.TicketVerifier;
import dev.tollgate.auth.User;
import dev.tollgate.auth.UserStore;
import dev.tollgate.router.RouterConfig;
import dev.tollgate.router.internal.core.Counters;
import dev.tollgate.router.internal.core.Gatekeeper;
import dev.tollgate.router.internal.core.Identity;
import dev.tollgate.router.internal.core.TicketOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication and authorization for one router: the database, the user store, the ticket check, the failure
 * throttle and the current rules.
 *
 * <p>Ticket checks and password checks are deliberately slow (thousands of hash rounds), so they run on a small
 * pool of their own, one thread per core, with a bounded queue: they can never occupy Jetty's threads, and a flood
 * of them is refused ("busy") rather than queued without end. Ticket values are never logged.
 *
 * <p>A check has a cheap part (format, date, user, already used: {@link TicketVerifier#prepare}) and a costly one
 * (the digest); only the costly one is paced for an address that failed too often ({@link AuthThrottle}).
 */
public final class Security implements Gatekeeper, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Security.class);

  private final RouterConfig config;
  private final Database db;
  private final UserStore users;
  private final RuleStore rules;
  private final TicketVerifier verifier;
  private final TicketGenerator generator;
  private final NonceStore nonces;
  private final AuthThrottle throttle;
  private final ThreadPoolExecutor pool;
  private final java.util.concurrent.ScheduledExecutorService timer;
  private final Counters counters;
  /** The wall clock tickets are judged by (dates in tickets are wall-clock dates); everything timed is monotonic. */
  private final Clock clock;
  private volatile Authorizer authorizer;
  private volatile long revision = -1;

  private Security(RouterConfig config, Counters counters, Clock clock,
      java.util.function.UnaryOperator<NonceStore> usedTickets) {
    this.config = config;
    this.counters = counters;
    this.clock = clock;
    this.db = Database.open(config.databaseUrl());
    this.users = config.userStore(db);
    this.rules = db.rules();
    TicketSecret secret = config.ticketSecret();
    this.nonces = usedTickets.apply(db.nonces(config.nonceCapacity()));
    this.verifier = secret == null ? null : new TicketVerifier(secret, users, config.ticketTtl(),
        config.ticketFutureTolerance(), nonces);
    this.generator = secret == null ? null : new TicketGenerator(secret, clock);
    this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tollgate-auth-throttle");
      t.setDaemon(true);
      return t;
    });
    this.throttle = new AuthThrottle(config.authFailureLimit(), config.authFailureWindow(), config.throttleInterval(),
        config.throttleQueue(), timer, counters.authenticationFailures, counters.authenticationsPaced,
        counters.authenticationsThrottled);
    // A ticket check is 5,000 rounds of SHA-512 (~2.3 ms): half the cores at most, so that a burst of connections
    // with tickets cannot take the CPU from the sessions already open.
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000),
        r -> {
          Thread t = new Thread(r, "tollgate-auth-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Opens the database (migrating it), loads the configured rule preset once, and reads the rules; tickets are judged
   * by {@code clock}.
   */
  public static Security open(RouterConfig config, Counters counters, Clock clock) {
    return open(config, counters, clock, java.util.function.UnaryOperator.identity());
  }

  /**
   * {@link #open}, remembering used tickets where {@code usedTickets} says, given the database's own store: several
   * nodes share theirs (see {@code RedisBus#nonces}).
   */
  public static Security open(RouterConfig config, Counters counters, Clock clock,
      java.util.function.UnaryOperator<NonceStore> usedTickets) {
    Security s = new Security(config, counters, clock, usedTickets);
    try {
      String preset = config.get("rules.preset");
      if (!preset.equals("none") && s.rules.loadPresetOnce(preset)) {
        LOG.info("loaded the '{}' rule preset into {}", preset, s.db.url());
      }
      s.reload();
      // Sessions that held tickets ended with the previous run: their backends may come back with them.
      s.nonces.releaseAll(s.clock.instant().plus(config.backendReconnectGrace()));
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  @Override
  public boolean ticketsEnabled() {
    return verifier != null;
  }

  @Override
  public Authorizer authorizer() {
    return authorizer;
  }

  @Override
  public Optional<User> findUser(String authid) {
    return users.find(authid);
  }

  @Override
  public CompletableFuture<Boolean> refresh() {
    return offload(this::reload, false);
  }

  /** Re-reads the rules if the database changed since the last call; true if it did. */
  private boolean reload() {
    long now = db.revision();
    if (now == revision) {
      return false;
    }
    authorizer = new Authorizer(rules.list());
    revision = now;
    return true;
  }

  /** Runs a slow check on the auth pool; a full queue completes at once with the busy value. */
  private <T> CompletableFuture<T> offload(java.util.function.Supplier<T> work, T busy) {
    try {
      return CompletableFuture.supplyAsync(work, pool);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(busy);
    }
  }

  /**
   * Checks a ticket off the I/O threads, counting failures per client address: the cheap part at once, the digest
   * paced when the address is throttled.
   */
  @Override
  public CompletableFuture<TicketOutcome> verifyTicket(String ticket, String clientAddress) {
    if (verifier == null) {
      return CompletableFuture.completedFuture(TicketOutcome.refused(TicketOutcome.Refusal.INVALID,
          new TicketVerdict.Refused(TicketVerdict.Reason.INVALID_FORMAT, "tickets are disabled: auth.secret is not set"),
          "tickets are not enabled on this router"));
    }
    TicketOutcome busy = TicketOutcome.refused(TicketOutcome.Refusal.UNAVAILABLE, null, BUSY);
    TicketOutcome throttled = TicketOutcome.refused(TicketOutcome.Refusal.THROTTLED, null, THROTTLED);
    TicketOutcome unavailable = TicketOutcome.refused(TicketOutcome.Refusal.UNAVAILABLE, null, UNAVAILABLE);
    return offload(() -> {
      try {
        return verifier.prepare(ticket, clock.instant());
      } catch (RuntimeException e) {
        // the user database (or Tollgate's own, for used tickets) did not answer: the ticket may be good, so the
        // client is told to come back (503), not that it is refused
        LOG.warn("ticket check from {} failed: {}", clientAddress, e.toString());
        return UNAVAILABLE_PREPARED;
      }
    }, null).thenCompose(prepared -> {
      if (prepared == null) {
        return CompletableFuture.completedFuture(busy);
      }
      if (prepared == UNAVAILABLE_PREPARED) {
        return CompletableFuture.completedFuture(unavailable);
      }
      if (prepared.refused() != null) {
        return CompletableFuture.completedFuture(refused(prepared.refused(), clientAddress));
      }
      CompletableFuture<TicketOutcome> outcome =
          throttle.run(clientAddress, () -> judge(prepared, clientAddress), pool, throttled, busy);
      return outcome.thenApply(o -> {
        if (o == throttled) {
          LOG.info("ticket check from {} refused with 429: more than {} checks waiting while the address is throttled"
              + " (auth.throttle-queue)", clientAddress, config.throttleQueue());
        }
        return o;
      });
    });
  }

  /** Where this node's authentication failures go besides its own throttle: the other nodes (several nodes only). */
  private volatile java.util.function.Consumer<String> failuresToOthers = address -> {};

  private void failed(String address) {
    throttle.failed(address, System.nanoTime());
    failuresToOthers.accept(address);
  }

  /**
   * Several nodes share one throttle: this node's failures are told to {@code others}, and theirs come in through
   * {@link #failedElsewhere}, so that an address spreading forged tickets over the nodes is paced on all of them.
   */
  public void shareFailuresWith(java.util.function.Consumer<String> others) {
    this.failuresToOthers = others;
  }

  /** Another node refused a check from {@code address}. */
  public void failedElsewhere(String address) {
    throttle.failedElsewhere(address, System.nanoTime());
  }

  public static final String BUSY = "the router is busy authenticating; try again shortly";
  public static final String UNAVAILABLE = "the ticket could not be checked now; try again shortly";
  /** What prepare() came to when a database failed; only compared by identity. */
  private static final TicketVerifier.Prepared UNAVAILABLE_PREPARED =
      new TicketVerifier.Prepared(null, null, null, null, 0, null);
  public static final String THROTTLED = "too many failed authentications from this address; try again later";

  private TicketOutcome judge(TicketVerifier.Prepared prepared, String remoteAddress) {
    TicketVerdict verdict;
    try {
      verdict = verifier.finish(prepared, clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("ticket check from {} failed: {}", remoteAddress, e.toString());
      return TicketOutcome.refused(TicketOutcome.Refusal.UNAVAILABLE, null, UNAVAILABLE);
    }
    if (verdict instanceof TicketVerdict.Accepted ok) {
      String key = TicketVerifier.nonceKey(ok.ticket());
      if (ok.isAnonymous()) {
        return TicketOutcome.accepted(new Identity(null, List.of(config.get("auth.anonymous-ticket-role")), "ticket",
            "secret", null, key));
      }
      User u = ok.user();
      List<String> roles = u.roles().isEmpty() ? List.of("user") : u.roles();
      return TicketOutcome.accepted(new Identity(u.username(), roles, "ticket", users.providerName(), u.id(), key));
    }
    return refused((TicketVerdict.Refused) verdict, remoteAddress);
  }

  private TicketOutcome refused(TicketVerdict.Refused refused, String remoteAddress) {
    failed(remoteAddress);
    counters.authenticationFailure(refused.reason().name());
    LOG.info("ticket refused from {}: {} ({})", remoteAddress, refused.reason(), refused.detail());
    return TicketOutcome.refused(TicketOutcome.Refusal.INVALID, refused, publicMessage(refused.reason()));
  }

  /**
   * A session holding a ticket ended: an anonymous (backend) ticket may come back within
   * {@code auth.backend-reconnect-grace}; a user's stays spent. Runs off the I/O threads.
   */
  @Override
  public void release(Identity identity) {
    String key = identity.ticketKey();
    if (key == null) {
      return;
    }
    Instant until = clock.instant().plus(identity.isBackendTicket() ? config.backendReconnectGrace() : java.time.Duration.ZERO);
    Runnable release = () -> {
      try {
        nonces.release(key, until);
      } catch (RuntimeException e) {
        LOG.warn("releasing a used ticket failed: {}", e.toString());
      }
    };
    try {
      pool.execute(release);
    } catch (RejectedExecutionException e) {
      release.run();
    }
  }

  /** How many client addresses are throttled now (their costly checks are paced). */
  public int throttledAddresses() {
    return throttle.throttledAddresses(System.nanoTime());
  }

  /**
   * Why the router is not ready to take logins, empty when it is: its database (users, rules, used tickets) must
   * answer, and so must an external user database. Checked on the auth pool, within {@code within}; a check that
   * does not answer in time counts as not ready.
   */
  public CompletableFuture<java.util.List<String>> notReady(java.time.Duration within) {
    return CompletableFuture.supplyAsync(() -> {
      java.util.List<String> problems = new java.util.ArrayList<>();
      try {
        db.revision();
      } catch (RuntimeException e) {
        problems.add("Tollgate's database does not answer: " + e.getMessage());
      }
      if (!(users instanceof dev.tollgate.auth.UserAdmin)) { // an external user database (user-source jdbc)
        try {
          users.find("tollgate-readiness-check");
        } catch (RuntimeException e) {
          problems.add("the user database (" + users.providerName() + ") does not answer: " + e.getMessage());
        }
      }
      return problems;
    }, pool).completeOnTimeout(java.util.List.of("the databases did not answer within " + within.toMillis() + " ms"),
        within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .exceptionally(e -> java.util.List.of("the readiness check could not run: " + e.getMessage()));
  }

  /** What a client is told: enough to act on, without telling an attacker whether a user exists. */
  static String publicMessage(TicketVerdict.Reason reason) {
    return switch (reason) {
      case INVALID_FORMAT -> "ticket refused: malformed";
      case EXPIRED -> "ticket refused: expired; get a fresh ticket";
      case FROM_THE_FUTURE -> "ticket refused: created in the future; check the clocks";
      case REPLAYED -> "ticket refused: already used; tickets are one-time";
      case UNKNOWN_USER, INVALID_DIGEST, USER_DISABLED -> "ticket refused: invalid";
    };
  }

  /**
   * HTTP Basic credentials for a fresh ticket: the user's password against its stored bcrypt hash. Empty when they
   * do not match (counted as a failure). Runs on the auth pool.
   */
  public CompletableFuture<CredentialsOutcome> ticketForCredentials(String username, String password, String clientAddress) {
    return throttle.run(clientAddress, () -> {
      Optional<User> user = credentialsOf(username, password);
      if (user.isPresent()) {
        return CredentialsOutcome.ticket(generator.forUser(user.get().username(), user.get().passwordHash()));
      }
      refusedCredentials(clientAddress);
      LOG.info("ticket request from {} refused: bad credentials for '{}'", clientAddress, username);
      return CredentialsOutcome.WRONG;
    }, pool, CredentialsOutcome.THROTTLED, CredentialsOutcome.BUSY);
  }

  /**
   * The enabled user these HTTP Basic credentials are of, if they are: the same bcrypt whether or not the user exists,
   * and whether or not it is enabled, so that a refusal's time tells nothing (Passwords.check).
   */
  private Optional<User> credentialsOf(String username, String password) {
    Optional<User> user = users.find(username);
    boolean matches = Passwords.check(password, user.map(User::passwordHash).orElse(null));
    return matches ? user.filter(User::enabled) : Optional.empty();
  }

  /** Counts refused credentials against the address's throttle and under reason PASSWORD. */
  private void refusedCredentials(String clientAddress) {
    failed(clientAddress);
    counters.authenticationFailure("PASSWORD");
  }

  /**
   * Whether HTTP Basic credentials are those of an enabled user with role {@code admin}, for the operations endpoints.
   * Costs a bcrypt, like a ticket request, and counts against the address's throttle when they are not.
   */
  public CompletableFuture<Boolean> isAdmin(String username, String password, String clientAddress) {
    return throttle.run(clientAddress, () -> {
      if (credentialsOf(username, password).filter(u -> u.roles().contains("admin")).isPresent()) {
        return true;
      }
      refusedCredentials(clientAddress);
      LOG.info("operations request from {} refused: not an admin's credentials", clientAddress);
      return false;
    }, pool, false, false);
  }

  /**
   * Whether a ticket is an admin's, for the admin page's login: checked and used up as a WAMP login's is (one-time,
   * throttled, counted), then its identity must hold role {@code admin}. Completes with the admin's authid, or null.
   */
  public CompletableFuture<String> adminOfTicket(String ticket, String clientAddress) {
    return verifyTicket(ticket, clientAddress).thenApply(outcome -> {
      Identity who = outcome.identity();
      if (who != null && who.roles().contains("admin")) {
        return who.authid();
      }
      if (who != null) {
        LOG.info("admin login from {} refused: '{}' does not have role admin", clientAddress, who.authid());
      }
      return null;
    });
  }

  /** The rules as stored, on the auth pool (the database may be a file another process writes too). */
  public CompletableFuture<List<Rule>> rules() {
    return onPool(rules::list);
  }

  /** Stores a rule and puts the new rule set in force at once (sessions' next actions see it); completes with it. */
  public CompletableFuture<Rule> addRule(Rule rule) {
    return onPool(() -> {
      Rule added = rules.add(rule);
      reload();
      return added;
    });
  }

  /** Removes a rule and puts the new rule set in force at once; false if there was no such rule. */
  public CompletableFuture<Boolean> removeRule(long id) {
    return onPool(() -> {
      boolean removed = rules.remove(id);
      reload();
      return removed;
    });
  }

  /**
   * A ticket taken apart and judged now, as {@code tollgate ticket verify} does, and whether it was used before; it
   * is not used up. Fails when tickets are off (no {@code auth.secret}).
   */
  public CompletableFuture<TicketInspection> inspectTicket(String ticket) {
    if (verifier == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("tickets are disabled: auth.secret is not set"));
    }
    TicketVerifier judge = new TicketVerifier(config.ticketSecret(), users, config.ticketTtl(),
        config.ticketFutureTolerance(), null);
    return onPool(() -> TicketInspection.of(ticket, judge, nonces, clock.instant()));
  }

  /** Runs database work on the auth pool; a full queue fails the future rather than blocking the caller. */
  private <T> CompletableFuture<T> onPool(java.util.function.Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, pool);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException(BUSY));
    }
  }

  /** What a request for a ticket came to, as the HTTP status that says it: 200 with a ticket, 401, 429 or 503. */
  public record CredentialsOutcome(String ticket, int status) {
    static final CredentialsOutcome WRONG = new CredentialsOutcome(null, 401);
    static final CredentialsOutcome THROTTLED = new CredentialsOutcome(null, 429);
    static final CredentialsOutcome BUSY = new CredentialsOutcome(null, 503);

    static CredentialsOutcome ticket(String ticket) {
      return new CredentialsOutcome(ticket, 200);
    }
  }


  @Override
  public void close() {
    pool.shutdownNow();
    timer.shutdownNow();
    try {
      // a check or a release still running holds a database connection: the database closes after it, not under it
      // (closed under it, H2 finished closing the file after the router had stopped)
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("stopping: authentication work still running after 5 s; closing the database under it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (users instanceof AutoCloseable external) {
      try {
        external.close(); // the external user database's pool
      } catch (Exception e) {
        LOG.warn("closing the user database's pool failed: {}", e.toString());
      }
    }
    db.close();
  }
}
