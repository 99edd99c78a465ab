package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.protocol.internal.JsonValues;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WAMP v1 peer for tests (subprotocol {@code wamp}, JSON text frames), over the JDK's WebSocket client. */
public final class V1Client implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final WebSocket ws;
  private final String sessionId;

  private V1Client(URI uri) {
    this.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).subprotocols("wamp")
        .buildAsync(uri, new Listener()).join();
    List<?> welcome = expect();
    if (!Integer.valueOf(0).equals(welcome.get(0))) {
      throw new AssertionError("expected WELCOME but got " + welcome);
    }
    this.sessionId = (String) welcome.get(1);
  }

  public static V1Client connect(Router router) {
    return new V1Client(router.uri());
  }

  public static V1Client connect(URI uri) {
    return new V1Client(uri);
  }

  public String sessionId() {
    return sessionId;
  }

  public void send(Object... elements) {
    ws.sendText(new String(JsonValues.write(List.of(elements)), StandardCharsets.UTF_8), true).join();
  }

  public void sendText(String text) {
    ws.sendText(text, true).join();
  }

  private int syncs;

  /**
   * Waits until the router has handled everything this client sent: a call to a procedure nobody registers is
   * answered in order, after the messages before it.
   */
  public void sync() {
    String id = "sync-" + (++syncs);
    send(2, id, "tollgate.test.sync");
    List<?> answer = expect();
    if (!answer.get(0).equals(4) || !answer.get(1).equals(id)) {
      throw new AssertionError("expected the CALLERROR of " + id + " but got " + answer);
    }
  }

  /** The next text frame, raw. */
  public String expectText() {
    String next = poll(5_000);
    assertNotNull(next, "nothing arrived within 5 s");
    return next;
  }

  /** The next frame, as a JSON list. */
  public List<?> expect() {
    String text = expectText();
    return (List<?>) JsonValues.read(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The next frame as a JSON list, or null when none arrives within {@code millis}. */
  public List<?> next(long millis) {
    String text = poll(millis);
    return text == null ? null : (List<?>) JsonValues.read(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  public void expectNothing(long millis) {
    String next = poll(millis);
    assertNull(next, "expected nothing but got " + next);
  }

  public int awaitClose() {
    try {
      return closeCode.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not closed within 5 s", e);
    }
  }

  private String poll(long millis) {
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
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        inbox.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.complete(1006);
    }
  }
}
