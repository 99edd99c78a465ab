package dev.tollgate.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A group of sessions of one role (subscribers, callers…) spread round robin over its own {@link NioLoop}s, opened
 * with at most {@code concurrency} handshakes in flight so that a burst of connects is not refused.
 *
 * <p>Lifecycle: created per scenario run, {@link #close()}d at its end, which closes every session and stops the
 * loops. Counters are safe from any thread.
 */
final class Fleet implements AutoCloseable {
    private final NioLoop[] loops;
    private final Semaphore setup;
    private final List<WampSession> sessions = new ArrayList<>();
    final AtomicInteger ready = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger closedAfterReady = new AtomicInteger();
    final AtomicLong unexpected = new AtomicLong();
    private volatile String firstFailure;
    private volatile String firstClose;
    private volatile String firstUnexpected;

    /** Its role, which decides where its sessions connect on a router of several nodes ({@link Target#at}). */
    private final String name;

    Fleet(String name, int threads, int concurrency) {
        this.name = name;
        loops = new NioLoop[threads];
        for (int i = 0; i < threads; i++) loops[i] = new NioLoop(name + "-" + i);
        setup = new Semaphore(concurrency);
    }

    /** Connects a new session; blocks while {@code concurrency} sessions are still being set up. */
    WampSession open(Target target, Dialect dialect, String realm, WampSession.Handler handler) throws InterruptedException {
        if (!setup.tryAcquire(30, TimeUnit.SECONDS)) throw new IllegalStateException("session setup stalled for 30 s");
        WampSession s = new WampSession(this, sessions.size(), target.at(name, sessions.size()), dialect, realm, handler);
        loops[sessions.size() % loops.length].connect(s.conn);
        sessions.add(s);
        return s;
    }

    List<WampSession> sessions() {
        return sessions;
    }

    /** Called by a scenario (on the loop thread) when the session finished its setup. */
    void markReady(WampSession s) {
        if (s.ready) return;
        s.ready = true;
        ready.incrementAndGet();
        setup.release();
    }

    void closed(WampSession s, String reason) {
        if (s.ready) {
            closedAfterReady.incrementAndGet();
            if (firstClose == null) firstClose = reason;
        } else {
            s.ready = true; // counted once
            failed.incrementAndGet();
            if (firstFailure == null) firstFailure = reason;
            setup.release();
        }
    }

    void noteUnexpected(String what) {
        unexpected.incrementAndGet();
        if (firstUnexpected == null) firstUnexpected = what;
    }

    int live() {
        return ready.get() - closedAfterReady.get();
    }

    /** Waits until every opened session is ready or failed; true if all are ready. */
    boolean awaitSetup(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (ready.get() + failed.get() < sessions.size()) {
            if (System.currentTimeMillis() > deadline) return false;
            Thread.sleep(5);
        }
        return failed.get() == 0;
    }

    /** One line on what went wrong, or "" if nothing did. */
    String problems() {
        StringBuilder b = new StringBuilder();
        if (failed.get() > 0) b.append(failed.get()).append(" failed setup (first: ").append(firstFailure).append("); ");
        if (closedAfterReady.get() > 0) b.append(closedAfterReady.get()).append(" closed by the router (first: ").append(firstClose).append("); ");
        if (unexpected.get() > 0) b.append(unexpected.get()).append(" unexpected messages (first: ").append(firstUnexpected).append("); ");
        return b.toString();
    }

    @Override
    public void close() {
        for (NioLoop l : loops) l.shutdown();
    }
}
