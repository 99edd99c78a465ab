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
 * Pub/sub load: M topics, each with its own publisher and N subscribers, all in the given dialect (v1 included: v1
 * publishers, v1 subscribers). One topic is the fan-out case; many topics with a few subscribers each is the fan-in
 * case (many publishers at once).
 *
 * <ol>
 *   <li>Setup: the subscribers subscribe (v1 has no SUBSCRIBED: a v1 subscriber counts as ready once SUBSCRIBE is
 *       sent); then the publishers prime their topics until every subscriber has received one event.</li>
 *   <li>Maximum rate: each publisher keeps at most a window of events outstanding per live subscriber of its topic
 *       (published × live − delivered), below the router's per-connection queue bound, and publishes as fast as that
 *       lets it. Figure: deliveries/s over the measured interval.</li>
 *   <li>Latency: events are paced evenly, round robin over the topics, at {@code rateFraction} of that maximum (or at
 *       {@code pacedRate}); each carries its scheduled send time (so a stalled publisher does not hide latency), each
 *       delivery records now − that time. Figures: p50, p99, p99.9 and max in ms.</li>
 * </ol>
 * With a slow subscriber, the latency step is replaced: after the maximum rate without it, one more subscriber
 * subscribes and stops reading, and the maximum rate to the others is measured again, with the router's memory
 * growth and whether it closed the slow one.
 *
 * <p>CPU of the load generator, the router and the machine is reported for every interval.
 */
final class FanoutScenario {
    record Spec(Dialect dialect, int topics, int subscribers, int payload, boolean slowSubscriber) {
        static Spec fanout(Dialect d, int subscribers, int payload) {
            return new Spec(d, 1, subscribers, payload, false);
        }

        String name() {
            String size = payload >= 1024 && payload % 1024 == 0 ? payload / 1024 + "KB" : payload + "B";
            String ser = dialect.serializerName();
            if (slowSubscriber) return "slow-sub " + ser + " n=" + subscribers + "+1 " + size;
            if (topics > 1) return "topics " + ser + " m=" + topics + " n=" + subscribers + " " + size;
            return "fanout " + ser + " n=" + subscribers + " " + size;
        }
    }

    private final Target target;
    private final Spec spec;
    private final Options o;
    private final String topicPrefix = "bench.fanout.t" + System.nanoTime() % 1_000_000 + ".";
    private final LongAdder delivered = new LongAdder();
    private final LongAdder[] deliveredByTopic;
    private final AtomicInteger primed = new AtomicInteger();
    private final Recorder latencyMicros = new Recorder(60_000_000L, 3);
    private volatile boolean recording;
    private final int eventType;
    private final String name;

    FanoutScenario(Target target, Spec spec, Options o) {
        this(target, spec, o, spec.name());
    }

    /** @param name the case's name in the report, when it is not the spec's own (a comparison across dialects) */
    FanoutScenario(Target target, Spec spec, Options o, String name) {
        this.target = target;
        this.spec = spec;
        this.o = o;
        this.name = name;
        this.eventType = spec.dialect() == Dialect.V1 ? Wire.V1_EVENT : Wire.EVENT;
        this.deliveredByTopic = new LongAdder[spec.topics()];
        for (int t = 0; t < spec.topics(); t++) deliveredByTopic[t] = new LongAdder();
    }

    private String topic(int t) {
        return topicPrefix + t;
    }

