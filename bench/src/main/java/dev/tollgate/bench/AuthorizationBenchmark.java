package dev.tollgate.bench;

import dev.tollgate.auth.Action;
import dev.tollgate.auth.Authorizer;
import dev.tollgate.auth.Rule;
import dev.tollgate.protocol.MatchPolicy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * The authorization decision on every SUBSCRIBE, PUBLISH, REGISTER and CALL: the rule walk itself ({@code decide})
 * and what a session pays with its decision cache ({@code cached}, the router's path), with the Oro preset plus
 * {@code extraRules} rules of the session's own role that do not match the URI, all of one {@code kind} (exact,
 * prefix or wildcard patterns), so every one of them is matched against it. The walk is linear in the rules; the
 * cached figure is the one to compare with message rates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AuthorizationBenchmark {
  @Param({"0", "1000", "100000"})
  int extraRules;

  @Param({"EXACT", "PREFIX", "WILDCARD"})
  MatchPolicy kind;

  private Authorizer authorizer;
  private final Authorizer.Subject user = new Authorizer.Subject("realm1", List.of("user"), "john", 42L);
  private final Map<String, Boolean> cache = new HashMap<>();

  @Setup
  public void setUp() {
    List<Rule> rules = new ArrayList<>(Rule.preset("oro"));
    for (int i = 0; i < extraRules; i++) {
      String pattern = switch (kind) {
        case EXACT -> "com.example.app" + i + ".update";
        case PREFIX -> "com.example.app" + i + ".";
        case WILDCARD -> "com.example.app" + i + "..update";
      };
      rules.add(Rule.of("*", "user", pattern, kind, EnumSet.of(Action.PUBLISH), null));
    }
    authorizer = new Authorizer(rules);
  }

  @Benchmark
  public boolean decide() {
    return authorizer.decide(user, Action.SUBSCRIBE, "oro/reminder_remind/42").allowed();
  }

  @Benchmark
  public boolean cached() {
    String key = Action.SUBSCRIBE.ordinal() + "oro/reminder_remind/42";
    Boolean allowed = cache.get(key);
    if (allowed == null) {
      allowed = authorizer.decide(user, Action.SUBSCRIBE, "oro/reminder_remind/42").allowed();
      cache.put(key, allowed);
    }
    return allowed;
  }
}
