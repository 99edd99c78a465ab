package dev.tollgate.router;

import dev.tollgate.router.internal.cluster.RedisBus;
import dev.tollgate.router.internal.core.AdminView;
import dev.tollgate.router.internal.core.Cluster;
import dev.tollgate.router.internal.core.Counters;
import dev.tollgate.router.internal.core.RouterCore;
import dev.tollgate.router.internal.http.AdminPage;
import dev.tollgate.router.internal.http.BrowserRefusal;
import dev.tollgate.router.internal.http.ClientAddress;
import dev.tollgate.router.internal.http.Metrics;
import dev.tollgate.router.internal.transport.PemFiles;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import dev.tollgate.router.internal.http.OperationsEndpoint;
import dev.tollgate.router.internal.http.TicketCors;
import dev.tollgate.router.internal.http.TicketEndpoint;
import dev.tollgate.router.internal.http.UrlTicketHandler;
import dev.tollgate.router.internal.security.Security;
import dev.tollgate.router.internal.transport.TollgateConnector;
import dev.tollgate.router.internal.transport.Transport;
import dev.tollgate.router.internal.transport.WampNegotiator;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tollgate router: a Jetty server with one WAMP WebSocket endpoint.
 *
 * <p>Lifecycle: {@link #start} binds and returns a running router; {@link #close} shuts it down gracefully (see
 * {@code Transport.shutdown} for the steps) and stops Jetty. Thread-safe.
 *
 * <p>The parts, as Jetty's {@code dump()} shows them: the server's connector, the handlers (URL tickets, the
 * WebSocket upgrade, the ticket endpoint), and the {@link Transport} bean holding the writer threads, the open
 * connections and the routing core.
 */
