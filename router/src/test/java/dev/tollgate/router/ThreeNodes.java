package dev.tollgate.router;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tollgate nodes as processes on 127.0.0.1 with a Redis of their own: what the cluster tests start once per class.
 * Every node has tickets (the secret given), lets sessions without one in as {@code anonymous}, the {@code open}
 * rules, and its own data directory.
 */
final class ThreeNodes implements AutoCloseable {
  static final String SECRET = "cluster-test-secret";
  private static final Pattern SAMPLE = Pattern.compile("(?m)^(\\S+?)(\\{[^}]*\\})? ([0-9.eE+-]+)$");

  final LocalRedis redis;
  private final Path data;
  private final List<RouterProcess> nodes = new ArrayList<>();

  private ThreeNodes(LocalRedis redis, Path data) {
    this.redis = redis;
    this.data = data;
  }

  static ThreeNodes start(Path data) throws Exception {
    ThreeNodes cluster = new ThreeNodes(LocalRedis.start(), data);
    try {
      for (int n = 1; n <= 3; n++) {
        cluster.add("node" + n);
      }
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Starts one more node; it is node {@code size()} from then on. */
  RouterProcess add(String name, String... settings) throws Exception {
    List<String> all = new ArrayList<>(List.of("--cluster.redis.url=" + redis.url(), "--cluster.node=" + name,
        "--data.dir=" + data.resolve(name), "--auth.secret=" + SECRET, "--auth.allow-anonymous=true",
        "--rules.preset=open", "--keepalive.interval=0"));
    all.addAll(List.of(settings));
    RouterProcess node = RouterProcess.start(List.of(), all.toArray(String[]::new));
    nodes.add(node);
    return node;
  }

  RouterProcess node(int n) {
    return nodes.get(n - 1);
  }

  int port(int n) {
    return node(n).port();
  }

  URI uri(int n) {
    return URI.create("ws://127.0.0.1:" + port(n) + "/ws");
  }

  /** A counter or gauge of node {@code n}'s {@code /metrics}. */
  long metric(int n, String name) throws Exception {
    String response = RawHttp.exchange(port(n),
        "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    Matcher m = SAMPLE.matcher(response);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return (long) Double.parseDouble(m.group(3));
      }
    }
    throw new AssertionError(name + " is not in /metrics of node " + n + ": " + response);
  }

  /** What every node printed, and whether it still runs: for a failed test's report. */
  String logs() {
    StringBuilder out = new StringBuilder();
    for (int n = 1; n <= nodes.size(); n++) {
      RouterProcess node = nodes.get(n - 1);
      out.append("--- node ").append(n).append(node.alive() ? " (running)" : " (ended)").append(":\n");
      out.append(String.join("\n", node.lines().all())).append('\n');
    }
    return out.toString();
  }

  /** Prints the nodes' output when a test fails. */
  static org.junit.jupiter.api.extension.TestWatcher printLogsOnFailure(java.util.function.Supplier<ThreeNodes> of) {
    return new org.junit.jupiter.api.extension.TestWatcher() {
      @Override
      public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
        ThreeNodes cluster = of.get();
        if (cluster != null) {
          System.out.println("the cluster's nodes, after " + context.getDisplayName() + " failed:\n" + cluster.logs());
        }
      }
    };
  }

  @Override
  public void close() throws Exception {
    for (RouterProcess node : nodes) {
      node.close();
    }
    redis.close();
  }
}
