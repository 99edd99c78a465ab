package dev.tollgate.bench.load;

import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects figures per (case, figure) and target, one value per run; prints the table of medians (with the ratio
 * first target / second target where both measured a compared figure) and renders the JSON file with every run.
 * Not thread-safe: the main thread only.
 */
final class Report {
    private record Key(String scenarioCase, String name) {
    }

    private static final class Row {
        String unit;
        Figure.Better better;
        final Map<String, List<Double>> runs = new LinkedHashMap<>();

        Double median(String label) {
            List<Double> v = runs.get(label);
            if (v == null || v.isEmpty()) return null;
            List<Double> sorted = new ArrayList<>(v);
            sorted.sort(null);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }

    private final List<Target> targets;
    private final Options options;
    private final Map<Key, Row> rows = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final String started = OffsetDateTime.now().toString();

    Report(List<Target> targets, Options options) {
        this.targets = targets;
        this.options = options;
    }

    List<Target> targets() {
        return targets;
    }

    void add(Target t, List<Figure> figures) {
        for (Figure f : figures) {
            Row r = rows.computeIfAbsent(new Key(f.scenarioCase(), f.name()), k -> new Row());
            r.unit = f.unit();
            r.better = f.better();
            r.runs.computeIfAbsent(t.label(), k -> new ArrayList<>()).add(f.value());
        }
    }

    /** One figure of one case: its median per target, every run, and the ratio of the first target to the second. */
    record Line(String scenarioCase, String name, String unit, Figure.Better better, Map<String, Double> medians,
                Map<String, List<Double>> runs, Double ratio) {
    }

    /** Every figure, in the order measured. */
    List<Line> lines() {
        List<Line> out = new ArrayList<>();
        for (Map.Entry<Key, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            Map<String, Double> medians = new LinkedHashMap<>();
            for (Target t : targets) {
                Double m = r.median(t.label());
                if (m != null) medians.put(t.label(), m);
            }
            out.add(new Line(e.getKey().scenarioCase(), e.getKey().name(), r.unit, r.better, medians, r.runs, ratio(r)));
        }
        return out;
    }

    List<String> failures() {
        return failures;
    }

    String started() {
        return started;
    }

    Options options() {
        return options;
    }

    void fail(Target t, String scenarioCase, String why) {
        failures.add(t.label() + " " + scenarioCase + ": " + why);
    }

    private Double ratio(Row r) {
        if (targets.size() < 2 || r.better == Figure.Better.NONE) return null;
        Double a = r.median(targets.get(0).label()), b = r.median(targets.get(1).label());
        return a == null || b == null || b == 0 ? null : a / b;
    }

    void printTable(PrintStream out) {
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-32s %-34s %-12s", "case", "figure", "unit"));
        for (Target t : targets) head.append(String.format(Locale.ROOT, " %14s", t.label()));
        if (targets.size() > 1) head.append(String.format(Locale.ROOT, " %9s  %s", "ratio", "(better)"));
        out.println(head);
        String last = "";
        for (Map.Entry<Key, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            String c = e.getKey().scenarioCase();
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-32s %-34s %-12s", c.equals(last) ? "" : c,
                    e.getKey().name(), r.unit));
            last = c;
            for (Target t : targets) {
                Double v = r.median(t.label());
                b.append(String.format(Locale.ROOT, " %14s", v == null ? "-" : format(v)));
            }
            Double ratio = ratio(r);
            if (ratio != null) {
                b.append(String.format(Locale.ROOT, " %8.2fx  (%s)", ratio, r.better == Figure.Better.HIGHER ? "higher" : "lower"));
            }
            out.println(b);
        }
        for (String f : failures) out.println("FAILED " + f);
    }

    static String format(double v) {
        if (Math.abs(v) >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (Math.abs(v) >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }

    String toJson() {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"started\": ").append(q(started)).append(",\n");
        b.append("  \"machine\": {\"cores\": ").append(Runtime.getRuntime().availableProcessors())
                .append(", \"jvm\": ").append(q(System.getProperty("java.vm.name") + " " + Runtime.version()))
                .append(", \"os\": ").append(q(System.getProperty("os.name") + " " + System.getProperty("os.version"))).append("},\n");
        b.append("  \"options\": ").append(q(options.toString())).append(",\n");
        b.append("  \"targets\": [");
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            b.append(i == 0 ? "" : ", ").append("{\"label\": ").append(q(t.label())).append(", \"url\": ").append(q(t.url()))
                    .append(", \"pid\": ").append(t.pid()).append('}');
        }
        b.append("],\n  \"results\": [\n");
        int i = 0;
        for (Map.Entry<Key, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            b.append(i++ == 0 ? "" : ",\n").append("    {\"case\": ").append(q(e.getKey().scenarioCase()))
                    .append(", \"figure\": ").append(q(e.getKey().name())).append(", \"unit\": ").append(q(r.unit))
                    .append(", \"better\": ").append(q(r.better.name().toLowerCase(Locale.ROOT))).append(", \"values\": {");
            int j = 0;
            for (String label : r.runs.keySet()) {
                b.append(j++ == 0 ? "" : ", ").append(q(label)).append(": ").append(num(r.median(label)));
            }
            b.append("}, \"runs\": {");
            j = 0;
            for (Map.Entry<String, List<Double>> v : r.runs.entrySet()) {
                b.append(j++ == 0 ? "" : ", ").append(q(v.getKey())).append(": [");
                for (int k = 0; k < v.getValue().size(); k++) b.append(k == 0 ? "" : ", ").append(num(v.getValue().get(k)));
                b.append(']');
            }
            b.append('}');
            Double ratio = ratio(r);
            if (ratio != null) b.append(", \"ratio\": ").append(num(ratio));
            b.append('}');
        }
        b.append("\n  ],\n  \"failures\": [");
        for (int k = 0; k < failures.size(); k++) b.append(k == 0 ? "" : ", ").append(q(failures.get(k)));
        return b.append("]\n}\n").toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "null";
    }

    private static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
