package dev.tollgate.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A raw RFC 6455 client connection (masked frames, no extensions) on an {@link NioLoop}: just enough WebSocket for a
 * load generator, so that the client side costs a small fraction of what the router spends.
 *
 * <p>Threading: reads, the handshake and every {@link Listener} callback run on the loop thread; {@link #send} may be
 * called from any thread (it writes at once when nothing is queued, otherwise queues and lets the loop flush). What
 * a callback sends while the loop handles a read is written in one gathering write when that read is done, as a
 * real client library would, so that the load generator spends few system calls per message.
 * A message arriving whole in one read is handed to the listener as a slice of the loop's read buffer, valid only
 * during the callback; a message split across reads is first gathered in this connection's carry-over buffer.
 */
final class WsConnection {
    /** What happens on a connection; all on the loop thread. */
    interface Listener {
        void onOpen(WsConnection c);

        void onMessage(WsConnection c, byte[] buf, int off, int len);

        void onClose(WsConnection c, String reason);
    }

    private static final int CONNECTING = 0, HANDSHAKE = 1, OPEN = 2, CLOSED = 3;

    final Target target;
    final String subprotocol;
    private final Listener listener;
    private NioLoop loop;
    private SocketChannel channel;
    private SelectionKey key;
    private volatile int state = CONNECTING;
    /** Inbound bytes not yet parsed; pending[0..pendingLength) is always the start of a frame (or of the HTTP reply). */
    private byte[] pending = new byte[0];
    private int pendingLength;
    private byte[] fragments = new byte[0];
    private int fragmentsLength;
    private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>(); // guarded by this
    private long queuedBytes; // guarded by this
    private boolean writeInterest; // guarded by this
    /** Set once a scenario stops this connection reading, to play a slow consumer. */
    private volatile boolean paused;
    /** True while the loop thread handles a read: its sends are gathered and written when the read is done. */
    private boolean reading; // loop thread only
    Object attachment;

    WsConnection(Target target, String subprotocol, Listener listener) {
        this.target = target;
        this.subprotocol = subprotocol;
        this.listener = listener;
    }

    void start(NioLoop loop, Selector selector) {
        this.loop = loop;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(new InetSocketAddress(target.host(), target.port()))) {
                key = channel.register(selector, SelectionKey.OP_READ, this);
                handshake();
            } else {
                key = channel.register(selector, SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException e) {
            closeNow("connect: " + e);
        }
    }

    boolean isOpen() {
        return state == OPEN;
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** Sends one data message (text or binary) in a single masked frame. */
    void send(byte[] payload, boolean binary) {
        ByteBuffer b = ByteBuffer.allocate(payload.length + 14);
        putFrame(b, binary ? 2 : 1, payload, 0, payload.length);
        b.flip();
        sendRaw(b);
    }

    /** Sends bytes already framed (e.g. a batch of frames built by {@link #putFrame}); takes ownership of b. */
    synchronized void sendRaw(ByteBuffer b) {
        if (state == CLOSED) return;
        if (Thread.currentThread() == loop && reading) {
            outbound.add(b);
            queuedBytes += b.remaining();
            return;
        }
        try {
            if (outbound.isEmpty()) {
                channel.write(b);
                if (!b.hasRemaining()) return;
            }
        } catch (IOException e) {
            loop.execute(() -> closeNow("write: " + e));
            return;
        }
        outbound.add(b);
        queuedBytes += b.remaining();
        if (!writeInterest) {
            writeInterest = true;
            loop.execute(() -> {
                if (key.isValid()) key.interestOps(readInterest() | SelectionKey.OP_WRITE);
            });
        }
    }

    void close() {
        loop.execute(() -> closeNow("closed by load generator"));
    }

    /** From now on nothing more is read: the router's writes back up into the socket buffers, then into the router. */
    void pauseReading() {
        paused = true;
        loop.execute(() -> {
            if (key.isValid()) key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        });
    }

    /** Reads again, after {@link #pauseReading}: what the router sent meanwhile, or that it closed the connection. */
    void resumeReading() {
        paused = false;
        loop.execute(() -> {
            if (key.isValid()) key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        });
    }

    private int readInterest() {
        return paused ? 0 : SelectionKey.OP_READ;
    }

    /** Runs task on this connection's loop thread. */
    void execute(Runnable task) {
        loop.execute(task);
    }

    void ready(SelectionKey k) {
        try {
            if (k.isConnectable()) {
                channel.finishConnect();
                k.interestOps(SelectionKey.OP_READ);
                handshake();
            }
            if (k.isValid() && k.isWritable()) flush();
            if (k.isValid() && k.isReadable() && !paused) {
                reading = true;
                try {
                    read();
                } finally {
                    reading = false;
                }
                if (state != CLOSED) flushGathered();
            }
        } catch (IOException e) {
            closeNow(e.toString());
        }
    }

    void closeNow(String reason) {
        if (state == CLOSED) return;
        state = CLOSED;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        listener.onClose(this, reason);
    }

    private void handshake() {
        state = HANDSHAKE;
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String req = "GET " + target.path() + " HTTP/1.1\r\nHost: " + target.host() + ":" + target.port()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: "
                + subprotocol + "\r\n\r\n";
        sendRaw(ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
    }

    private synchronized void flush() throws IOException {
        writeQueued();
        if (outbound.isEmpty()) {
            writeInterest = false;
            key.interestOps(readInterest());
        }
    }

    /** Writes what the callbacks of a read sent, unless the loop already waits to flush this connection. */
    private synchronized void flushGathered() throws IOException {
        if (writeInterest || outbound.isEmpty()) return;
        writeQueued();
        if (!outbound.isEmpty()) {
            writeInterest = true;
            key.interestOps(readInterest() | SelectionKey.OP_WRITE);
        }
    }

    /** Writes as much of the queue as the socket takes, in gathering writes. */
    private void writeQueued() throws IOException {
        while (!outbound.isEmpty()) {
            long n = channel.write(outbound.toArray(new ByteBuffer[0]));
            queuedBytes -= n;
            while (!outbound.isEmpty() && !outbound.peek().hasRemaining()) outbound.poll();
            if (n == 0) return;
        }
    }

    private void read() throws IOException {
        ByteBuffer rb = loop.readBuffer;
        byte[] arr = loop.readArray;
        for (int round = 0; round < 8 && state != CLOSED; round++) {
            rb.clear();
            int n = channel.read(rb);
            if (n < 0) {
                closeNow("EOF from router");
                return;
            }
            if (n == 0) return;
            rb.flip();
            if (pendingLength == 0) {
                rb.get(arr, 0, n);
                consume(arr, n, false);
            } else {
                if (pendingLength + n > pending.length) pending = Arrays.copyOf(pending, Math.max(2 * pending.length, pendingLength + n));
                rb.get(pending, pendingLength, n);
                pendingLength += n;
                consume(pending, pendingLength, true);
            }
            if (n < rb.capacity()) return;
        }
    }

    private void consume(byte[] buf, int end, boolean fromPending) throws IOException {
        int off = 0;
        if (state == HANDSHAKE) {
            int headerEnd = -1;
            for (int i = 3; i < end; i++) {
                if (buf[i - 3] == '\r' && buf[i - 2] == '\n' && buf[i - 1] == '\r' && buf[i] == '\n') {
                    headerEnd = i + 1;
                    break;
                }
            }
            if (headerEnd < 0) {
                keep(buf, 0, end, fromPending);
                return;
            }
            String head = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 101")) {
                closeNow("handshake refused: " + head.lines().findFirst().orElse(""));
                return;
            }
            state = OPEN;
            off = headerEnd;
            listener.onOpen(this);
        }
        while (end - off >= 2 && state == OPEN) {
            int b0 = buf[off] & 0xff, b1 = buf[off + 1] & 0xff;
            int l7 = b1 & 0x7f;
            int h = 2 + (l7 == 126 ? 2 : l7 == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
            if (end - off < h) break;
            long len = l7;
            if (l7 == 126) len = ((buf[off + 2] & 0xff) << 8) | (buf[off + 3] & 0xff);
            else if (l7 == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) len = (len << 8) | (buf[off + 2 + i] & 0xff);
            }
            if (len > 64L * 1024 * 1024) {
                closeNow("frame too large: " + len);
                return;
            }
            if (end - off < h + len) break;
            if ((b1 & 0x80) != 0) { // servers must not mask; unmask anyway
                int m = off + h - 4;
                for (int i = 0; i < len; i++) buf[off + h + i] ^= buf[m + (i & 3)];
            }
            frame(b0 & 0x0f, (b0 & 0x80) != 0, buf, off + h, (int) len);
            off += h + (int) len;
        }
        if (state == CLOSED) return;
        keep(buf, off, end, fromPending);
    }

    private void keep(byte[] buf, int off, int end, boolean fromPending) {
        int rest = end - off;
        if (rest > 0) {
            if (fromPending) System.arraycopy(pending, off, pending, 0, rest);
            else {
                if (rest > pending.length) pending = new byte[Math.max(rest, 4096)];
                System.arraycopy(buf, off, pending, 0, rest);
            }
        }
        pendingLength = rest;
    }

    private void frame(int opcode, boolean fin, byte[] buf, int off, int len) {
        switch (opcode) {
            case 1, 2 -> {
                if (fin) listener.onMessage(this, buf, off, len);
                else append(buf, off, len, true);
            }
            case 0 -> {
                append(buf, off, len, false);
                if (fin) {
                    listener.onMessage(this, fragments, 0, fragmentsLength);
                    fragmentsLength = 0;
                }
            }
            case 9 -> {
                ByteBuffer b = ByteBuffer.allocate(len + 14);
                putFrame(b, 0xA, buf, off, len);
                b.flip();
                sendRaw(b);
            }
            case 8 -> {
                String why = len >= 2 ? "close " + (((buf[off] & 0xff) << 8) | (buf[off + 1] & 0xff)) + " "
                        + new String(buf, off + 2, len - 2, StandardCharsets.UTF_8) : "close";
                closeNow(why);
            }
            default -> { } // pong: ignore
        }
    }

    private void append(byte[] buf, int off, int len, boolean first) {
        if (first) fragmentsLength = 0;
        if (fragmentsLength + len > fragments.length) fragments = Arrays.copyOf(fragments, Math.max(2 * fragments.length, fragmentsLength + len));
        System.arraycopy(buf, off, fragments, fragmentsLength, len);
        fragmentsLength += len;
    }

    /** Appends one masked client frame to dst (which needs len + 14 bytes free). */
    static void putFrame(ByteBuffer dst, int opcode, byte[] payload, int off, int len) {
        dst.put((byte) (0x80 | opcode));
        if (len < 126) dst.put((byte) (0x80 | len));
        else if (len < 65536) {
            dst.put((byte) (0x80 | 126));
            dst.putShort((short) len);
        } else {
            dst.put((byte) (0x80 | 127));
            dst.putLong(len);
        }
        int mask = ThreadLocalRandom.current().nextInt();
        dst.putInt(mask);
        byte m0 = (byte) (mask >>> 24), m1 = (byte) (mask >>> 16), m2 = (byte) (mask >>> 8), m3 = (byte) mask;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            dst.put((byte) (payload[off + i] ^ m0));
            dst.put((byte) (payload[off + i + 1] ^ m1));
            dst.put((byte) (payload[off + i + 2] ^ m2));
            dst.put((byte) (payload[off + i + 3] ^ m3));
        }
        byte[] m = {m0, m1, m2, m3};
        for (; i < len; i++) dst.put((byte) (payload[off + i] ^ m[i & 3]));
    }
}
