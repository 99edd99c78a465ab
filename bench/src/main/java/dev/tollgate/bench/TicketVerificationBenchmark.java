package dev.tollgate.bench;

import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.auth.TicketVerdict;
import dev.tollgate.auth.TicketVerifier;
import dev.tollgate.auth.User;
import dev.tollgate.auth.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Oro ticket check on one core: 5000 SHA-512 rounds by design, so the figure is verifications per second per
 * core, which is what the auth pool (one thread per core, apart from Jetty's) can absorb in a reconnect storm.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TicketVerificationBenchmark {
  private TicketVerifier verifier;
  private String ticket;
  private Instant now;

  @Setup
  public void setUp() {
    TicketSecret secret = TicketSecret.of("ThisTokenIsNotSoSecretChangeIt");
    User user = new User(42, "john", null, "$2y$13$0123456789012345678901uAbCdEfGhIjKlMnOpQrStUvWxYz0123", true, List.of("user"));
    UserStore store = new UserStore() {
      @Override
      public Optional<User> find(String name) {
        return Optional.of(user);
      }

      @Override
      public String providerName() {
        return "bench";
      }
    };
    // No nonce store: every iteration re-checks the same ticket, which a one-time store would refuse.
    verifier = new TicketVerifier(secret, store, Duration.ofSeconds(300), Duration.ofSeconds(30), null);
    ticket = new TicketGenerator(secret, Clock.systemUTC()).forUser("john", user.passwordHash());
    now = Instant.now();
  }

  @Benchmark
  public TicketVerdict verify() {
    return verifier.verify(ticket, now);
  }
}
