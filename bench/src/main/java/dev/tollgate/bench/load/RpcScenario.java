package dev.tollgate.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * RPC: C callers, K callees. Either callee k registers its own procedure and caller c spreads its calls round robin
 * over the K procedures, or (shared) all K register one procedure with {@code invoke: roundrobin} and the router
 * spreads the calls. Each caller keeps {@code window} calls outstanding (a closed loop: each RESULT sends the next
 * CALL). Callees YIELD an empty result at once. Figures: calls/s over the measured interval, and call→result latency
 * p50/p99/p99.9 at that (maximum) load.
 */
final class RpcScenario {
    record Spec(Dialect dialect, int callers, int callees, int window, boolean shared) {
        String name() {
            return "rpc " + dialect.serializerName() + " " + callers + ":" + callees + (shared ? " shared" : "")
                    + " w=" + window;
        }
    }

    private static final int RING = 1 << 16;
    private final Target target;
    private final Spec spec;
    private final Options o;
    private final String prefix = "bench.rpc.t" + System.nanoTime() % 1_000_000 + ".";
    private final LongAdder completed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Recorder latencyMicros = new Recorder(60_000_000L, 3);
    private volatile boolean recording;
    private volatile boolean stop;

    /** Per-caller state, touched on its loop thread only. */
    private static final class CallerState {
        final long[] sentAt = new long[RING];
        long nextRequest = 1;
    }

    RpcScenario(Target target, Spec spec, Options o) {
        this.target = target;
        this.spec = spec;
        this.o = o;
    }

    List<Figure> run() throws Exception {
        Dialect d = spec.dialect();
        String c = spec.name();
        List<Figure> out = new ArrayList<>();
        try (Fleet callees = new Fleet("callee", 1, o.concurrency()); Fleet callers = new Fleet("caller", o.threads(), o.concurrency())) {
            WampSession.Handler callee = new WampSession.Handler() {
                @Override
                public void onWelcome(WampSession s) {
                    s.send(spec.shared() ? Wire.register(d, 1, prefix + "shared", "roundrobin")
                            : Wire.register(d, 1, prefix + s.index, null));
                }

                @Override
                public void onMessage(WampSession s, int type, byte[] b, int off, int len) {
                    if (type == Wire.INVOCATION) s.send(Wire.yield(d, Wire.element(d, b, off, len, 1)));
                    else if (type == Wire.REGISTERED) callees.markReady(s);
                    else callees.noteUnexpected(Wire.text(d, b, off, len));
                }
            };
            for (int k = 0; k < spec.callees(); k++) callees.open(target, d, o.realm(), callee);
            if (!callees.awaitSetup(30_000)) throw new IllegalStateException("callee setup: " + callees.problems());

            CallerState[] states = new CallerState[spec.callers()];
            WampSession.Handler caller = new WampSession.Handler() {
                @Override
                public void onWelcome(WampSession s) {
                    states[s.index] = new CallerState();
                    callers.markReady(s);
                }

                @Override
                public void onMessage(WampSession s, int type, byte[] b, int off, int len) {
                    if (type == Wire.RESULT || type == Wire.ERROR) {
                        CallerState st = states[s.index];
                        if (type == Wire.ERROR) {
                            errors.increment();
                            callers.noteUnexpected(Wire.text(d, b, off, len));
                        } else {
                            long req = Wire.element(d, b, off, len, 1);
                            completed.increment();
                            if (recording) {
                                long micros = (Wire.now() - st.sentAt[(int) (req & (RING - 1))]) / 1000;
                                latencyMicros.recordValue(Math.min(Math.max(micros, 0), 60_000_000L));
                            }
                        }
                        if (!stop) call(s, st);
                    } else {
                        callers.noteUnexpected(Wire.text(d, b, off, len));
                    }
                }
            };
            for (int i = 0; i < spec.callers(); i++) callers.open(target, d, o.realm(), caller);
            if (!callers.awaitSetup(30_000)) throw new IllegalStateException("caller setup: " + callers.problems());

            for (WampSession s : callers.sessions()) {
                s.conn.execute(() -> {
                    for (int w = 0; w < spec.window(); w++) call(s, states[s.index]);
                });
            }
            Thread.sleep((long) (o.warmupSeconds() * 1000));
            latencyMicros.reset();
            recording = true;
            long n0 = completed.sum();
            ProcStats.Sample s0 = ProcStats.sample(target.pids());
            Thread.sleep((long) (o.durationSeconds() * 1000));
            long n1 = completed.sum();
            ProcStats.Sample s1 = ProcStats.sample(target.pids());
            recording = false;
            Histogram h = latencyMicros.getIntervalHistogram();
            stop = true;
            Thread.sleep(300);
            double rate = (n1 - n0) / ((s1.wallNanos() - s0.wallNanos()) / 1e9);
            out.add(Figure.higher(c, "calls/s", rate, "1/s"));
            out.add(Figure.lower(c, "p50", h.getValueAtPercentile(50) / 1000.0, "ms"));
            out.add(Figure.lower(c, "p99", h.getValueAtPercentile(99) / 1000.0, "ms"));
            out.add(Figure.lower(c, "p99.9", h.getValueAtPercentile(99.9) / 1000.0, "ms"));
            out.add(Figure.info(c, "errors", errors.sum(), "calls"));
            ProcStats.Cpu cpu = ProcStats.cpu(s0, s1);
            FanoutScenario.addCpu(out, c, "at max", cpu);
            FanoutScenario.addCpuPer(out, c, "call", cpu, rate);
            String problems = callees.problems() + callers.problems();
            if (!problems.isEmpty()) System.out.println("  [" + target.label() + "] " + c + ": " + problems);
        }
        return out;
    }

    private void call(WampSession s, CallerState st) {
        long req = st.nextRequest++;
        st.sentAt[(int) (req & (RING - 1))] = Wire.now();
        s.send(Wire.call(spec.dialect(), req, spec.shared() ? prefix + "shared" : prefix + (s.index + req) % spec.callees()));
    }
}
