package dev.tollgate.bench.load;

import dev.tollgate.auth.TicketGenerator;
import dev.tollgate.auth.TicketSecret;
import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.Welcome;
import dev.tollgate.protocol.Yield;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Soak: sessions that come and go for a long time, and the router's resources watched meanwhile. A churn cycle is a
 * whole session's life: connect (with an anonymous ticket of its own when the router has a secret), HELLO, subscribe,
 * publish with acknowledgement and receive its own event, call a procedure that a long-lived callee serves, GOODBYE.
 *
 * <p>First the cycle's maximum rate is measured with every worker running flat out; then cycles are paced at
 * {@code rateFraction} of it for {@code duration}, and every {@code sampleEvery} the router's RSS, heap after a full
 * GC (a JVM only), threads and open file descriptors are read. The run is flat when, from the first sample after a
 * fifth of the run (the warm-up: the JIT, the heap's working size, the used tickets reaching the number their
 * lifetime keeps) to the last, descriptors grew by at most 20 and threads by at most 10, the heap after GC by at most
 * 25% + 16 MB, and RSS by at most 25% + 64 MB; and when no cycle failed.
 */
final class SoakScenario {
    /** One reading of the router, at {@code seconds} into the paced run. */
    record Sample(long seconds, double cyclesPerSecond, long failures, long rssBytes, long heapBytes, int threads, int fds) {}

    /** What a soak came to. */
    record Outcome(double maxCyclesPerSecond, double pacedCyclesPerSecond, long cycles, long failures,
            List<Sample> samples, List<String> problems) {
        boolean flat() {
            return problems.isEmpty();
        }
    }

    private static final Duration STEP = Duration.ofSeconds(10);
    private static final String PROCEDURE = "soak.echo";

    private final Target target;
    private final String realm;
    private final String ticketSecret;
    private final Duration duration;
    private final Duration sampleEvery;
    private final double rateFraction;
    private final int workers;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<String> failureReasons = java.util.Collections.synchronizedList(new ArrayList<>());

    /** @param ticketSecret the router's auth.secret, or null when it takes sessions without tickets */
    SoakScenario(Target target, String realm, String ticketSecret, Duration duration, Duration sampleEvery,
            double rateFraction, int workers, PrintStream log) {
        this.target = target;
        this.realm = realm;
        this.ticketSecret = ticketSecret;
        this.duration = duration;
        this.sampleEvery = sampleEvery;
        this.rateFraction = rateFraction;
        this.workers = workers;
        this.log = log;
    }

    /** The figures for the load generator's table. */
    List<Figure> run() throws Exception {
        Outcome o = soak();
        String c = "soak " + duration.toMinutes() + " min";
        Sample first = warm(o.samples());
        Sample last = o.samples().get(o.samples().size() - 1);
        List<Figure> out = new ArrayList<>();
        out.add(Figure.info(c, "cycles/s max", o.maxCyclesPerSecond(), "cycles/s"));
        out.add(Figure.info(c, "cycles/s held", o.pacedCyclesPerSecond(), "cycles/s"));
        out.add(Figure.info(c, "cycles", o.cycles(), "cycles"));
        out.add(Figure.lower(c, "failed cycles", o.failures(), "cycles"));
        out.add(Figure.lower(c, "RSS growth", (last.rssBytes() - first.rssBytes()) / 1e6, "MB"));
        out.add(Figure.lower(c, "heap growth", (last.heapBytes() - first.heapBytes()) / 1e6, "MB"));
        out.add(Figure.lower(c, "thread growth", last.threads() - first.threads(), "threads"));
        out.add(Figure.lower(c, "fd growth", last.fds() - first.fds(), "fds"));
        out.add(Figure.info(c, "flat", o.flat() ? 1 : 0, "yes=1"));
        if (!o.flat()) {
            throw new IllegalStateException("not flat: " + o.problems());
        }
        return out;
    }

    /** Measures the maximum, holds the fraction of it for the duration, and judges the samples. */
    Outcome soak() throws Exception {
        try (SoakClient callee = callee()) {
            AtomicBoolean serving = new AtomicBoolean(true);
            Thread answering = new Thread(() -> answer(callee, serving), "soak-callee");
            answering.setDaemon(true);
            answering.start();
            try {
                double max = churn(Duration.ofSeconds(15), 0, null);
                log.printf(Locale.ROOT, "soak: %.0f cycles/s at most with %d workers; holding %.0f cycles/s for %d min%n",
                        max, workers, max * rateFraction, duration.toMinutes());
                cycles.set(0);
                failures.set(0);
                failureReasons.clear();
                List<Sample> samples = new ArrayList<>();
                double held = churn(duration, max * rateFraction, samples);
                return new Outcome(max, held, cycles.get(), failures.get(), samples, judge(samples));
            } finally {
                serving.set(false);
            }
        }
    }

    /** The sample the run is judged from: the first after its warm-up, a fifth of the run. */
    private static Sample warm(List<Sample> samples) {
        return samples.get(samples.size() / 5);
    }

