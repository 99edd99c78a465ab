package dev.tollgate.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run as one self-contained HTML page: per case, the compared figures as bar charts, one bar per router (the
 * median, with each run as a tick on it), latency percentiles side by side on a log scale, then every figure in a
 * table. Inline SVG and CSS only: nothing is fetched when the page is opened, so it can be mailed or archived with
 * the JSON it was made from.
 */
final class HtmlReport {
    private static final String[] COLOURS = {"#2563eb", "#d97706", "#059669", "#9333ea"};
    private static final List<String> PERCENTILES = List.of("p50", "p99", "p99.9", "max");
    private static final int CHART_WIDTH = 420;
    private static final int LABEL_WIDTH = 130;
    private static final int BAR_HEIGHT = 18;

    private final Report report;
    private final List<String> labels = new ArrayList<>();

    HtmlReport(Report report) {
        this.report = report;
        for (Target t : report.targets()) labels.add(t.label());
    }

    String render() {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Tollgate load report ")
                .append(esc(report.started())).append("</title>\n<style>\n")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#111;padding:0 1em}\n")
                .append("h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}\n")
                .append(".charts{display:flex;flex-wrap:wrap;gap:1.5em}.chart h3{font-size:.95em;margin:.3em 0}\n")
                .append("table{border-collapse:collapse;margin-top:1em}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #eee}\n")
                .append("td:first-child,th:first-child{text-align:left}.better{color:#059669}.worse{color:#b91c1c}\n")
                .append(".key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-1px}\n")
                .append("svg text{font:12px system-ui,sans-serif}.failed{color:#b91c1c}\n</style></head><body>\n");
        b.append("<h1>Tollgate load report</h1>\n<p>Started ").append(esc(report.started())).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, JVM ").append(esc(Runtime.version().toString()))
                .append(".<br>Options: <code>").append(esc(report.options().toString())).append("</code></p>\n<p class=\"key\">");
        for (int i = 0; i < report.targets().size(); i++) {
            Target t = report.targets().get(i);
            b.append("<span style=\"background:").append(colour(i)).append("\"></span>").append(esc(t.label()))
                    .append(" <small>").append(esc(t.url())).append("</small>");
        }
        b.append("</p>\n");
        if (labels.size() > 1) {
            b.append("<p>Ratio = ").append(esc(labels.get(0))).append(" / ").append(esc(labels.get(1)))
                    .append(", medians; green where the first is better.</p>\n");
        }
        for (String f : report.failures()) b.append("<p class=\"failed\">FAILED ").append(esc(f)).append("</p>\n");
        Map<String, List<Report.Line>> byCase = new LinkedHashMap<>();
        for (Report.Line l : report.lines()) byCase.computeIfAbsent(l.scenarioCase(), k -> new ArrayList<>()).add(l);
        for (Map.Entry<String, List<Report.Line>> e : byCase.entrySet()) caseSection(b, e.getKey(), e.getValue());
        return b.append("</body></html>\n").toString();
    }

