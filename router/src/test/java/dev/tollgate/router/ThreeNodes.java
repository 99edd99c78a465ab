package dev.tollgate.router;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tollgate nodes as processes on 127.0.0.1 with a Redis of their own: what the cluster tests start once per class,
 * as a JUnit extension ({@code @RegisterExtension static final ThreeNodes cluster = new ThreeNodes();}), which stops
 * them after the class and prints their output when a test fails. Every node has tickets (the secret given), lets
 * sessions without one in as {@code anonymous}, the {@code open} rules, and its own data directory.
 */
final class ThreeNodes implements org.junit.jupiter.api.extension.BeforeAllCallback,
    org.junit.jupiter.api.extension.AfterAllCallback, org.junit.jupiter.api.extension.TestWatcher {
  static final String SECRET = "cluster-test-secret";
  private static final Pattern SAMPLE = Pattern.compile("(?m)^(\\S+?)(\\{[^}]*\\})? ([0-9.eE+-]+)$");

  LocalRedis redis;
  private Path data;
  private final List<RouterProcess> nodes = new ArrayList<>();

  @Override
  public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
    data = java.nio.file.Files.createTempDirectory("tollgate-cluster-");
    redis = LocalRedis.start();
    try {
      for (int n = 1; n <= 3; n++) {
        add("node" + n);
      }
    } catch (Exception | AssertionError e) {
      afterAll(context);
      throw e;
    }
  }

  /** A directory of the test's own, removed with the nodes. */
  Path dir() {
    return data;
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

  @Override
  public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
    System.out.println("the cluster's nodes, after " + context.getDisplayName() + " failed:\n" + logs());
  }

  @Override
  public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
    for (RouterProcess node : nodes) {
      node.close();
    }
    nodes.clear();
    if (redis != null) {
      redis.close();
    }
    try (var files = java.nio.file.Files.walk(data)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
