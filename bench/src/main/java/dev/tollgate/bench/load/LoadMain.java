package dev.tollgate.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The load generator's command line: runs the chosen scenarios against a WAMP router (and, with {@code --vs}, each
 * case alternately against a peer router), prints a table and writes a JSON file. Run with {@code --help}.
 */
public final class LoadMain {
    private static final String USAGE = """
            usage: java -jar bench/target/tollgate-load.jar --url ws://127.0.0.1:PORT/ws [options]
              --url URL              router under test (WAMP v2 JSON/msgpack; v1 on the same URL); several URLs,
                                     comma-separated, for the nodes of one router: publishers and callees on the
                                     first, callers on the others, subscribers on all in turn
              --pid PID              its process id: router CPU, RSS and heap figures (several, comma-separated:
                                     CPU is theirs together; RSS and heap the first's)
              --label NAME           its name in the table (tollgate)
              --serializers LIST     what it speaks (json,msgpack,v1)
              --vs URL               peer router: every case runs alternately against both, with ratios
              --vs-pid PID --vs-label NAME (peer) --vs-serializers LIST (json)
              --scenarios LIST       fanout,topics,rpc,slow,connections,v1fanout (all six); soak only when named
              --soak-minutes N (60)  --soak-sample-seconds N (60)  --soak-workers N (16)
                                     soak: sessions that connect, subscribe, publish, call and leave, at
                                     --rate-fraction of their maximum rate; the router's RSS, heap, threads and
                                     descriptors read every sample; fails unless they stay flat
              --subscribers LIST     fan-out subscribers (10,100,1000)
              --topics LIST          many-topics cases topics:subscribers-per-topic (100:5)
              --slow-subscribers LIST  slow-subscriber cases: this many normal subscribers plus one that stops reading (100)
              --payloads LIST        fan-out payload bytes (100,4096)
              --fanout-serializers LIST (json,msgpack)
              --rpc LIST             callers:callees pairs; callers:callees:shared for one shared registration
                                     (invoke roundrobin) instead of one procedure per callee (10:1,10:4:shared)
              --rpc-window N         calls outstanding per caller (4)
              --rpc-serializers LIST (json,msgpack)
              --sessions LIST        idle sessions to open in the connections scenario (1000)
              --sessions-per-process N  (15000; more sessions start more client processes)
              --ticket-secret S      the router's auth.secret: each idle session carries its own anonymous ticket
                                     (the router under test only; a peer gets sessions without tickets)
              --v1-subscribers LIST  (1000)   --v1-payloads LIST (100)
              --warmup S (2)  --duration S (5)  --rate-fraction F (0.5)  --threads N (1)  --concurrency N (128)
              --paced-rate N         fan-out latency at N deliveries/s, without measuring the maximum first
              --window-bytes N (1048576)  --window-events N (200)  --realm NAME (realm1)
              --repeat N             run each case N times per target, alternating; the table shows medians (1)
              --json FILE            results as JSON (bench-results.json)
              --html FILE            the same as a self-contained page with charts (bench-report.html)
            """;

    /** How often each case runs per target (--repeat). */
    private static int repeat = 1;

