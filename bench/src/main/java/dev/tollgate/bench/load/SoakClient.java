package dev.tollgate.bench.load;

import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One short-lived WAMP v2 JSON session on the JDK's WebSocket client, used step by step (send, then wait for what
 * comes back): what the soak's churn needs, where each session lives for a handful of messages. The throughput
 * scenarios use the NIO {@link WsConnection} instead.
 *
 * <p>Threading: {@link #send} and {@link #next} from one thread at a time; messages arrive on the HTTP client's.
 */
final class SoakClient implements WebSocket.Listener, AutoCloseable {
    private static final Object CLOSED = new Object();

    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;

    private SoakClient() {
    }

    static SoakClient connect(HttpClient http, URI uri, Duration timeout) throws Exception {
        SoakClient c = new SoakClient();
        c.socket = http.newWebSocketBuilder().connectTimeout(timeout).subprotocols(Serializer.JSON.subprotocol())
                .buildAsync(uri, c).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return c;
    }

    void send(WampMessage message) {
        socket.sendText(new String(Serializer.JSON.codec().encode(message), java.nio.charset.StandardCharsets.UTF_8), true)
                .join();
    }

    /** The next message, within {@code timeout}; fails if none comes or the connection ends. */
    WampMessage next(Duration timeout) throws InterruptedException {
        Object m = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new IllegalStateException("no message within " + timeout.toMillis() + " ms");
        }
        if (m == CLOSED) {
            inbox.add(CLOSED);
            throw new IllegalStateException("the router closed the connection");
        }
        return (WampMessage) m;
    }

    <T extends WampMessage> T expect(Class<T> type, Duration timeout) throws InterruptedException {
        WampMessage m = next(timeout);
        if (!type.isInstance(m)) {
            throw new IllegalStateException("expected " + type.getSimpleName() + " but got " + m);
        }
        return type.cast(m);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            inbox.add(Serializer.JSON.codec().decode(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        inbox.add(CLOSED);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        inbox.add(CLOSED);
    }

    /** A close handshake (waiting up to 2 s for the router's side), then the connection is dropped in any case. */
    @Override
    public void close() throws InterruptedException {
        WebSocket s = socket;
        if (s == null) {
            return;
        }
        if (!s.isOutputClosed()) {
            s.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!s.isInputClosed() && System.nanoTime() < deadline && !inbox.contains(CLOSED)) {
            Thread.sleep(5);
        }
        s.abort();
    }
}
