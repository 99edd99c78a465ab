package dev.tollgate.bench.load;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Fan-out: one publisher, N subscribers of one topic, all in the given dialect (v1 included: v1 publisher, v1
 * subscribers).
 *
 * <ol>
 *   <li>Setup: N sessions subscribe (v1 has no SUBSCRIBED: a v1 subscriber counts as ready once SUBSCRIBE is sent);
 *       then the publisher primes the topic until every subscriber has received one event.</li>
 *   <li>Maximum rate: the publisher keeps at most a window of events outstanding per live subscriber (published ×
 *       live − delivered), below the router's per-connection queue bound, and publishes as fast as that lets it.
 *       Figure: deliveries/s over the measured interval.</li>
 *   <li>Latency: the publisher paces events evenly at {@code rateFraction} of that maximum; each event carries its
 *       scheduled send time (so a stalled publisher does not hide latency), each delivery records now − that time.
 *       Figures: p50, p99, p99.9 and max in ms.</li>
 * </ol>
 * CPU of the load generator, the router and the machine is reported for both intervals.
 */
final class FanoutScenario {
    record Spec(Dialect dialect, int subscribers, int payload) {
        String name() {
            return "fanout " + dialect.serializerName() + " n=" + subscribers + " " + (payload >= 1024 && payload % 1024 == 0 ? payload / 1024 + "KB" : payload + "B");
        }
    }

    private final Target target;
    private final Spec spec;
    private final Options o;
    private final String topic = "bench.fanout.t" + System.nanoTime() % 1_000_000;
    private final LongAdder delivered = new LongAdder();
    private final AtomicInteger primed = new AtomicInteger();
    private final Recorder latencyMicros = new Recorder(60_000_000L, 3);
    private volatile boolean recording;
    private final int eventType;

    FanoutScenario(Target target, Spec spec, Options o) {
        this.target = target;
        this.spec = spec;
        this.o = o;
        this.eventType = spec.dialect() == Dialect.V1 ? Wire.V1_EVENT : Wire.EVENT;
    }

    List<Figure> run() throws Exception {
        String c = spec.name();
        List<Figure> out = new ArrayList<>();
        Dialect d = spec.dialect();
        try (Fleet subs = new Fleet("sub", o.threads(), o.concurrency()); Fleet pubs = new Fleet("pub", 1, 1)) {
            WampSession.Handler subscriber = new WampSession.Handler() {
                @Override
                public void onWelcome(WampSession s) {
                    s.send(Wire.subscribe(d, 1, topic));
                    if (d == Dialect.V1) subs.markReady(s);
                }

                @Override
                public void onMessage(WampSession s, int type, byte[] b, int off, int len) {
                    if (type == eventType) {
                        if (s.counter++ == 0) primed.incrementAndGet();
                        delivered.increment();
                        if (recording) {
                            long micros = (Wire.now() - Wire.eventTime(d, b, off, len)) / 1000;
                            latencyMicros.recordValue(Math.min(Math.max(micros, 0), 60_000_000L));
                        }
                    } else if (type == Wire.SUBSCRIBED) {
                        subs.markReady(s);
                    } else {
                        subs.noteUnexpected(Wire.text(d, b, off, len));
                    }
                }
            };
            long t0 = System.nanoTime();
            for (int i = 0; i < spec.subscribers(); i++) subs.open(target, d, o.realm(), subscriber);
            subs.awaitSetup(60_000);
            double setupSeconds = (System.nanoTime() - t0) / 1e9;
            Publisher pub = new Publisher(pubs, d);
            if (subs.live() == 0 || !pub.connected()) {
                throw new IllegalStateException("setup failed: " + subs.problems() + pubs.problems());
            }
            // prime: until every subscriber got an event (the subscription is in place on the router)
            long deadline = System.currentTimeMillis() + 15_000;
            while (primed.get() < subs.live() && System.currentTimeMillis() < deadline) {
                pub.publish(1, -1);
                Thread.sleep(50);
            }
            Thread.sleep(200);
            out.add(Figure.info(c, "subscribers ready", subs.live(), "sessions"));
            out.add(Figure.info(c, "setup time", setupSeconds, "s"));

            // ---- maximum rate, window-paced
            int window = Math.max(1, Math.min(o.windowEvents(), o.windowBytes() / (spec.payload() + 100)));
            int batch = Math.max(1, window / 10);
            AtomicBoolean stop = new AtomicBoolean();
            long base = delivered.sum();
            long[] published = {0};
            Thread publisher = new Thread(() -> {
                while (!stop.get()) {
                    long live = subs.live();
                    while (!stop.get() && published[0] * live - (delivered.sum() - base) > (long) (window - batch) * live) {
                        LockSupport.parkNanos(20_000);
                    }
                    pub.publish(batch, -1);
                    published[0] += batch;
                }
            }, "publisher-window");
            publisher.start();
            Thread.sleep((long) (o.warmupSeconds() * 1000));
            long d0 = delivered.sum();
            ProcStats.Sample s0 = ProcStats.sample(target.pid());
            Thread.sleep((long) (o.durationSeconds() * 1000));
            long d1 = delivered.sum();
            ProcStats.Sample s1 = ProcStats.sample(target.pid());
            stop.set(true);
            publisher.join();
            double maxRate = (d1 - d0) / ((s1.wallNanos() - s0.wallNanos()) / 1e9);
            ProcStats.Cpu cpuMax = ProcStats.cpu(s0, s1);
            out.add(Figure.higher(c, "deliveries/s", maxRate, "1/s"));
            out.add(Figure.info(c, "window", window, "events"));
            addCpu(out, c, "at max", cpuMax);
            drain(subs, base, published[0]);

            // ---- latency at a fraction of the maximum
            int live = subs.live();
            double eventsPerSecond = Math.max(1, o.rateFraction() * maxRate / Math.max(1, live));
            stop.set(false);
            long paceStart = Wire.now();
            long pacedBase = delivered.sum();
            long[] pacedSent = {0};
            Thread paced = new Thread(() -> {
                long sent = 0;
                while (!stop.get()) {
                    long now = Wire.now();
                    long due = (long) ((now - paceStart) / 1e9 * eventsPerSecond) - sent;
                    if (due > 0) {
                        for (long i = 0; i < due; i++) {
                            pub.publish(1, paceStart + (long) ((sent + i) * 1e9 / eventsPerSecond));
                        }
                        sent += due;
                        pacedSent[0] = sent;
                    }
                    LockSupport.parkNanos(Math.max(50_000, Math.min(1_000_000, (long) (1e9 / eventsPerSecond))));
                }
            }, "publisher-paced");
            paced.start();
            Thread.sleep((long) (Math.max(1, o.warmupSeconds() / 2) * 1000));
            latencyMicros.reset();
            recording = true;
            long e0 = delivered.sum();
            ProcStats.Sample p0 = ProcStats.sample(target.pid());
            Thread.sleep((long) (o.durationSeconds() * 1000));
            recording = false;
            long e1 = delivered.sum();
            ProcStats.Sample p1 = ProcStats.sample(target.pid());
            Histogram h = latencyMicros.getIntervalHistogram();
            stop.set(true);
            paced.join();
            drain(subs, pacedBase, pacedSent[0]);
            double pacedRate = (e1 - e0) / ((p1.wallNanos() - p0.wallNanos()) / 1e9);
            out.add(Figure.info(c, "paced deliveries/s", pacedRate, "1/s"));
            out.add(Figure.lower(c, "p50", h.getValueAtPercentile(50) / 1000.0, "ms"));
            out.add(Figure.lower(c, "p99", h.getValueAtPercentile(99) / 1000.0, "ms"));
            out.add(Figure.lower(c, "p99.9", h.getValueAtPercentile(99.9) / 1000.0, "ms"));
            out.add(Figure.info(c, "max", h.getMaxValue() / 1000.0, "ms"));
            addCpu(out, c, "at " + Math.round(o.rateFraction() * 100) + "%", ProcStats.cpu(p0, p1));
            out.add(Figure.info(c, "subscribers closed by router", subs.closedAfterReady.get(), "sessions"));
            String problems = subs.problems() + pubs.problems();
            if (!problems.isEmpty()) System.out.println("  [" + target.label() + "] " + c + ": " + problems);
        }
        return out;
    }

