package dev.tollgate.router;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An nginx of the test's own (Debian's {@code nginx}, which {@code .ci/run} installs): in the foreground, one worker,
 * every file under the test's directory, serving what {@code http} holds (where {@code PORT} stands for its free
 * port on 127.0.0.1); stopped at the end.
 */
final class LocalNginx implements AutoCloseable {
  private static final Path NGINX = Path.of("/usr/sbin/nginx");

  private final Process process;
  private final int port;

  private LocalNginx(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts nginx with {@code http} as its http block's content; returns once it listens. */
  static LocalNginx start(Path dir, String http) throws Exception {
    if (!Files.isExecutable(NGINX)) {
      throw new IllegalStateException("nginx is not installed: apt-get install nginx (.ci/run does)");
    }
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Files.createDirectories(dir.resolve("logs"));
    Files.writeString(dir.resolve("nginx.conf"), """
        daemon off;
        master_process off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/logs/error.log;
        events { worker_connections 512; }
        http {
          access_log off;
          client_body_temp_path %1$s/client_body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
        """.formatted(dir) + http.replace("PORT", Integer.toString(port)) + "\n}\n");
    Process process = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c",
        dir.resolve("nginx.conf").toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return new LocalNginx(process, port);
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new AssertionError("nginx did not listen within 10 s: " + read(dir.resolve("logs/stdout.log"))
              + read(dir.resolve("logs/error.log")));
        }
        Thread.sleep(50);
      }
    }
  }

  int port() {
    return port;
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }
}