    private void caseSection(StringBuilder b, String name, List<Report.Line> lines) {
        b.append("<h2>").append(esc(name)).append("</h2>\n<div class=\"charts\">\n");
        List<Report.Line> percentiles = new ArrayList<>();
        for (Report.Line l : lines) {
            if (PERCENTILES.contains(l.name()) && l.unit().equals("ms")) {
                percentiles.add(l);
            } else if (l.better() != Figure.Better.NONE) {
                bars(b, l);
            }
        }
        if (!percentiles.isEmpty()) latency(b, percentiles);
        b.append("</div>\n<table><tr><th>figure</th><th>unit</th>");
        for (String label : labels) b.append("<th>").append(esc(label)).append("</th>");
        if (labels.size() > 1) b.append("<th>ratio</th>");
        b.append("<th>runs</th></tr>\n");
        for (Report.Line l : lines) {
            b.append("<tr><td>").append(esc(l.name())).append("</td><td>").append(esc(l.unit())).append("</td>");
            for (String label : labels) {
                Double v = l.medians().get(label);
                b.append("<td>").append(v == null ? "–" : esc(Report.format(v))).append("</td>");
            }
            if (labels.size() > 1) {
                b.append("<td>");
                if (l.ratio() != null) {
                    b.append("<span class=\"").append(firstIsBetter(l) ? "better" : "worse").append("\">")
                            .append(String.format(Locale.ROOT, "%.2f×", l.ratio())).append("</span>");
                }
                b.append("</td>");
            }
            b.append("<td><small>");
            for (Map.Entry<String, List<Double>> r : l.runs().entrySet()) {
                b.append(esc(r.getKey())).append(": ");
                List<String> values = new ArrayList<>();
                for (double v : r.getValue()) values.add(Report.format(v));
                b.append(esc(String.join(", ", values))).append("<br>");
            }
            b.append("</small></td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static boolean firstIsBetter(Report.Line l) {
        return l.better() == Figure.Better.HIGHER ? l.ratio() >= 1 : l.ratio() <= 1;
    }

    /** One figure: a bar per router, its median, a tick per run; linear from zero. */
    private void bars(StringBuilder b, Report.Line l) {
        double max = 0;
        for (List<Double> runs : l.runs().values()) for (double v : runs) max = Math.max(max, v);
        if (max <= 0) return;
        int height = labels.size() * (BAR_HEIGHT + 6) + 6;
        b.append("<div class=\"chart\"><h3>").append(esc(l.name())).append(" (").append(esc(l.unit())).append(", ")
                .append(l.better() == Figure.Better.HIGHER ? "higher" : "lower").append(" is better)</h3>\n")
                .append(svgOpen(height));
        int span = CHART_WIDTH - LABEL_WIDTH - 80;
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            Double median = l.medians().get(label);
            int y = 6 + i * (BAR_HEIGHT + 6);
            b.append(text(4, y + 13, label, "start"));
            if (median == null) {
                b.append(text(LABEL_WIDTH, y + 13, "not measured", "start"));
                continue;
            }
            int w = (int) Math.round(span * median / max);
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
                    LABEL_WIDTH, y, Math.max(1, w), BAR_HEIGHT, colour(i)));
            for (double run : l.runs().getOrDefault(label, List.of())) {
                int x = LABEL_WIDTH + (int) Math.round(span * run / max);
                b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#111\"/>",
                        x, x, y - 2, y + BAR_HEIGHT + 2));
            }
            b.append(text(LABEL_WIDTH + w + 6, y + 13, Report.format(median), "start"));
        }
        b.append("</svg></div>\n");
    }

    /** The latency percentiles, grouped, a bar per router in each group, on a log scale (max is often 100× p50). */
    private void latency(StringBuilder b, List<Report.Line> lines) {
        double lo = Double.MAX_VALUE, hi = 0;
        for (Report.Line l : lines) {
            for (double v : l.medians().values()) {
                if (v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi <= 0) return;
        double floor = Math.pow(10, Math.floor(Math.log10(lo)));
        double ceiling = Math.pow(10, Math.ceil(Math.log10(hi)));
        if (ceiling <= floor) ceiling = floor * 10;
        int plotTop = 10, plotHeight = 160, groupWidth = 24 * labels.size() + 24;
        int width = 50 + groupWidth * lines.size() + 10;
        int height = plotTop + plotHeight + 24;
        b.append("<div class=\"chart\"><h3>latency percentiles (ms, log scale, lower is better)</h3>\n")
                .append(svgOpen(width, height));
        for (double tick = floor; tick <= ceiling * 1.0001; tick *= 10) {
            int y = plotTop + plotHeight - scale(tick, floor, ceiling, plotHeight);
            b.append(String.format(Locale.ROOT, "<line x1=\"46\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>", width, y, y))
                    .append(text(42, y + 4, Report.format(tick), "end"));
        }
        for (int g = 0; g < lines.size(); g++) {
            Report.Line l = lines.get(g);
            int x0 = 50 + g * groupWidth + 12;
            for (int i = 0; i < labels.size(); i++) {
                Double v = l.medians().get(labels.get(i));
                if (v == null || v <= 0) continue;
                int h = Math.max(1, scale(v, floor, ceiling, plotHeight));
                b.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"20\" height=\"%d\" fill=\"%s\"><title>%s %s: %s ms</title></rect>",
                        x0 + i * 24, plotTop + plotHeight - h, h, colour(i), esc(labels.get(i)), esc(l.name()),
                        esc(Report.format(v))));
            }
            b.append(text(x0 + 12 * labels.size(), plotTop + plotHeight + 16, l.name(), "middle"));
        }
        b.append("</svg></div>\n");
    }

    private static int scale(double v, double floor, double ceiling, int pixels) {
        double f = (Math.log10(Math.max(v, floor)) - Math.log10(floor)) / (Math.log10(ceiling) - Math.log10(floor));
        return (int) Math.round(f * pixels);
    }

    private static String svgOpen(int height) {
        return svgOpen(CHART_WIDTH, height);
    }

    private static String svgOpen(int width, int height) {
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\">", width, height, width, height);
    }

    private static String text(int x, int y, String s, String anchor) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s</text>", x, y, anchor, esc(s));
    }

    private static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