    static void addCpu(List<Figure> out, String c, String when, ProcStats.Cpu cpu) {
        out.add(Figure.info(c, "load generator CPU " + when, cpu.loadGenerator(), "% of a core"));
        if (cpu.router() >= 0) out.add(Figure.info(c, "router CPU " + when, cpu.router(), "% of a core"));
        out.add(Figure.info(c, "machine busy " + when, cpu.machineBusy(), "% of a core"));
    }

    /**
     * Waits until the subscribers received what was published (or made no progress for 5 s, or 60 s passed), so that
     * a backlog neither leaks into the next interval nor is left in the router when the sessions close.
     */
    private void drain(Fleet subs, long base, long published) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000, lastProgress = System.currentTimeMillis(), last = -1;
        while (delivered.sum() - base < published * subs.live() && System.currentTimeMillis() < deadline
                && System.currentTimeMillis() - lastProgress < 5_000) {
            long now = delivered.sum();
            if (now != last) {
                last = now;
                lastProgress = System.currentTimeMillis();
            }
            Thread.sleep(10);
        }
        Thread.sleep(200);
    }

    /** The publishing session; publish() is called by one thread at a time. */
    private final class Publisher {
        private final WampSession session;
        private final byte[] padding = Wire.padding(spec.payload());
        private final byte[] message = new byte[spec.payload() + 256];
        private long request = 1;
        private long seq;
        private final Fleet fleet;

        Publisher(Fleet fleet, Dialect d) throws InterruptedException {
            this.fleet = fleet;
            session = fleet.open(target, d, o.realm(), new WampSession.Handler() {
                @Override
                public void onWelcome(WampSession s) {
                    fleet.markReady(s);
                }

                @Override
                public void onMessage(WampSession s, int type, byte[] b, int off, int len) {
                    if (type != Wire.PUBLISHED) fleet.noteUnexpected("publisher got " + Wire.text(d, b, off, len));
                }
            });
            fleet.awaitSetup(10_000);
        }

        boolean connected() {
            return fleet.live() == 1;
        }

        /** Publishes count events in one write; time &lt; 0 means "now". Blocks while much is queued unsent. */
        void publish(int count, long time) {
            Dialect d = spec.dialect();
            ByteBuffer b = ByteBuffer.allocate(count * (message.length + 14));
            for (int i = 0; i < count; i++) {
                int len = Wire.publish(d, message, request++, topic, time < 0 ? Wire.now() : time, seq++, padding);
                WsConnection.putFrame(b, d.binary ? 2 : 1, message, 0, len);
            }
            b.flip();
            session.conn.sendRaw(b);
            while (session.conn.queuedBytes() > (4 << 20) && session.conn.isOpen()) LockSupport.parkNanos(50_000);
        }
    }
}
