package dev.tollgate.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The HTML report draws what the table says, escapes what routers call themselves, and fetches nothing. */
class HtmlReportTest {
    private static final Options OPTIONS = new Options("realm1", 1, 1, 0.5, 0, 1, 1, 1 << 20, 200);

    @Test
    void chartsTheMediansWithTheirRatioAndEveryRun() {
        Target a = Target.parse("tollgate", "ws://127.0.0.1:1/ws", "", Set.of("json"));
        Target b = Target.parse("fox<script>", "ws://127.0.0.1:2/ws", "", Set.of("json"));
        Report report = new Report(List.of(a, b), OPTIONS);
        String c = "rpc json 1:1 w=1";
        report.add(a, List.of(Figure.higher(c, "calls/s", 9000, "1/s"), Figure.lower(c, "p50", 0.1, "ms"),
                Figure.lower(c, "p99", 0.2, "ms"), Figure.lower(c, "router CPU per call", 50, "µs"),
                Figure.info(c, "router CPU at max", 48, "% of a core")));
        report.add(a, List.of(Figure.higher(c, "calls/s", 11000, "1/s"), Figure.lower(c, "p50", 0.1, "ms"),
                Figure.lower(c, "p99", 0.2, "ms"), Figure.lower(c, "router CPU per call", 50, "µs")));
        report.add(b, List.of(Figure.higher(c, "calls/s", 5000, "1/s"), Figure.lower(c, "p50", 0.2, "ms"),
                Figure.lower(c, "p99", 0.4, "ms"), Figure.lower(c, "router CPU per call", 120, "µs")));

        String html = new HtmlReport(report).render();

        assertTrue(html.startsWith("<!doctype html>"));
        // calls/s: median 10,000 against 5,000, a tick for each of the three runs, the ratio marked as better
        assertTrue(html.contains("<h3>calls/s (1/s, higher is better)</h3>"), html);
        assertTrue(html.contains(">10,000</text>"), "the median is written on its bar");
        assertTrue(html.contains("<span class=\"better\">2.00×</span>"), "calls/s ratio");
        assertTrue(html.contains("<span class=\"better\">0.42×</span>"), "CPU per call ratio: 50 / 120, lower is better");
        int callsChart = html.indexOf("<h3>calls/s");
        String callsSvg = html.substring(callsChart, html.indexOf("</svg>", callsChart));
        assertEquals(3, count(callsSvg, "<line "), "one tick per run");
        assertEquals(2, count(callsSvg, "<rect "), "one bar per router");
        // the longest bar is the largest run's router's median, scaled from zero: 10,000 of 11,000
        List<Integer> widths = widths(callsSvg);
        assertEquals(List.of(191, 95), widths, "bars proportional to 10,000 and 5,000 over a span of 210 for 11,000");
        // latency: one log-scale chart with a bar per router per percentile
        int latency = html.indexOf("latency percentiles");
        assertTrue(latency > 0);
        String latencySvg = html.substring(latency, html.indexOf("</svg>", latency));
        assertEquals(4, count(latencySvg, "<rect "), "p50 and p99, two routers");
        assertTrue(latencySvg.contains("<title>tollgate p50: 0.100 ms</title>"));
        // context figures are in the table, not charted
        assertFalse(html.contains("<h3>router CPU at max"));
        assertTrue(html.contains("<td>router CPU at max</td>"));
        // a router's name cannot inject markup; nothing is loaded from elsewhere
        assertFalse(html.contains("fox<script>"));
        assertTrue(html.contains("fox&lt;script&gt;"));
        assertFalse(Pattern.compile("(src|href)=").matcher(html).find(), "the page fetches nothing");
    }

    @Test
    void aRunAgainstOneRouterHasNoRatiosAndSaysWhatFailed() {
        Target a = Target.parse("tollgate", "ws://127.0.0.1:1/ws", "", Set.of("json"));
        Report report = new Report(List.of(a), OPTIONS);
        report.add(a, List.of(Figure.higher("fanout json n=10 100B", "deliveries/s", 1_000_000, "1/s")));
        report.fail(a, "slow json n=100", "the slow subscriber was never closed");

        String html = new HtmlReport(report).render();

        assertFalse(html.contains("<th>ratio</th>"));
        assertTrue(html.contains("FAILED tollgate slow json n=100: the slow subscriber was never closed"));
        assertTrue(html.contains(">1,000,000</text>"));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    private static List<Integer> widths(String svg) {
        Matcher m = Pattern.compile("<rect x=\"\\d+\" y=\"\\d+\" width=\"(\\d+)\"").matcher(svg);
        List<Integer> out = new java.util.ArrayList<>();
        while (m.find()) out.add(Integer.parseInt(m.group(1)));
        return out;
    }
}