    private LoadMain() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length > 0 && argv[0].equals(ConnectionsScenario.WORKER)) {
            ConnectionsScenario.worker(Arrays.copyOfRange(argv, 1, argv.length));
            return;
        }
        Map<String, String> a = parse(argv);
        if (a.containsKey("help") || !a.containsKey("url")) {
            System.out.print(USAGE);
            System.exit(a.containsKey("help") ? 0 : 2);
        }
        Options o = new Options(a.getOrDefault("realm", "realm1"), dbl(a, "warmup", 2), dbl(a, "duration", 5),
                dbl(a, "rate-fraction", 0.5), dbl(a, "paced-rate", 0), (int) dbl(a, "threads", 1), (int) dbl(a, "concurrency", 128),
                (int) dbl(a, "window-bytes", 1 << 20), (int) dbl(a, "window-events", 200));
        repeat = Math.max(1, (int) dbl(a, "repeat", 1));
        List<Target> targets = new ArrayList<>();
        targets.add(Target.parse(a.getOrDefault("label", "tollgate"), a.get("url"), a.getOrDefault("pid", ""),
                set(a.getOrDefault("serializers", "json,msgpack,v1"))));
        if (a.containsKey("vs")) {
            targets.add(Target.parse(a.getOrDefault("vs-label", "peer"), a.get("vs"), a.getOrDefault("vs-pid", ""),
                    set(a.getOrDefault("vs-serializers", "json"))));
        }
        Set<String> scenarios = set(a.getOrDefault("scenarios", "fanout,topics,rpc,slow,connections,v1fanout"));
        Report report = new Report(targets, o);
        System.out.printf(Locale.ROOT, "Tollgate load generator: %s; JVM %s; %d cores%n", OffsetDateTime.now(),
                Runtime.version(), Runtime.getRuntime().availableProcessors());

        if (scenarios.contains("fanout")) {
            for (String ser : list(a.getOrDefault("fanout-serializers", "json,msgpack")))
                for (String p : list(a.getOrDefault("payloads", "100,4096")))
                    for (String n : list(a.getOrDefault("subscribers", "10,100,1000"))) {
                        var spec = FanoutScenario.Spec.fanout(Dialect.of(ser), Integer.parseInt(n), Integer.parseInt(p));
                        runCase(report, spec.name(), spec.dialect(), t -> new FanoutScenario(t, spec, o).run());
                    }
        }
        if (scenarios.contains("topics")) {
            for (String ser : list(a.getOrDefault("fanout-serializers", "json,msgpack")))
                for (String pair : list(a.getOrDefault("topics", "100:5"))) {
                    String[] mn = pair.split(":");
                    var spec = new FanoutScenario.Spec(Dialect.of(ser), Integer.parseInt(mn[0]), Integer.parseInt(mn[1]), 100, false);
                    runCase(report, spec.name(), spec.dialect(), t -> new FanoutScenario(t, spec, o).run());
                }
        }
        if (scenarios.contains("rpc")) {
            for (String ser : list(a.getOrDefault("rpc-serializers", "json,msgpack")))
                for (String pair : list(a.getOrDefault("rpc", "10:1,10:4:shared"))) {
                    String[] ck = pair.split(":");
                    var spec = new RpcScenario.Spec(Dialect.of(ser), Integer.parseInt(ck[0]), Integer.parseInt(ck[1]),
                            (int) dbl(a, "rpc-window", 4), ck.length > 2 && ck[2].equals("shared"));
                    runCase(report, spec.name(), spec.dialect(), t -> new RpcScenario(t, spec, o).run());
                }
        }
        if (scenarios.contains("slow")) {
            for (String n : list(a.getOrDefault("slow-subscribers", "100"))) {
                var spec = new FanoutScenario.Spec(Dialect.JSON, 1, Integer.parseInt(n), 100, true);
                runCase(report, spec.name(), spec.dialect(), t -> new FanoutScenario(t, spec, o).run());
            }
        }
        if (scenarios.contains("connections")) {
            for (String m : list(a.getOrDefault("sessions", "1000"))) {
                int sessions = Integer.parseInt(m);
                int perProcess = (int) dbl(a, "sessions-per-process", 15000);
                String secret = a.get("ticket-secret");
                runCase(report, "connections json m=" + sessions, Dialect.JSON,
                        t -> new ConnectionsScenario(t, sessions, perProcess, o, t == targets.get(0) ? secret : null).run());
            }
        }
        if (scenarios.contains("v1fanout")) {
            for (String p : list(a.getOrDefault("v1-payloads", "100")))
                for (String n : list(a.getOrDefault("v1-subscribers", "1000"))) {
                    // v1 subscribers on the router under test against a peer's v2 JSON subscribers, when the peer
                    // speaks no v1 (fox-wamp, wamp.rt): the Oro case, compared with the peer's best.
                    var v1 = FanoutScenario.Spec.fanout(Dialect.V1, Integer.parseInt(n), Integer.parseInt(p));
                    var json = FanoutScenario.Spec.fanout(Dialect.JSON, Integer.parseInt(n), Integer.parseInt(p));
                    boolean peerWithoutV1 = targets.size() > 1 && !targets.get(1).speaks(Dialect.V1);
                    String name = v1.name() + (peerWithoutV1 ? " vs json" : "");
                    runCase(report, name, null, t -> new FanoutScenario(t, t.speaks(Dialect.V1) ? v1 : json, o, name).run());
                }
        }
        if (scenarios.contains("soak")) {
            // the router under test only: a soak is judged against itself, not compared
            Target t = targets.get(0);
            var soak = new SoakScenario(t, o.realm(), a.get("ticket-secret"),
                    java.time.Duration.ofSeconds((long) (dbl(a, "soak-minutes", 60) * 60)),
                    java.time.Duration.ofSeconds((long) dbl(a, "soak-sample-seconds", 60)), o.rateFraction(),
                    (int) dbl(a, "soak-workers", 16), System.out);
            runOnce(report, "soak", t, 1, x -> soak.run());
        }
        System.out.println();
        report.printTable(System.out);
        Path json = Path.of(a.getOrDefault("json", "bench-results.json"));
        Files.writeString(json, report.toJson());
        System.out.println("results written to " + json.toAbsolutePath());
        Path html = Path.of(a.getOrDefault("html", "bench-report.html"));
        Files.writeString(html, new HtmlReport(report).render());
        System.out.println("report written to " + html.toAbsolutePath());
        System.exit(0);
    }

    interface CaseRun {
        List<Figure> run(Target t) throws Exception;
    }

    /**
     * Runs one case {@code repeat} times against each target that speaks its dialect (any target when it is null: the
     * case picks a dialect per target), alternating between targets
     * so that a drift of the machine (other load, heat) falls on both alike; the table shows medians. Which target
     * goes first alternates too: the first run of a case was the slowest of its target's runs in most comparisons
     * (a cold machine), and always putting the same target first pulled its median down (RPC, 2 cores: its first runs
     * 84-86 k calls/s against 95-115 k for the others).
     */
    private static void runCase(Report report, String name, Dialect d, CaseRun run) throws InterruptedException {
        for (int r = 1; r <= repeat; r++) {
            List<Target> order = new java.util.ArrayList<>(report.targets());
            if (r % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (Target t : order) {
                if (d == null || t.speaks(d)) runOnce(report, name, t, r, run);
            }
        }
    }

    private static void runOnce(Report report, String name, Target t, int r, CaseRun run) throws InterruptedException {
        System.out.printf(Locale.ROOT, "%-32s %-10s %s", name, t.label(), repeat > 1 ? "#" + r + " " : "");
        System.out.flush();
        try {
            List<Figure> figures = run.run(t);
            report.add(t, figures);
            StringBuilder b = new StringBuilder();
            for (Figure f : figures) {
                if (f.better() != Figure.Better.NONE || f.name().startsWith("load generator CPU at max")
                        || f.name().startsWith("router CPU at max")) {
                    b.append(f.name()).append('=').append(Report.format(f.value())).append(' ');
                }
            }
            System.out.println(b);
        } catch (Exception e) {
            System.out.println("FAILED: " + e.getMessage());
            report.fail(t, name, String.valueOf(e.getMessage()));
        }
        System.gc();
        Thread.sleep(1500); // let the router settle (closed sessions, GC) before the next run
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i];
            if (!k.startsWith("--")) throw new IllegalArgumentException("expected --option but was " + k);
            k = k.substring(2);
            int eq = k.indexOf('=');
            if (eq > 0) m.put(k.substring(0, eq), k.substring(eq + 1));
            else if (k.equals("help")) m.put(k, "");
            else if (i + 1 < argv.length) m.put(k, argv[++i]);
            else throw new IllegalArgumentException("--" + k + ": expected a value");
        }
        return m;
    }

    private static double dbl(Map<String, String> a, String k, double def) {
        String v = a.get(k);
        if (v == null) return def;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + k + ": expected a number but was " + v);
        }
    }

    private static List<String> list(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static Set<String> set(String s) {
        return new LinkedHashSet<>(list(s));
    }
}
