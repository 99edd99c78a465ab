package dev.tollgate.compat.ratchet;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What a replay run found, one line per scenario, printed at the end. Thread-safe. */
final class ReplayReport {

  enum Outcome {
    PASSED("passed"),
    DIFFERENT("deliberately different"),
    FAILED("FAILED"),
    NOT_RUN("not run");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  record Line(String scenario, Outcome outcome, String detail) {}

  private final String title;
  private final List<String> expected;
  private final List<Line> lines = new ArrayList<>();

  /** A report that expects one line for each of {@code scenarios}. */
  ReplayReport(String title, List<String> scenarios) {
    this.title = title;
    this.expected = List.copyOf(scenarios);
  }

  synchronized void add(String scenario, Outcome outcome, String detail) {
    lines.add(new Line(scenario, outcome, detail));
  }

  /** The scenarios that have no line yet. */
  synchronized List<String> missing() {
    List<String> missing = new ArrayList<>(expected);
    lines.forEach(l -> missing.remove(l.scenario()));
    return missing;
  }

  synchronized String render() {
    StringBuilder out = new StringBuilder();
    out.append("\n=== ").append(title).append(" ===\n");
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (Line l : lines) {
      counts.merge(l.outcome(), 1, Integer::sum);
      out.append(String.format("  %-24s %-40s %s%n", l.outcome().label, l.scenario(), oneLine(l.detail())));
    }
    out.append(String.format("%d scenarios: %d passed, %d deliberately different, %d failed", lines.size(),
        counts.getOrDefault(Outcome.PASSED, 0), counts.getOrDefault(Outcome.DIFFERENT, 0),
        counts.getOrDefault(Outcome.FAILED, 0)));
    if (counts.containsKey(Outcome.NOT_RUN)) {
      out.append(", ").append(counts.get(Outcome.NOT_RUN)).append(" not run");
    }
    out.append("\nAllowed for in every scenario:\n");
    DeliberateDifferences.EVERYWHERE.forEach(d -> out.append("  - ").append(d).append('\n'));
    List<Line> failed = lines.stream().filter(l -> l.outcome() == Outcome.FAILED).toList();
    if (!failed.isEmpty()) {
      out.append("Failures in full:\n");
      failed.forEach(l -> out.append("  ").append(l.scenario()).append(": ").append(l.detail()).append('\n'));
    }
    return out.toString();
  }

  void print(PrintStream out) {
    out.println(render());
    out.flush();
  }

  private static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String first = text.replaceAll("\\s+", " ");
    return first.length() > 160 ? first.substring(0, 157) + "..." : first;
  }
}
