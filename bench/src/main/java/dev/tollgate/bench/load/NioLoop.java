package dev.tollgate.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread driving many {@link WsConnection}s.
 *
 * <p>Lifecycle: started by the constructor, stopped by {@link #shutdown()}, which closes every connection it owns.
 * Threading: every read and every listener callback of its connections runs on this thread; other threads hand it
 * work through {@link #execute(Runnable)}. One 256 KiB read buffer is shared by all its connections.
 */
final class NioLoop extends Thread {
    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<WsConnection> connections = new ArrayList<>(); // only touched on this thread
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    final byte[] readArray = new byte[256 * 1024];
    private volatile boolean running = true;

    NioLoop(String name) {
        super(name);
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        setDaemon(true);
        start();
    }

    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    void connect(WsConnection c) {
        execute(() -> {
            connections.add(c);
            c.start(this, selector);
        });
    }

    /** Closes every connection and ends the thread; waits up to 5 s for it. */
    void shutdown() {
        execute(() -> {
            for (WsConnection c : connections) c.closeNow("load generator shutdown");
            running = false;
        });
        try {
            join(5000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select();
                Runnable r;
                while ((r = tasks.poll()) != null) r.run();
                for (SelectionKey k : selector.selectedKeys()) {
                    if (k.isValid()) ((WsConnection) k.attachment()).ready(k);
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                System.err.println(getName() + ": " + e);
            }
        }
    }
}
