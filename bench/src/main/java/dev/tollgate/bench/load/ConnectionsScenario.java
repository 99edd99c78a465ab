package dev.tollgate.bench.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;

/**
 * Connections: M idle WAMP v2 JSON sessions, opened by one or more client processes (this jar, started as
 * {@value #WORKER}) so that no process exceeds its file-descriptor limit. Measures the time to open them all and
 * the router's RSS and (for a JVM, through jcmd after a full GC) used heap before and after, per session. With a
 * ticket secret, every session carries its own anonymous Oro ticket in the URL, as Oro's backend publisher does, so
 * the time to open includes the router's ticket checks. Before the baseline, a tenth as many sessions (at most 2,000)
 * are opened and closed, so that the figure is what holding sessions costs, not the process's first-use costs.
 *
 * <p>Worker protocol on stdin/stdout: the worker prints READY, waits for a line GO, opens its sessions, prints
 * {@code OPEN ready failed millis problems}, keeps them open until its stdin closes, then closes them and exits.
 */
final class ConnectionsScenario {
    static final String WORKER = "connections-worker";
    /** Sessions opened and closed before the baseline: a tenth of those measured, at most this many. */
    private static final int WARMUP_SESSIONS = 2000;
    private final Target target;
    private final int sessions;
    private final int perProcess;
    private final Options o;
    private final String ticketSecret;

    /** @param ticketSecret the router's ticket secret, to open ticket-authenticated sessions; null for none */
    ConnectionsScenario(Target target, int sessions, int perProcess, Options o, String ticketSecret) {
        this.target = target;
        this.sessions = sessions;
        this.perProcess = perProcess;
        this.o = o;
        this.ticketSecret = ticketSecret;
    }

    List<Figure> run() throws Exception {
        String c = "connections json m=" + sessions;
        List<Figure> out = new ArrayList<>();
        long pid = target.pid();
        // A round of the same sessions, opened and closed, before the baseline: the router's first sessions also pay
        // for what any process pays once (compiled code, classes, threads started for the burst), which is not what
        // holding a session costs. Both routers of a comparison get the same round.
        int warmup = Math.max(1, Math.min(WARMUP_SESSIONS, sessions / 10));
        try (Round round = open(warmup)) {
            round.await();
        }
        Thread.sleep(1000); // the router's side of the closes
        long heap0 = pid > 0 ? ProcStats.heapAfterGc(pid) : -1; // a JVM: full GC first, so that RSS is read alike twice
        long rss0 = pid > 0 ? ProcStats.settledRssBytes(pid) : -1;
        try (Round round = open(sessions)) {
            round.await();
            Thread.sleep(2000);
            long heap1 = pid > 0 ? ProcStats.heapAfterGc(pid) : -1;
            long rss1 = pid > 0 ? ProcStats.settledRssBytes(pid) : -1;
            out.add(Figure.info(c, "with a ticket each", ticketSecret != null ? 1 : 0, "yes=1"));
            out.add(Figure.info(c, "warm-up sessions, opened and closed first", warmup, "sessions"));
            out.add(Figure.higher(c, "sessions open", round.ready, "sessions"));
            out.add(Figure.info(c, "sessions failed", round.failed, "sessions"));
            out.add(Figure.lower(c, "time to open", round.seconds, "s"));
            out.add(Figure.higher(c, "sessions opened/s", round.ready / round.seconds, "1/s"));
            out.add(Figure.info(c, "client processes", round.workers.size(), "processes"));
            if (rss0 > 0 && rss1 > 0 && round.ready > 0) {
                out.add(Figure.info(c, "router RSS after", rss1 / 1048576.0, "MiB"));
                out.add(Figure.lower(c, "router RSS per session", (rss1 - rss0) / (double) round.ready / 1024, "KiB"));
            }
            if (heap0 >= 0 && heap1 >= 0 && round.ready > 0) {
                out.add(Figure.info(c, "router heap after GC", heap1 / 1048576.0, "MiB"));
                out.add(Figure.lower(c, "router heap per session", (heap1 - heap0) / (double) round.ready / 1024, "KiB"));
            }
        }
        return out;
    }

