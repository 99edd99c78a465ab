package dev.tollgate.bench;

import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.router.internal.core.Subscription;
import dev.tollgate.router.internal.core.SubscriptionTable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What finding a publication's subscriptions costs as pattern subscriptions grow: the table holds the topic's exact
 * subscription and {@code patterns} prefix and {@code patterns} wildcard subscriptions, none of which matches
 * ({@code publishUnmatched}), or of which one prefix and one wildcard match ({@code publishMatched}). The tries walk
 * along the topic, so the cost must stay flat from 100 to 10,000 patterns, not grow with them as a scan would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PatternMatchBenchmark {
  @Param({"0", "100", "10000"})
  int patterns;

  private final SubscriptionTable<Object> table = new SubscriptionTable<>(new Ids.Sequence());
  private final Counter counter = new Counter();

  /** Counts matches, so that the walk cannot be optimised away. */
  static final class Counter implements Consumer<Subscription<Object>> {
    int matches;

    @Override
    public void accept(Subscription<Object> subscription) {
      matches += subscription.size();
    }
  }

  @Setup
  public void setUp() {
    Object member = new Object();
    table.add("com.example.app.news", MatchPolicy.EXACT, member);
    for (int i = 0; i < patterns; i++) {
      table.add("com.example.app" + i + ".", MatchPolicy.PREFIX, member);
      table.add("com.example.app" + i + "..news", MatchPolicy.WILDCARD, member);
    }
    if (patterns > 0) {
      table.add("com.example.", MatchPolicy.PREFIX, member);
      table.add("com.example..news", MatchPolicy.WILDCARD, member);
    }
  }

  @Benchmark
  public int publishUnmatched() {
    counter.matches = 0;
    table.forEachMatch("com.sample.app.news", counter);
    return counter.matches;
  }

  @Benchmark
  public int publishMatched() {
    counter.matches = 0;
    table.forEachMatch("com.example.app.news", counter);
    return counter.matches;
  }
}