    private List<String> judge(List<Sample> samples) {
        List<String> problems = new ArrayList<>();
        if (failures.get() > 0) {
            problems.add(failures.get() + " cycle(s) failed, e.g. " + failureReasons.subList(0, Math.min(3, failureReasons.size())));
        }
        if (samples.size() < 2) {
            problems.add("fewer than two samples");
            return problems;
        }
        Sample first = warm(samples);
        Sample last = samples.get(samples.size() - 1);
        if (last.fds() > first.fds() + 20) {
            problems.add("file descriptors grew from " + first.fds() + " to " + last.fds());
        }
        if (last.threads() > first.threads() + 10) {
            problems.add("threads grew from " + first.threads() + " to " + last.threads());
        }
        if (first.heapBytes() > 0 && last.heapBytes() > first.heapBytes() * 1.25 + 16e6) {
            problems.add("heap after GC grew from " + first.heapBytes() / 1_000_000 + " to " + last.heapBytes() / 1_000_000 + " MB");
        }
        if (last.rssBytes() > first.rssBytes() * 1.25 + 64e6) {
            problems.add("RSS grew from " + first.rssBytes() / 1_000_000 + " to " + last.rssBytes() / 1_000_000 + " MB");
        }
        return problems;
    }

    /**
     * Runs the workers for {@code length}: flat out when {@code rate} is 0, else paced to {@code rate} cycles/s in
     * all; with {@code samples}, reads the router every sampleEvery. Returns the cycles/s achieved.
     */
    private double churn(Duration length, double rate, List<Sample> samples) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        long interval = rate > 0 ? (long) (1e9 / rate) : 0;
        AtomicLong nextSlot = new AtomicLong(System.nanoTime());
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "soak-worker");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long before = cycles.get();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            pool.execute(() -> {
                long n = 0;
                while (running.get()) {
                    if (interval > 0) {
                        long slot = nextSlot.getAndAdd(interval);
                        long wait = slot - System.nanoTime();
                        if (wait > 0) {
                            try {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                    cycle(worker, n++);
                }
            });
        }
        long end = start + length.toNanos();
        if (samples != null) {
            long nextSample = start + sampleEvery.toNanos();
            long lastCycles = cycles.get();
            long lastAt = start;
            while (nextSample <= end) {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, nextSample - System.nanoTime()));
                long now = System.nanoTime();
                long done = cycles.get();
                Sample s = read((now - start) / 1_000_000_000L, (done - lastCycles) / ((now - lastAt) / 1e9));
                samples.add(s);
                log.printf(Locale.ROOT, "soak %5d s  %7.1f cycles/s  failed %d  RSS %6.1f MB  heap %6.1f MB  threads %3d  fds %4d%n",
                        s.seconds(), s.cyclesPerSecond(), s.failures(), s.rssBytes() / 1e6, s.heapBytes() / 1e6, s.threads(), s.fds());
                lastCycles = done;
                lastAt = now;
                nextSample += sampleEvery.toNanos();
            }
        }
        TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
        running.set(false);
        double achieved = (cycles.get() - before) / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        return achieved;
    }

    /** One session's whole life; a failure is counted and kept as a reason, never thrown. */
    private void cycle(int worker, long n) {
        String topic = "soak.w" + worker;
        try (SoakClient s = SoakClient.connect(http, uri(), STEP)) {
            s.send(new Hello(realm, Map.of("roles",
                    Map.of("subscriber", Map.of(), "publisher", Map.of(), "caller", Map.of()))));
            s.expect(Welcome.class, STEP);
            s.send(new Subscribe(1, Map.of(), topic));
            s.expect(Subscribed.class, STEP);
            s.send(new Publish(2, Map.of("acknowledge", true, "exclude_me", false), topic, Payload.of(List.of(n))));
            boolean published = false;
            boolean received = false;
            while (!published || !received) {
                WampMessage m = s.next(STEP);
                published |= m instanceof Published;
                received |= m instanceof Event;
            }
            s.send(new Call(3, Map.of(), PROCEDURE, Payload.of(List.of(n))));
            s.expect(Result.class, STEP);
            s.send(new Goodbye(Map.of(), "wamp.close.close_realm"));
            s.expect(Goodbye.class, STEP);
            cycles.incrementAndGet();
        } catch (Exception e) {
            failures.incrementAndGet();
            if (failureReasons.size() < 20) {
                failureReasons.add(e.toString());
            }
        }
    }

    private SoakClient callee() throws Exception {
        SoakClient c = SoakClient.connect(http, uri(), STEP);
        c.send(new Hello(realm, Map.of("roles", Map.of("callee", Map.of()))));
        c.expect(Welcome.class, STEP);
        c.send(new Register(1, Map.of(), PROCEDURE));
        c.expect(Registered.class, STEP);
        return c;
    }

    private static void answer(SoakClient callee, AtomicBoolean serving) {
        while (serving.get()) {
            try {
                WampMessage m = callee.next(Duration.ofSeconds(1));
                if (m instanceof Invocation inv) {
                    callee.send(new Yield(inv.requestId(), Map.of(), inv.payload()));
                }
            } catch (IllegalStateException quiet) {
                // no call in the last second, or the run ended
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private URI uri() {
        String url = target.url();
        if (ticketSecret == null) {
            return URI.create(url);
        }
        String ticket = new TicketGenerator(TicketSecret.of(ticketSecret), Clock.systemUTC()).anonymous();
        return URI.create(url + (url.contains("?") ? "&" : "?") + "ticket=" + URLEncoder.encode(ticket, StandardCharsets.UTF_8));
    }

    private Sample read(long seconds, double rate) throws IOException {
        long pid = target.pid();
        long heap = ProcStats.isJava(pid) ? ProcStats.heapAfterGc(pid) : -1;
        long rss;
        try {
            rss = ProcStats.settledRssBytes(pid); // after the full GC: once the JVM has given back what it freed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rss = ProcStats.rssBytes(pid);
        }
        return new Sample(seconds, rate, failures.get(), rss, heap, threads(pid), fds(pid));
    }

    private static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).trim());
            }
        }
        return -1;
    }

    private static int fds(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) fds.count();
        }
    }
}
