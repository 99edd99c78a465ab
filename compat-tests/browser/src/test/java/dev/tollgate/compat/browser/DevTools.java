package dev.tollgate.compat.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Chrome DevTools protocol, as much as a test needs to use a page as a person does: real mouse clicks at an
 * element's place, real typing into the focused element, script to read the page, and screenshots. Chromium's own
 * protocol, over a WebSocket to the page, so nothing but chromium is needed (no driver, no npm package).
 *
 * <p>Lifecycle: {@link #attach} connects to the first page of a chromium started by
 * {@link HeadlessChromium#openDriven}; {@link #close} disconnects. One command at a time; not thread-safe.
 */
final class DevTools implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);

  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private DevTools(WebSocket socket) {
    this.socket = socket;
  }

  /** Connects to the page chromium opened, waiting up to {@code within} for it to listen. */
  static DevTools attach(HeadlessChromium chromium, Duration within) throws Exception {
    int port = chromium.devToolsPort(within);
    HttpClient http = HttpClient.newHttpClient();
    JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
        .build(), HttpResponse.BodyHandlers.ofString()).body());
    for (JsonNode target : targets) {
      if (target.path("type").asText().equals("page")) {
        Listener listener = new Listener();
        WebSocket socket = http.newWebSocketBuilder()
            .buildAsync(URI.create(target.path("webSocketDebuggerUrl").asText()), listener).get(10, TimeUnit.SECONDS);
        DevTools devTools = new DevTools(socket);
        listener.owner = devTools;
        return devTools;
      }
    }
    throw new IllegalStateException("chromium shows no page: " + targets);
  }

  /** Sends a command and waits for its answer's {@code result}; a protocol error is thrown. */
  JsonNode send(String method, Map<String, Object> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
    command.set("params", JSON.valueToTree(params));
    socket.sendText(command.toString(), true).join();
    JsonNode reply;
    try {
      reply = answer.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(method + " got no answer", e);
    } finally {
      pending.remove(id);
    }
    if (reply.has("error")) {
      throw new IllegalStateException(method + " failed: " + reply.get("error"));
    }
    return reply.path("result");
  }

  /** The value of a script expression in the page (a promise is awaited); a thrown error is thrown here. */
  JsonNode eval(String expression) {
    JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
        "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("the page threw for " + expression + ": " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /**
   * Waits until the expression is truthy in the page; one that throws (the page not loaded yet) is tried again. Fails
   * naming it and what it last was.
   */
  JsonNode waitFor(String expression, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      JsonNode value;
      try {
        value = eval(expression);
      } catch (IllegalStateException threw) {
        last = threw.getMessage();
        Thread.sleep(100);
        continue;
      }
      last = value;
      // JavaScript's falsy values, as they come back by value (an element comes back as {}, which is truthy)
      if (!(value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isEmpty())
          || (value.isBoolean() && !value.asBoolean()) || (value.isNumber() && value.asDouble() == 0))) {
        return value;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the page did not come to " + expression + " within " + within + " (last: " + last + ")");
  }

  /** A left click at the middle of the first element {@code selector} finds, scrolled into view, as a mouse does. */
  void click(String selector) {
    JsonNode box = eval("(() => { const e = document.querySelector(" + JSON.valueToTree(selector) + ");"
        + " if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
        + " return {x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width}; })()");
    if (box.isNull() || box.isMissingNode() || box.path("w").asDouble() == 0) {
      throw new AssertionError("nothing visible to click at " + selector);
    }
    double x = box.path("x").asDouble();
    double y = box.path("y").asDouble();
    send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
    send("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "clickCount", 1));
    send("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "clickCount", 1));
  }

  /** Clicks into the element and types {@code text} as keyboard input (after selecting what it held, to replace it). */
  void type(String selector, String text) {
    click(selector);
    eval("document.querySelector(" + JSON.valueToTree(selector) + ").select()");
    send("Input.insertText", Map.of("text", text));
  }

  /** The page as a PNG, at the window's size. */
  byte[] screenshot() {
    return Base64.getDecoder().decode(send("Page.captureScreenshot", Map.of("format", "png")).path("data").asText());
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
  }

  private void received(String text) {
    try {
      JsonNode message = JSON.readTree(text);
      if (message.has("id")) {
        CompletableFuture<JsonNode> answer = pending.get(message.get("id").asInt());
        if (answer != null) {
          answer.complete(message);
        }
      }
      // events (no id) are not subscribed to, and so not sent
    } catch (Exception e) {
      pending.values().forEach(p -> p.completeExceptionally(e));
    }
  }

  /** Puts a message's fragments together; answers may be large (screenshots). */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private volatile DevTools owner;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        owner.received(message);
      }
      webSocket.request(1);
      return null;
    }
  }
}
