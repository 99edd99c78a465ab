package dev.tollgate.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of the test's own (Debian's {@code redis-server}, which {@code .ci/run} installs): on 127.0.0.1 and
 * a free port, keeping nothing on disk, stopped and started again on the same port as the test needs (a Redis
 * restart under the nodes), and stopped at the end.
 */
public final class LocalRedis implements AutoCloseable {
  private static final Path SERVER = Path.of("/usr/bin/redis-server");

  private final int port;
  private Process process;

  private LocalRedis(int port) {
    this.port = port;
  }

  /** Starts a server; fails loudly when Redis is not installed. */
  public static LocalRedis start() throws Exception {
    if (!Files.isExecutable(SERVER)) {
      throw new IllegalStateException("Redis is not installed (no " + SERVER + "): run .ci/run, or apt-get install"
          + " redis-server");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    LocalRedis redis = new LocalRedis(port);
    redis.up();
    return redis;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Starts the server (again) and returns once it answers PING. */
  public void up() throws Exception {
    process = new ProcessBuilder(List.of(SERVER.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server ended at once on port " + port);
      }
      if (command("PING").equals("+PONG")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("redis-server did not answer PING within 10 s");
  }

  /** Stops the server at once (SIGKILL: as a crash ends it). */
  public void down() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** One inline command's first reply line ("" when the server cannot be reached). */
  public String command(String inline) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(2_000);
      OutputStream out = s.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      down();
    }
  }
}