    List<Figure> run() throws Exception {
        List<Figure> out = new ArrayList<>();
        Dialect d = spec.dialect();
        int topics = spec.topics();
        try (Fleet subs = new Fleet("sub", o.threads(), o.concurrency());
             Fleet pubs = new Fleet("pub", 1, o.concurrency());
             Fleet slow = new Fleet("slow", 1, 1)) {
            WampSession.Handler subscriber = new WampSession.Handler() {
                @Override
                public void onWelcome(WampSession s) {
                    s.send(Wire.subscribe(d, 1, topic(s.index % topics)));
                    if (d == Dialect.V1) subs.markReady(s);
                }

                @Override
                public void onMessage(WampSession s, int type, byte[] b, int off, int len) {
                    if (type == eventType) {
                        if (s.counter++ == 0) primed.incrementAndGet();
                        delivered.increment();
                        deliveredByTopic[s.index % topics].increment();
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
            for (int i = 0; i < spec.subscribers() * topics; i++) subs.open(target, d, o.realm(), subscriber);
            subs.awaitSetup(60_000);
            double setupSeconds = (System.nanoTime() - t0) / 1e9;
            Publisher[] publishers = new Publisher[topics];
            for (int t = 0; t < topics; t++) publishers[t] = new Publisher(pubs, d, topic(t));
            if (!pubs.awaitSetup(30_000) || subs.live() == 0) {
                throw new IllegalStateException("setup failed: " + subs.problems() + pubs.problems());
            }
            // prime: until every subscriber got an event (the subscription is in place on the router)
            long deadline = System.currentTimeMillis() + 15_000;
            while (primed.get() < subs.live() && System.currentTimeMillis() < deadline) {
                for (Publisher p : publishers) p.publish(1);
                Thread.sleep(50);
            }
            Thread.sleep(200);
            out.add(Figure.info(name, "subscribers ready", subs.live(), "sessions"));
            out.add(Figure.info(name, "setup time", setupSeconds, "s"));

            if (spec.slowSubscriber()) {
                double without = maxRate(out, subs, publishers, "deliveries/s without slow subscriber", "without slow");
                long rssBefore = ProcStats.rssBytes(target.pid());
                WampSession laggard = slow.open(target, d, o.realm(), new WampSession.Handler() {
                    @Override
                    public void onWelcome(WampSession s) {
                        s.send(Wire.subscribe(d, 1, topic(0)));
                        if (d == Dialect.V1) {
                            slow.markReady(s);
                            s.conn.pauseReading();
                        }
                    }

                    @Override
                    public void onMessage(WampSession s, int type, byte[] b, int off, int len) {
                        if (type == Wire.SUBSCRIBED) {
                            slow.markReady(s);
                            s.conn.pauseReading(); // from now on it reads nothing: the router must cope
                        }
                    }
                });
                if (!slow.awaitSetup(10_000)) throw new IllegalStateException("slow subscriber: " + slow.problems());
                Thread.sleep(200);
                double with = maxRate(out, subs, publishers, "deliveries/s with slow subscriber", "with slow");
                long rssAfter = ProcStats.rssBytes(target.pid());
                out.add(Figure.higher(name, "others' rate kept", 100 * with / without, "%"));
                if (rssBefore >= 0 && rssAfter >= 0) {
                    out.add(Figure.lower(name, "router RSS growth", (rssAfter - rssBefore) / 1048576.0, "MiB"));
                }
                // A paused reader cannot see a close: let it read its backlog and find out whether the router ended it.
                laggard.conn.resumeReading();
                long closeDeadline = System.currentTimeMillis() + 10_000;
                while (slow.closedAfterReady.get() == 0 && System.currentTimeMillis() < closeDeadline) Thread.sleep(20);
                out.add(Figure.info(name, "slow subscriber closed by router", slow.closedAfterReady.get(), "sessions"));
                laggard.close();
            } else {
                double max = o.pacedRate() > 0 ? 0 : maxRate(out, subs, publishers, "deliveries/s", "at max");
                paced(out, subs, publishers, o.pacedRate() > 0 ? o.pacedRate() : o.rateFraction() * max);
            }
            out.add(Figure.info(name, "subscribers closed by router", subs.closedAfterReady.get(), "sessions"));
            String problems = subs.problems() + pubs.problems();
            if (!problems.isEmpty()) System.out.println("  [" + target.label() + "] " + name + ": " + problems);
        }
        return out;
    }

    /** The maximum rate, window-paced per topic; adds its figures and returns deliveries/s. */
    private double maxRate(List<Figure> out, Fleet subs, Publisher[] publishers, String figure, String when)
            throws InterruptedException {
        int topics = publishers.length;
        int window = Math.max(1, Math.min(o.windowEvents(), o.windowBytes() / (spec.payload() + 100)));
        int batch = Math.max(1, window / 10);
        AtomicBoolean stop = new AtomicBoolean();
        long[] base = new long[topics];
        for (int t = 0; t < topics; t++) base[t] = deliveredByTopic[t].sum();
        long[] published = new long[topics];
        Thread publisher = new Thread(() -> {
            while (!stop.get()) {
                long live = Math.max(1, subs.live() / topics);
                boolean any = false;
                for (int t = 0; t < topics && !stop.get(); t++) {
                    if (published[t] * live - (deliveredByTopic[t].sum() - base[t]) <= (long) (window - batch) * live) {
                        publishers[t].publish(batch);
                        published[t] += batch;
                        any = true;
                    }
                }
                if (!any) LockSupport.parkNanos(20_000);
            }
        }, "publisher-window");
        long totalBase = delivered.sum();
        publisher.start();
        Thread.sleep((long) (o.warmupSeconds() * 1000));
        long d0 = delivered.sum();
        ProcStats.Sample s0 = ProcStats.sample(target.pids());
        Thread.sleep((long) (o.durationSeconds() * 1000));
        long d1 = delivered.sum();
        ProcStats.Sample s1 = ProcStats.sample(target.pids());
        stop.set(true);
        publisher.join();
        double rate = (d1 - d0) / ((s1.wallNanos() - s0.wallNanos()) / 1e9);
        out.add(Figure.higher(name, figure, rate, "1/s"));
        out.add(Figure.info(name, "window", window, "events"));
        ProcStats.Cpu cpu = ProcStats.cpu(s0, s1);
        addCpu(out, name, when, cpu);
        addCpuPer(out, name, "delivery", cpu, rate);
        long expected = 0;
        for (long p : published) expected += p * Math.max(1, subs.live() / topics);
        drain(totalBase, expected);
        return rate;
    }

    /** Latency at a steady rate of deliveries/s, events round robin over the topics. */
    private void paced(List<Figure> out, Fleet subs, Publisher[] publishers, double deliveriesPerSecond)
            throws InterruptedException {
        int topics = publishers.length;
        double eventsPerSecond = Math.max(1, deliveriesPerSecond / Math.max(1, subs.live() / topics));
        AtomicBoolean stop = new AtomicBoolean();
        long paceStart = Wire.now();
        long pacedBase = delivered.sum();
        long[] pacedSent = {0};
        Thread paced = new Thread(() -> {
            long sent = 0;
            while (!stop.get()) {
                long now = Wire.now();
                // event k is due at paceStart + k / rate, so k + 1 events are due once that time has come
                long due = (long) ((now - paceStart) / 1e9 * eventsPerSecond) + 1 - sent;
                // One write per publisher for all its due events: with many topics, a write per event would make
                // the load generator, not the router, the bottleneck.
                double period = 1e9 / eventsPerSecond;
                for (int t = 0; t < topics && due > 0; t++) {
                    long first = sent + Math.floorMod(t - sent, (long) topics); // first due event k with k % topics == t
                    if (first >= sent + due) continue;
                    int count = (int) ((sent + due - 1 - first) / topics + 1);
                    publishers[t].publishScheduled(paceStart + (long) (first * period), topics * period, count);
                }
                if (due > 0) {
                    sent += due;
                    pacedSent[0] = sent;
                }
                LockSupport.parkNanos(Math.max(50_000, Math.min(200_000, (long) (1e9 / eventsPerSecond))));
            }
        }, "publisher-paced");
        paced.start();
        Thread.sleep((long) (Math.max(1, o.warmupSeconds() / 2) * 1000));
        latencyMicros.reset();
        recording = true;
        long e0 = delivered.sum();
        ProcStats.Sample p0 = ProcStats.sample(target.pids());
        Thread.sleep((long) (o.durationSeconds() * 1000));
        recording = false;
        long e1 = delivered.sum();
        ProcStats.Sample p1 = ProcStats.sample(target.pids());
        Histogram h = latencyMicros.getIntervalHistogram();
        stop.set(true);
        paced.join();
        drain(pacedBase, pacedSent[0] * Math.max(1, subs.live() / topics));
        out.add(Figure.info(name, "paced deliveries/s", (e1 - e0) / ((p1.wallNanos() - p0.wallNanos()) / 1e9), "1/s"));
        out.add(Figure.lower(name, "p50", h.getValueAtPercentile(50) / 1000.0, "ms"));
        out.add(Figure.lower(name, "p99", h.getValueAtPercentile(99) / 1000.0, "ms"));
        out.add(Figure.lower(name, "p99.9", h.getValueAtPercentile(99.9) / 1000.0, "ms"));
        out.add(Figure.info(name, "max", h.getMaxValue() / 1000.0, "ms"));
        addCpu(out, name, o.pacedRate() > 0 ? "paced" : "at " + Math.round(o.rateFraction() * 100) + "%", ProcStats.cpu(p0, p1));
    }

    /**
     * The router's CPU time per unit of work at that rate (its process's own CPU time over the interval, divided by
     * what it did): cost beside speed, comparable between routers and builds. Lower is better.
     */
    static void addCpuPer(List<Figure> out, String c, String unit, ProcStats.Cpu cpu, double rate) {
        if (cpu.router() >= 0 && rate > 0) {
            out.add(Figure.lower(c, "router CPU per " + unit, cpu.router() / 100 * 1e6 / rate, "µs"));
        }
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
    private void drain(long base, long expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000, lastProgress = System.currentTimeMillis(), last = -1;
        while (delivered.sum() - base < expected && System.currentTimeMillis() < deadline
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

    /** One publishing session and its topic; publish() is called by one thread at a time. */
    private final class Publisher {
        private final WampSession session;
        private final String topic;
        private final byte[] padding = Wire.padding(spec.payload());
        private final byte[] message = new byte[spec.payload() + 256];
        private long request = 1;
        private long seq;

        Publisher(Fleet fleet, Dialect d, String topic) throws InterruptedException {
            this.topic = topic;
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
        }

        /** Publishes count events in one write, stamped now. Blocks while much is queued unsent. */
        void publish(int count) {
            publishScheduled(-1, 0, count);
        }

        /**
         * Publishes count events in one write, stamped with their scheduled times first, first + interval, …; first
         * &lt; 0 stamps them with the time of sending. Blocks while much is queued unsent.
         */
        void publishScheduled(long first, double interval, int count) {
            Dialect d = spec.dialect();
            ByteBuffer b = ByteBuffer.allocate(count * (message.length + 14));
            for (int i = 0; i < count; i++) {
                long time = first < 0 ? Wire.now() : first + (long) (i * interval);
                int len = Wire.publish(d, message, request++, topic, time, seq++, padding);
                WsConnection.putFrame(b, d.binary ? 2 : 1, message, 0, len);
            }
            b.flip();
            session.conn.sendRaw(b);
            while (session.conn.queuedBytes() > (4 << 20) && session.conn.isOpen()) LockSupport.parkNanos(50_000);
        }
    }
}