    /** Starts the client processes for {@code count} sessions; they open them on {@link Round#await}. */
    private Round open(int count) throws Exception {
        int procs = (count + perProcess - 1) / perProcess;
        Round round = new Round();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of(LoadMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        try {
            for (int i = 0; i < procs; i++) {
                int share = count / procs + (i < count % procs ? 1 : 0);
                Process p = new ProcessBuilder(java, "-Xmx768m", "-XX:+UseSerialGC", "-cp", cp, LoadMain.class.getName(), WORKER,
                        target.url(), Integer.toString(share), o.realm(), Integer.toString(Math.max(1, o.concurrency() / procs)),
                        ticketSecret == null ? "-" : ticketSecret)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                round.workers.add(p);
                round.readers.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
        } catch (Exception e) {
            round.close();
            throw e;
        }
        return round;
    }

    /** The client processes of one round of sessions; closing them closes the sessions. */
    private final class Round implements AutoCloseable {
        final List<Process> workers = new ArrayList<>();
        final List<BufferedReader> readers = new ArrayList<>();
        int ready;
        int failed;
        double seconds;

        /** Lets the workers open their sessions (once every ticket is made) and waits until all are open or failed. */
        void await() throws Exception {
            for (BufferedReader r : readers) expect(r, "READY");
            long t0 = System.nanoTime();
            for (Process p : workers) {
                OutputStream os = p.getOutputStream();
                os.write("GO\n".getBytes(StandardCharsets.US_ASCII));
                os.flush();
            }
            for (BufferedReader r : readers) {
                String[] f = expect(r, "OPEN").split(" ", 5);
                ready += Integer.parseInt(f[1]);
                failed += Integer.parseInt(f[2]);
                if (f.length > 4 && !f[4].isBlank()) System.out.println("  [" + target.label() + "] worker: " + f[4]);
            }
            seconds = (System.nanoTime() - t0) / 1e9;
        }

        @Override
        public void close() throws Exception {
            for (Process p : workers) p.getOutputStream().close();
            for (Process p : workers) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    private static String expect(BufferedReader r, String word) throws Exception {
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith(word)) return line;
        }
        throw new IllegalStateException("connections worker ended before " + word);
    }

    /** Entry of a worker process: url count realm concurrency ticket-secret-or-dash. */
    static void worker(String[] args) throws Exception {
        Target t = Target.parse("worker", args[0], "", java.util.Set.of("json"));
        int count = Integer.parseInt(args[1]);
        TicketGenerator tickets = args[4].equals("-") ? null
                : new TicketGenerator(TicketSecret.of(args[4]), java.time.Clock.systemUTC());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try (Fleet fleet = new Fleet("idle", 2, Integer.parseInt(args[3]))) {
            WampSession.Handler idle = new WampSession.Handler() {
                @Override
                public void onWelcome(WampSession s) {
                    fleet.markReady(s);
                }

                @Override
                public void onMessage(WampSession s, int type, byte[] b, int off, int len) {
                    fleet.noteUnexpected(Wire.text(s.dialect, b, off, len));
                }
            };
            // Tickets cost as much to make as to check (5,000 rounds of SHA-512): make them all before the clock starts.
            Target[] targets = new Target[count];
            for (int i = 0; i < count; i++) {
                targets[i] = tickets == null ? t : Target.parse("worker", args[0]
                        + (args[0].contains("?") ? "&" : "?") + "ticket="
                        + URLEncoder.encode(tickets.anonymous(), StandardCharsets.US_ASCII), "", t.serializers());
            }
            System.out.println("READY");
            System.out.flush();
            if (in.readLine() == null) return;
            long t0 = System.nanoTime();
            for (Target session : targets) fleet.open(session, Dialect.JSON, args[2], idle);
            fleet.awaitSetup(180_000);
            System.out.println("OPEN " + fleet.ready.get() + " " + fleet.failed.get() + " "
                    + (System.nanoTime() - t0) / 1_000_000 + " " + fleet.problems());
            System.out.flush();
            while (in.readLine() != null) {
                // keep the sessions open until stdin closes
            }
        }
        System.exit(0);
    }
}
