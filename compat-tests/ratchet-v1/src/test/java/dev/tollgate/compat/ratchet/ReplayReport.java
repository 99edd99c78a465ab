package dev.tollgate.compat.ratchet;

import dev.tollgate.compat.ratchet.ScenarioReplay.Verdict;
import dev.tollgate.compat.ratchet.differences.DeliberateDifferences;
import dev.tollgate.compat.ratchet.differences.Difference;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a replay run found, one line per scenario, printed at the end. Thread-safe. */
final class ReplayReport {

  enum Outcome {
    PASSED("passed"),
    DIFFERENT("deliberately different"),
    FAILED("FAILED"),
    NOT_REPLAYABLE("NOT REPLAYABLE"),
    NOT_RUN("not run");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  private final String title;
  private final List<String> expected;
  private final List<Verdict> verdicts = new ArrayList<>();

  /** A report that expects one line for each of {@code scenarios}. */
  ReplayReport(String title, List<String> scenarios) {
    this.title = title;
    this.expected = List.copyOf(scenarios);
  }

  synchronized void add(Verdict verdict) {
    verdicts.add(verdict);
  }

  /** The scenarios that have no line yet. */
  synchronized List<String> missing() {
    List<String> missing = new ArrayList<>(expected);
    verdicts.forEach(v -> missing.remove(v.scenario()));
    return missing;
  }

  synchronized String render() {
    StringBuilder out = new StringBuilder();
    out.append("\n=== ").append(title).append(" ===\n");
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    Map<Difference, List<String>> byBehaviour = new LinkedHashMap<>();
    DeliberateDifferences.ALL.forEach(d -> byBehaviour.put(d, new ArrayList<>()));
    for (Verdict v : verdicts) {
      counts.merge(v.outcome(), 1, Integer::sum);
      String behaviours = v.judgement() == null || !v.judgement().different() ? ""
          : String.join(", ", v.judgement().behaviours());
      String detail = v.outcome() == Outcome.DIFFERENT || v.detail().isEmpty() ? behaviours
          : behaviours.isEmpty() ? v.detail() : behaviours + ": " + v.detail();
      out.append(String.format("  %-24s %-40s %s%n", v.outcome().label, v.scenario(), oneLine(detail)));
      if (v.judgement() != null) {
        v.judgement().found().forEach(f -> byBehaviour.get(f.difference()).add(v.scenario()));
      }
    }
    out.append(String.format("%d scenarios: %d passed, %d deliberately different, %d failed", verdicts.size(),
        counts.getOrDefault(Outcome.PASSED, 0), counts.getOrDefault(Outcome.DIFFERENT, 0),
        counts.getOrDefault(Outcome.FAILED, 0)));
    if (counts.containsKey(Outcome.NOT_REPLAYABLE)) {
      out.append(", ").append(counts.get(Outcome.NOT_REPLAYABLE)).append(" not replayable");
    }
    if (counts.containsKey(Outcome.NOT_RUN)) {
      out.append(", ").append(counts.get(Outcome.NOT_RUN)).append(" not run");
    }
    out.append("\nDeliberate differences, by behaviour (found in any recording by its frames):\n");
    byBehaviour.forEach((d, scenarios) -> out.append("  - ").append(d.name()).append(scenarios.isEmpty() ? ""
        : " (in " + String.join(", ", scenarios) + ")").append(": ").append(d.reason()).append('\n'));
    out.append("Allowed for in every scenario:\n");
    DeliberateDifferences.EVERYWHERE.forEach(d -> out.append("  - ").append(d).append('\n'));
    List<Verdict> wrong = verdicts.stream()
        .filter(v -> v.outcome() == Outcome.FAILED || v.outcome() == Outcome.NOT_REPLAYABLE).toList();
    if (!wrong.isEmpty()) {
      out.append("Failures in full:\n");
      wrong.forEach(v -> out.append("  ").append(v.scenario()).append(": ").append(v.detail()).append('\n'));
    }
    List<Verdict> different = verdicts.stream().filter(v -> v.outcome() == Outcome.DIFFERENT).toList();
    if (!different.isEmpty()) {
      out.append("Where the differences showed:\n");
      different.forEach(v -> v.judgement().found().forEach(f -> f.where().forEach(w -> out.append("  ")
          .append(v.scenario()).append(", ").append(f.difference().name()).append(": ").append(w).append('\n'))));
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