public final class Router implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final Server server;
  private final ServerConnector connector;
  private final Transport transport;
  private final RouterConfig config;
  private final Security security;
  private final Counters counters;
  private final Metrics metrics;
  /** The listener's TLS, or null for plain ws://. */
  private final SslContextFactory.Server tls;
  /** The other nodes (cluster.redis.url), or null for a node alone. */
  private final RedisBus cluster;

  private Router(RouterConfig config, Security security, Counters counters, RedisBus cluster) {
    this.config = config;
    this.security = security;
    this.counters = counters;
    this.cluster = cluster;
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("tollgate");
    // Jetty's reserved threads wait to take over the selector; on few cores their hand-offs cost more than they save
    // (RPC, 10 callers to one callee: about 20% more calls/s without them).
    threads.setReservedThreads(0);
    this.server = new Server(threads);
    RouterCore core = new RouterCore(config, Transport.timers(server.getScheduler()), security, counters,
        cluster == null ? Cluster.NONE : cluster);
    this.transport = new Transport(core, server.getScheduler());
    server.addBean(transport);
    ClientAddress clientAddress = new ClientAddress(config.trustedProxies());

    this.tls = config.tls() ? tlsContexts(config) : null;
    TollgateConnector connector = new TollgateConnector(server, tls, config.tcpKeepalive(), config.socketSendBuffer());
    connector.setSelectorSpinMicros(config.selectorSpinMicros());
    this.connector = connector;
    HttpConfiguration http = connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration();
    http.setSendServerVersion(false);
    // Oro's PHP publisher (up to 5.0) sends an absolute-form request line whose authority need not match Host.
    http.setHttpCompliance(HttpCompliance.RFC9110.with("TOLLGATE", HttpCompliance.Violation.MISMATCHED_AUTHORITY));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setAcceptQueueSize(config.acceptQueue());
    server.addConnector(connector);

    // URL tickets are judged first; then the WebSocket upgrade (a browser's refused ticket included); plain HTTP goes
    // to the operations endpoints (/health, /ready, /metrics), the admin page, the ticket endpoint behind its CORS, or
    // 404/426.
    WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
    upgrade.addMapping(config.path().equals("*") ? "/*" : config.path(),
        new BrowserRefusal.Negotiator(server.getScheduler(), new WampNegotiator(transport, clientAddress)));
    this.metrics = new Metrics(counters, security, transport::snapshot);
    Handler tickets = new TicketCors(config, new TicketEndpoint(config, security, clientAddress, new NotAnUpgrade(config)));
    Handler admin = new AdminPage(config, security, clientAddress, new AdminView(core), metrics, tickets);
    upgrade.setHandler(new OperationsEndpoint(config, security, clientAddress, metrics,
        () -> server.isStarted() && connector.isOpen(), admin));
    server.setHandler(new UrlTicketHandler(config, security, clientAddress, upgrade));
    // The graceful part of a shutdown is WAMP's (Transport.shutdown: GOODBYE, a grace, then abort); what is still
    // open after it (HTTP keep-alive connections, v1 connections being aborted) is closed at once. A Jetty graceful
    // stop on top of it only waited for those and then failed with a TimeoutException.
    server.setStopTimeout(0);
  }

  /** Binds and starts a router; fails if the port cannot be bound. */
  public static Router start(RouterConfig config) throws Exception {
    return start(config, java.time.Clock.systemUTC());
  }

  /**
   * A router whose wall clock (what tickets are judged by) is {@code wallClock}: for tests of a clock that jumps.
   * Whatever is timed (timeouts, idle sessions, the throttle) runs on the monotonic clock and never reads it.
   */
  static Router start(RouterConfig config, java.time.Clock wallClock) throws Exception {
    Counters counters = new Counters();
    RedisBus cluster = config.clustered() ? RedisBus.connect(config, counters) : null;
    Security security;
    try {
      security = cluster == null ? Security.open(config, counters, wallClock)
          : Security.open(config, counters, wallClock, own -> cluster.nonces(own, config.localTicketsWhenRedisDown(),
              config.backendReconnectGrace()));
    } catch (RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      }
      throw e;
    }
    if (cluster != null) {
      security.shareFailuresWith(cluster::authFailed);
      cluster.onAuthFailureElsewhere(security::failedElsewhere);
    }
    Router router;
    try {
      router = new Router(config, security, counters, cluster);
      if (cluster != null) {
        // Before the first session: this node's heartbeat must be there when it reserves its first procedure.
        cluster.start(router.transport.core());
      }
      router.server.start();
    } catch (Exception e) {
      security.close();
      if (cluster != null) {
        cluster.close();
      }
      throw e;
    }
    router.transport.core().start();
    if (router.tls != null && !config.tlsReloadInterval().isZero()) {
      router.watchTlsFiles();
    }
    LOG.info("Tollgate listening on {} (realms {})", router.uri(), config.realms());
    return router;
  }

  /** The key store from the PEM files; a bad file stops the start with a message naming it. */
  private static SslContextFactory.Server tlsContexts(RouterConfig config) {
    if (config.get("tls.certificate").isBlank() || config.get("tls.key").isBlank()) {
      throw new IllegalArgumentException("tls.certificate and tls.key go together: give both or neither");
    }
    SslContextFactory.Server contexts = new SslContextFactory.Server();
    contexts.setKeyStore(PemFiles.keyStore(config.tlsCertificate(), config.tlsKey()));
    contexts.setKeyStorePassword("");
    return contexts;
  }

  /**
   * Checks the PEM files every tls.reload-interval; when either changed (a renewed certificate), the next connections
   * get the new one, and the open ones keep theirs. A file that cannot be read is logged and the old certificate
   * stays.
   */
  private void watchTlsFiles() {
    long[] seen = {tlsFilesStamp()};
    long period = config.tlsReloadInterval().toMillis();
    Runnable[] check = new Runnable[1];
    check[0] = () -> {
      if (!server.isRunning()) {
        return;
      }
      long now = tlsFilesStamp();
      if (now != seen[0]) {
        seen[0] = now;
        try {
          var store = PemFiles.keyStore(config.tlsCertificate(), config.tlsKey());
          tls.reload(f -> f.setKeyStore(store));
          LOG.info("TLS: reloaded {} and {}", config.tlsCertificate(), config.tlsKey());
        } catch (Exception e) {
          LOG.warn("TLS: kept the certificate in use; the files could not be loaded: {}", e.getMessage());
        }
      }
      server.getScheduler().schedule(check[0], period, java.util.concurrent.TimeUnit.MILLISECONDS);
    };
    server.getScheduler().schedule(check[0], period, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private long tlsFilesStamp() {
    try {
      return java.nio.file.Files.getLastModifiedTime(config.tlsCertificate()).toMillis() * 31
          + java.nio.file.Files.getLastModifiedTime(config.tlsKey()).toMillis()
          + java.nio.file.Files.size(config.tlsCertificate()) + java.nio.file.Files.size(config.tlsKey());
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  /** The bound port, the real one when the configuration said 0. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The WebSocket URL clients connect to. */
  public URI uri() {
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    return URI.create((tls != null ? "wss://" : "ws://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + config.advertisedPath());
  }

  public RouterConfig config() {
    return config;
  }

  public RouterMetrics metrics() {
    return counters;
  }

  /** Jetty's dump of the running server: connector, handlers, writer threads, open connections and their queues. */
  public String dump() {
    return server.dump();
  }

  /** Graceful shutdown: GOODBYE to every session, a grace period for their answers, then stop. Idempotent. */
  @Override
  public void close() {
    if (!server.isRunning()) {
      return;
    }
    try {
      int aborted = transport.shutdown();
      if (aborted > 0) {
        LOG.info("shutdown: {} connection(s) did not answer GOODBYE in time and were aborted", aborted);
      }
      server.stop();
      metrics.close();
      if (cluster != null) {
        cluster.close();
      }
      security.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("error while stopping Jetty", e);
    }
  }

  /**
   * Answers plain HTTP: the WebSocket path wants an upgrade (426), anything else does not exist (404). An upgrade
   * that reaches here was for a path that server.path does not take: refused with 404, and logged.
   */
  private static final class NotAnUpgrade extends Handler.Abstract {
    private final RouterConfig config;

    NotAnUpgrade(RouterConfig config) {
      this.config = config;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      boolean endpoint = config.isWampPath(path);
      if (request.getHeaders().contains(HttpHeader.UPGRADE)) {
        LOG.info("refused the upgrade from {} to {} with 404: WebSocket upgrades are taken on {} only (server.path)",
            Request.getRemoteAddr(request), path, config.path());
      }
      int status = endpoint ? HttpStatus.UPGRADE_REQUIRED_426 : HttpStatus.NOT_FOUND_404;
      String body = endpoint
          ? "This is a WAMP endpoint: connect with a WebSocket client offering wamp.2.json, wamp.2.msgpack or wamp.2.cbor.\n"
          : "Not found.\n";
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  }
}
