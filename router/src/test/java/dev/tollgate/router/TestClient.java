package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.Welcome;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WAMP peer for tests over a real WebSocket (the JDK's client): sends messages, and lets a test expect exactly
 * what arrives, in order. Not a WAMP client library: it does only what a test says.
 */
public final class TestClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long WAIT_MS = 5_000;

  private final Serializer serializer;
  private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final WebSocket ws;
  private volatile String closeReason;
  private final boolean reading;

  private TestClient(URI uri, Serializer serializer, List<String> offer, boolean reading) {
    this.serializer = serializer;
    this.reading = reading;
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    b.subprotocols(offer.get(0), offer.subList(1, offer.size()).toArray(String[]::new));
    this.ws = b.buildAsync(uri, new Listener()).join();
  }

  /** Connects to any URL, e.g. the router's with {@code ?ticket=…}. */
  public static TestClient connect(URI uri, Serializer serializer) {
    return new TestClient(uri, serializer, List.of(serializer.subprotocol()), true);
  }

  public static TestClient connect(Router router, Serializer serializer) {
    return new TestClient(router.uri(), serializer, List.of(serializer.subprotocol()), true);
  }

  /** A client that reads one message (the WELCOME) and then nothing: the router's writes to it pile up. */
  public static TestClient connectNotReading(Router router, Serializer serializer) {
    return new TestClient(router.uri(), serializer, List.of(serializer.subprotocol()), false);
  }

  public static TestClient connectOffering(Router router, Serializer expected, List<String> offer) {
    return new TestClient(router.uri(), expected, offer, true);
  }

  public String subprotocol() {
    return ws.getSubprotocol();
  }

  /** The four client roles, as HELLO.Details.roles. */
  public static final Map<String, Object> ROLES = Map.of(
      "publisher", Map.of(), "subscriber", Map.of(), "caller", Map.of(), "callee", Map.of());

  /** HELLO with the four client roles, and the WELCOME that must answer it. */
  public Welcome join(String realm) {
    send(new Hello(realm, Map.of("roles", ROLES)));
    return expect(Welcome.class);
  }

  public void send(WampMessage message) {
    byte[] bytes = serializer.codec().encode(message);
    if (serializer.binary()) {
      ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    } else {
      ws.sendText(new String(bytes, StandardCharsets.UTF_8), true).join();
    }
  }

  public void sendText(String text) {
    ws.sendText(text, true).join();
  }

  public void sendBinary(byte[] bytes) {
    ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** The next message, which must be of {@code type}. */
  public <T extends WampMessage> T expect(Class<T> type) {
    T next = poll(type, WAIT_MS);
    assertNotNull(next, "expected " + type.getSimpleName() + " but nothing arrived within " + WAIT_MS + " ms");
    return next;
  }

  /** The next message if one arrives within {@code millis} (it must be of {@code type}), else null. */
  public <T extends WampMessage> T poll(Class<T> type, long millis) {
    Object next = poll(millis);
    if (next == null) {
      return null;
    }
    if (next instanceof Throwable t) {
      throw new AssertionError("expected " + type.getSimpleName() + " but the message did not decode", t);
    }
    return assertInstanceOf(type, next, "expected " + type.getSimpleName() + " but got " + next);
  }

  /** Asserts that nothing arrives for {@code millis}. */
  public void expectNothing(long millis) {
    Object next = poll(millis);
    assertNull(next, "expected nothing but got " + next);
  }

  /** Waits for the router to close the connection and returns its close code. */
  public int awaitClose() {
    try {
      return closeCode.get(WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the router did not close the connection within " + WAIT_MS + " ms", e);
    }
  }

  public String closeReason() {
    return closeReason;
  }

  public boolean isClosed() {
    return closeCode.isDone();
  }

  private Object poll(long millis) {
    try {
      return inbox.poll(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (!closeCode.isDone()) {
      ws.abort();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      return onData(webSocket, ByteBuffer.wrap(data.toString().getBytes(StandardCharsets.UTF_8)), last);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      return onData(webSocket, data, last);
    }

    private CompletionStage<?> onData(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      partial.write(chunk, 0, chunk.length);
      if (last) {
        byte[] whole = partial.toByteArray();
        partial.reset();
        try {
          inbox.add(serializer.codec().decode(ByteBuffer.wrap(whole)));
        } catch (RuntimeException e) {
          inbox.add(e);
        }
      }
      if (reading || !last) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeReason = reason;
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.complete(1006);
    }
  }

  /** Compact assertion of an ERROR's URI. */
  public static void assertError(dev.tollgate.protocol.ErrorMessage error, int requestType, long requestId, String uri) {
    assertEquals(uri, error.error(), "error URI; message: " + error.payload().args());
    assertEquals(requestType, error.requestType());
    assertEquals(requestId, error.requestId());
  }
}
