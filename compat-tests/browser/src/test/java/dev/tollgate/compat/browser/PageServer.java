package dev.tollgate.compat.browser;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The test's side of the page, on its own port of 127.0.0.1 (so the page's origin is not the router's): it serves
 * {@code page.html} and its scripts from the test resources, collects what the page reports ({@code POST /report},
 * one JSON object with a {@code step}) and hands the page the test's commands ({@code GET /command}, long-polled).
 *
 * <p>Reports are read in the order the page sent them. A {@code page-error} report (an uncaught error or rejection
 * in the page) fails the waiting test at once.
 */
final class PageServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCES = "/dev/tollgate/compat/browser/";
  private static final List<String> FILES = List.of("page.html", "page.js", "autobahn-0.8.2-behaviour.js",
      "gos-socket-behaviour.js", "oro-sync-wamp-behaviour.js");
  /** How long a GET /command waits for a command before answering "none", so the page asks again. */
  private static final long COMMAND_POLL_SECONDS = 20;

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final LinkedBlockingQueue<Map<String, Object>> reports = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Map<String, Object>> commands = new LinkedBlockingQueue<>();
  /** Every report taken so far, for failure messages. */
  private final List<Map<String, Object>> seen = new ArrayList<>();

  PageServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.setExecutor(threads);
    server.createContext("/", this::serve);
    server.start();
  }

  /** The page's URL, with the query its script reads. */
  String pageUrl(String query) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/page.html?" + query;
  }

  /** Queues a command for the page: {@code name} and its arguments. */
  void command(String name, Map<String, Object> arguments) {
    Map<String, Object> command = new java.util.LinkedHashMap<>(arguments);
    command.put("name", name);
    commands.add(command);
  }

  /**
   * The next report of {@code step} that satisfies {@code matching}; reports before it are skipped (they stay in
   * the failure message).
   */
  Map<String, Object> await(String step, Predicate<Map<String, Object>> matching, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    try {
      for (;;) {
        Map<String, Object> report = reports.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (report == null) {
          return fail("no '" + step + "' report within " + within.toSeconds() + " s; reports so far: " + seen);
        }
        seen.add(report);
        if (report.get("step").equals("page-error")) {
          return fail("the page failed: " + report.get("message") + "; reports so far: " + seen);
        }
        if (report.get("step").equals(step) && matching.test(report)) {
          return report;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  Map<String, Object> await(String step, Duration within) {
    return await(step, report -> true, within);
  }

  /** The reports taken so far, oldest first. */
  List<Map<String, Object>> seen() {
    return List.copyOf(seen);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/report") && exchange.getRequestMethod().equals("POST")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> report = JSON.readValue(exchange.getRequestBody(), Map.class);
        reports.add(report);
        exchange.sendResponseHeaders(204, -1);
      } else if (path.equals("/command")) {
        Map<String, Object> command = commands.poll(COMMAND_POLL_SECONDS, TimeUnit.SECONDS);
        reply(exchange, "application/json", JSON.writeValueAsBytes(command == null ? Map.of("name", "none") : command));
      } else if (FILES.contains(path.substring(1))) {
        String file = path.substring(1);
        reply(exchange, file.endsWith(".html") ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8",
            resource(file));
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(HttpExchange exchange, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  private static byte[] resource(String file) {
    try (InputStream in = PageServer.class.getResourceAsStream(RESOURCES + file)) {
      if (in == null) {
        throw new IllegalStateException("test resource missing: " + RESOURCES + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    commands.add(Map.of("name", "done"));
    server.stop(0);
    threads.shutdownNow();
  }
}
