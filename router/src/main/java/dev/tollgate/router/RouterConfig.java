package dev.tollgate.router;

import dev.tollgate.protocol.WampUris;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything an operator can set, immutable. Built from {@link #defaults()} with {@link #with(String, String)}, or
 * from a properties file: one key per {@link Setting}, each also a command-line flag {@code --key=value}.
 */
public final class RouterConfig {

  /** One configuration key, its default and what it means. The README's table is this list. */
  public record Setting(String key, String defaultValue, String description) {}

  public static final List<Setting> SETTINGS =
      List.of(
          new Setting("server.host", "0.0.0.0", "Address to listen on."),
          new Setting("server.port", "8080", "TCP port; 0 picks a free one."),
          new Setting("server.path", "*",
              "Path where WebSocket upgrades are taken: * for any path (as Ratchet, so Oro's path-less backend DSN works), or one path such as /ws. The HTTP endpoints keep their own paths."),
          new Setting("server.accept-queue", "16384", "Listen backlog, so that a burst of connections is not refused."),
          new Setting("server.writer-threads", "0",
              "Threads that write to the connections, each serving its share in turn; 0 means half the cores, at least one."),
          new Setting("server.selector-spin-micros", "50",
              "After handling connections, a selector polls this long for more before it sleeps, which saves a sleep and a wake-up per message when answers come quickly (a call's round trip); each poll that finds nothing halves the next, so traffic with longer gaps stops polling. 0 never polls."),
          new Setting("server.tcp-keepalive", "60s",
              "TCP keep-alive on every connection: probes start after this much silence, then every 10 s, and 6 unanswered probes end it; finds dead peers of connections that are never closed for silence (those that only publish). 0 disables."),
          new Setting("server.trusted-proxies", "127.0.0.1,::1",
              "Addresses (or CIDR ranges) of reverse proxies whose X-Forwarded-For / Forwarded header names the client; from any other address the header is ignored."),
          new Setting("server.socket-send-buffer", "262144",
              "SO_SNDBUF of each connection in bytes (Linux reserves twice this): what the kernel holds for one receiver "
                  + "past limits.outbound-queue-bytes; 0 leaves it to the kernel, which grows it to net.ipv4.tcp_wmem's maximum."),
          new Setting("server.shutdown-grace", "2s",
              "How long a shutdown waits for sessions to answer GOODBYE before closing them."),
          new Setting("realms", "realm1", "Comma-separated realms that exist; a HELLO for another is refused."),
          new Setting("uri.rules", "loose",
              "URI check: loose (any character but whitespace and #, so oro/data/update passes) or strict."),
          new Setting("session.hello-timeout", "10s", "A connection that sends no HELLO within this is closed."),
          new Setting("session.ping-interval", "30s",
              "A WebSocket PING goes to a receiving connection (one holding a subscription, a registration or a call) silent for this long; 0 disables."),
          new Setting("session.idle-timeout", "120s",
              "A receiving connection from which nothing (not even a PONG) arrives for this long is closed; a connection that only publishes is never closed for silence (see server.tcp-keepalive)."),
          new Setting("session.close-grace", "2s",
              "How long a connection the router closes may take to finish the close handshake; then it is reset "
                  + "(TCP RST), which frees what it still had to send. 0 resets at once."),
          new Setting("limits.max-message-size", "1048576",
              "Largest inbound message in bytes; a larger one is dropped (not the connection), logged, and answered with ERROR wamp.error.payload_size_exceeded where the protocol has an answer."),
          new Setting("limits.backend-max-message-size", "16777216",
              "Largest inbound message from a session of role auth.anonymous-ticket-role (Oro's backend publisher: a mass update can pass 1 MiB); Ratchet took up to 16 MiB."),
          new Setting("limits.max-subscriptions-per-session", "1000", "Subscriptions one session may hold."),
          new Setting("limits.max-registrations-per-session", "1000", "Registrations one session may hold."),
          new Setting("limits.max-retained-topics", "10000",
              "Topics per realm that keep a retained event (PUBLISH retain); a new topic past it keeps none; 0: none."),
          new Setting("limits.outbound-queue-bytes", "4194304",
              "Bytes queued to one receiver; past it the receiver is disconnected as a slow consumer."),
          new Setting("limits.outbound-queue-messages", "10000",
              "Messages queued to one receiver; past it the receiver is disconnected as a slow consumer."),
          new Setting("data.dir", "data", "Directory of Tollgate's own files: the H2 database tollgate.mv.db."),
          new Setting("db.url", "", "JDBC URL of Tollgate's H2 database; empty means the file under data.dir."),
          new Setting("auth.secret", "",
              "The application secret that salts tickets (Oro's kernel.secret); empty disables tickets."),
          new Setting("auth.ticket-ttl", "300s", "How long a ticket lives (inclusive)."),
          new Setting("auth.ticket-future-tolerance", "30s",
              "How far in the future a ticket's date may be (inclusive); 0s as in Oro up to 5.0.3."),
          new Setting("auth.anonymous-ticket-role", "backend", "Role of a session holding an anonymous ticket."),
          new Setting("auth.allow-anonymous", "auto",
              "Whether a session without any ticket may join, as role auth.anonymous-role: auto means only while auth.secret is empty (trying out); with a secret a connection without a ticket is refused, as Oro refuses it."),
          new Setting("auth.anonymous-role", "anonymous", "Role of a session without a ticket."),
          new Setting("auth.failure-limit", "10",
              "Failed ticket or password checks from one client address within auth.failure-window after which its checks are throttled."),
          new Setting("auth.failure-window", "60s", "Window in which auth.failure-limit failures count; a throttled address is free again after a window without failure."),
          new Setting("auth.throttle-interval", "1s",
              "A throttled address's costly checks (a ticket digest, a password hash) run one at a time, at most one per this interval; none is refused for it, good ones pass."),
          new Setting("auth.throttle-queue", "50",
              "Checks a throttled address may have waiting; past it the address gets 429 (logged and counted); 0 refuses a throttled address's costly checks at once."),
          new Setting("auth.nonce-capacity", "200000", "Accepted tickets remembered at once to refuse replays; past it, tickets are refused."),
          new Setting("auth.backend-reconnect-grace", "60s",
              "An anonymous (backend) ticket whose session ended, or was cut by a router restart, may connect again within this, even past its lifetime: Oro's publisher reconnects with the same ticket. User tickets stay one-time. 0 disables."),
          new Setting("auth.ticket-path", "/sync/ticket", "HTTP path where a user POSTs Basic credentials to get a ticket."),
          new Setting("users.source", "h2", "Where users come from: h2 (Tollgate's database) or jdbc (another database, read-only)."),
          new Setting("users.jdbc.url", "", "JDBC URL of the external user database (users.source=jdbc)."),
          new Setting("users.jdbc.user", "", "Database user for users.jdbc.url."),
          new Setting("users.jdbc.password", "", "Database password for users.jdbc.url."),
          new Setting("users.jdbc.query-by-username", "SELECT id, username, email, password, enabled FROM oro_user WHERE username = ?",
              "Query returning id, username, email, password hash, enabled for a username."),
          new Setting("users.jdbc.query-by-email", "SELECT id, username, email, password, enabled FROM oro_user WHERE email = ?",
              "Query returning the same columns for an e-mail."),
          new Setting("users.jdbc.role", "user", "Role of every user from the external database."),
          new Setting("v1.enabled", "true", "Whether WAMP v1 (subprotocol wamp: AutobahnJS 0.8, Ratchet, Gos, Oro) is served."),
          new Setting("v1.realm", "realm1", "The realm WAMP v1 sessions join (v1 has no realms)."),
          new Setting("v1.server-ident", "Tollgate/0.1", "The server name in a WAMP v1 WELCOME."),
          new Setting("v1.allow-no-subprotocol", "true",
              "Whether a client offering no subprotocol speaks WAMP v1 (as Gos runs Ratchet); false answers 426."),
          new Setting("keepalive.topic", "oro/ping", "Topic of the periodic keep-alive publication (Oro's)."),
          new Setting("keepalive.interval", "50s", "How often the keep-alive is published, in every realm; 0 disables."),
          new Setting("keepalive.message", "Connection keep alive", "The keep-alive's single argument."),
          new Setting("origins.allowed", "localhost,127.0.0.1",
              "Hosts a browser's Origin may name (comma-separated, * for any); others get 403. No Origin is allowed."),
          new Setting("rules.preset", "oro",
              "Rules loaded once into a new database: oro, open (everyone may do everything; for trying out) or none."),
          new Setting("tls.certificate", "",
              "PEM file with the server's certificate and its chain; with tls.key, the listener speaks TLS (wss://, https://)."),
          new Setting("tls.key", "", "PEM file with the certificate's private key, PKCS#8 (BEGIN PRIVATE KEY), as openssl and certbot write it."),
          new Setting("tls.reload-interval", "60s",
              "How often the TLS files are checked; when they changed, new connections get the new certificate. 0 never."),
          new Setting("metrics.access", "local",
              "Who may read GET /metrics and the reasons of GET /ready: local (loopback clients only), admin (HTTP Basic, a user with role admin), open, or off."),
          new Setting("admin.path", "/admin",
              "HTTP path of the admin page (sessions, subscriptions, registrations, rules, a ticket debugger, live metrics), for users with role admin."),
          new Setting("cluster.redis.url", "",
              "Redis that joins several Tollgate nodes into one router (redis://host:6379, redis://:password@host:6379/0, rediss:// for TLS); empty: this node alone. A node does not start while its Redis cannot be reached."),
          new Setting("cluster.node", "",
              "This node's name among the nodes of a cluster, unique among them; empty: the host name and server.port."),
          new Setting("cluster.redis.timeout", "2s",
              "How long a Redis command or connection attempt may take before it counts as failed."),
          new Setting("cluster.tickets-when-redis-down", "refuse",
              "What ticket logins do while Redis cannot be reached: refuse (fail closed: 503, try again; a ticket stays one-time in the whole cluster) or local (each node remembers its own used tickets meanwhile, so a ticket could be used once per node)."),
          new Setting("admin.access", "any",
              "Who may reach the admin page's login: any address, local (loopback clients only), or off (the page is not served)."));

  private static final Set<String> KEYS = keys();

  private final Map<String, String> values;

  private RouterConfig(Map<String, String> values) {
    this.values = values;
    validate();
  }

  public static RouterConfig defaults() {
    Map<String, String> v = new LinkedHashMap<>();
    for (Setting s : SETTINGS) {
      v.put(s.key(), s.defaultValue());
    }
    return new RouterConfig(v);
  }

  /** A copy with one setting changed; an unknown key or a bad value fails at once, naming the key. */
  public RouterConfig with(String key, String value) {
    if (!KEYS.contains(key)) {
      throw new IllegalArgumentException("unknown setting '" + key + "'; known settings: " + String.join(", ", KEYS));
    }
    Map<String, String> v = new LinkedHashMap<>(values);
    v.put(key, value.trim());
    return new RouterConfig(v);
  }

  /** A copy with every entry of {@code settings} applied in order. */
  public RouterConfig with(Map<String, String> settings) {
    RouterConfig c = this;
    for (Map.Entry<String, String> e : settings.entrySet()) {
      c = c.with(e.getKey(), e.getValue());
    }
    return c;
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("unknown setting '" + key + "'");
    }
    return v;
  }

  public String host() {
    return get("server.host");
  }

  public int port() {
    return integer("server.port");
  }

  /** The configured upgrade path, or {@code *} for any. */
  public String path() {
    return get("server.path");
  }

  /** Whether a WebSocket upgrade to {@code requestPath} is for WAMP. */
  public boolean isWampPath(String requestPath) {
    String path = path();
    return path.equals("*") || path.equals(requestPath);
  }

  /** The path to name in a WebSocket URL: the configured one, or {@code /ws} (Oro's) when any path is taken. */
  public String advertisedPath() {
    return path().equals("*") ? "/ws" : path();
  }

  /** TCP keep-alive idle time before probes; zero disables keep-alive. */
  /**
   * Whether the listener speaks TLS: tls.certificate or tls.key is set. They go together; checked when the router
   * starts (settings are given one at a time here).
   */
  public boolean tls() {
    return !get("tls.certificate").isBlank() || !get("tls.key").isBlank();
  }

  public java.nio.file.Path tlsCertificate() {
    return java.nio.file.Path.of(get("tls.certificate"));
  }

  public java.nio.file.Path tlsKey() {
    return java.nio.file.Path.of(get("tls.key"));
  }

  public Duration tlsReloadInterval() {
    return duration("tls.reload-interval");
  }

  public Duration tcpKeepalive() {
    return duration("server.tcp-keepalive");
  }

  public List<String> trustedProxies() {
    return list("server.trusted-proxies");
  }

  public int acceptQueue() {
    return integer("server.accept-queue");
  }

  /** The writer threads: the setting, or half the cores (at least one) when it is 0. */
  public int writerThreads() {
    int configured = integer("server.writer-threads");
    return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /** How long a selector polls for ready connections before it sleeps, in microseconds; 0 for never. */
  public int selectorSpinMicros() {
    return integer("server.selector-spin-micros");
  }

  /** SO_SNDBUF for each accepted connection, or 0 to leave it to the kernel. */
  public int socketSendBuffer() {
    return integer("server.socket-send-buffer");
  }

  public Duration shutdownGrace() {
    return duration("server.shutdown-grace");
  }

  public List<String> realms() {
    return list("realms");
  }

  public WampUris.Rules uriRules() {
    String rules = get("uri.rules");
    for (WampUris.Rules r : WampUris.Rules.values()) {
      if (r.name().equalsIgnoreCase(rules)) {
        return r;
      }
    }
    throw new IllegalArgumentException("expected loose or strict but was '" + rules + "'");
  }

  public Duration helloTimeout() {
    return duration("session.hello-timeout");
  }

  public Duration pingInterval() {
    return duration("session.ping-interval");
  }

  public Duration idleTimeout() {
    return duration("session.idle-timeout");
  }

  public Duration closeGrace() {
    return duration("session.close-grace");
  }

  public int maxMessageSize() {
    return integer("limits.max-message-size");
  }

  public int backendMaxMessageSize() {
    return integer("limits.backend-max-message-size");
  }

  public int maxSubscriptionsPerSession() {
    return integer("limits.max-subscriptions-per-session");
  }

  public int maxRetainedTopics() {
    return integer("limits.max-retained-topics");
  }

  public int maxRegistrationsPerSession() {
    return integer("limits.max-registrations-per-session");
  }

  public long outboundQueueBytes() {
    return integer("limits.outbound-queue-bytes");
  }

  public int outboundQueueMessages() {
    return integer("limits.outbound-queue-messages");
  }

  public java.nio.file.Path dataDir() {
    return java.nio.file.Path.of(get("data.dir"));
  }

  /** The JDBC URL of Tollgate's database: db.url, or the file under data.dir. */
  public String databaseUrl() {
    String url = get("db.url");
    return url.isEmpty() ? dev.tollgate.auth.Database.fileUrl(dataDir()) : url;
  }

  /**
   * The users that tickets and credentials are checked against, as {@code users.source} says: those of Tollgate's own
   * database {@code own} ({@code h2}), or another application's, read-only ({@code jdbc}). The router and the command
   * line's ticket verbs both ask here, so that they cannot disagree on who a user is.
   */
  public dev.tollgate.auth.UserStore userStore(dev.tollgate.auth.Database own) {
    if (get("users.source").equals("jdbc") && get("users.jdbc.url").isBlank()) {
      throw new IllegalArgumentException("users.source=jdbc needs users.jdbc.url, the JDBC URL of the user database");
    }
    return get("users.source").equals("jdbc")
        ? dev.tollgate.auth.UserStore.jdbc(get("users.jdbc.url"), get("users.jdbc.user"), get("users.jdbc.password"),
            get("users.jdbc.query-by-username"), get("users.jdbc.query-by-email"), get("users.jdbc.role"))
        : own.users();
  }

  /** The ticket secret, or null when tickets are disabled. Refuses a secret Oro could never use. */
  public dev.tollgate.auth.TicketSecret ticketSecret() {
    String secret = get("auth.secret");
    return secret.isEmpty() ? null : dev.tollgate.auth.TicketSecret.of(secret);
  }

  public Duration ticketTtl() {
    return duration("auth.ticket-ttl");
  }

  public Duration ticketFutureTolerance() {
    return duration("auth.ticket-future-tolerance");
  }

  /** Whether sessions without a ticket may join: {@code auto} means only when tickets are off (no secret). */
  public boolean allowAnonymous() {
    return get("auth.allow-anonymous").equals("auto") ? get("auth.secret").isEmpty() : bool("auth.allow-anonymous");
  }

  public int authFailureLimit() {
    return integer("auth.failure-limit");
  }

  public Duration authFailureWindow() {
    return duration("auth.failure-window");
  }

  public Duration throttleInterval() {
    return duration("auth.throttle-interval");
  }

  public int throttleQueue() {
    return integer("auth.throttle-queue");
  }

  public Duration backendReconnectGrace() {
    return duration("auth.backend-reconnect-grace");
  }

  public Duration keepaliveInterval() {
    return duration("keepalive.interval");
  }

  public int nonceCapacity() {
    return integer("auth.nonce-capacity");
  }

  /** Whether this node is one of several (cluster.redis.url is set). */
  public boolean clustered() {
    return !get("cluster.redis.url").isBlank();
  }

  /** cluster.node, or the host name and port when empty. */
  public String clusterNode() {
    String name = get("cluster.node");
    if (!name.isBlank()) {
      return name;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName() + ":" + port();
    } catch (java.net.UnknownHostException e) {
      return "localhost:" + port();
    }
  }

  public Duration clusterRedisTimeout() {
    return duration("cluster.redis.timeout");
  }

  /** cluster.tickets-when-redis-down=local. */
  public boolean localTicketsWhenRedisDown() {
    return get("cluster.tickets-when-redis-down").equals("local");
  }

  private boolean bool(String key) {
    String v = get(key);
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException("expected true or false but was '" + v + "'");
  }

  private void validate() {
    for (Setting s : SETTINGS) {
      String key = s.key();
      try {
        switch (key) {
          case "server.port" -> range(key, integer(key), 0, 65535);
          case "server.writer-threads" -> range(key, integer(key), 0, 1024);
          case "server.selector-spin-micros" -> range(key, integer(key), 0, 10_000);
          case "server.socket-send-buffer" -> range(key, integer(key), 0, Integer.MAX_VALUE);
          case "auth.throttle-queue", "limits.max-retained-topics" -> range(key, integer(key), 0, Integer.MAX_VALUE);
          case "server.accept-queue", "limits.max-message-size", "limits.backend-max-message-size",
              "limits.max-subscriptions-per-session", "limits.max-registrations-per-session",
              "limits.outbound-queue-bytes", "limits.outbound-queue-messages" -> range(key, integer(key), 1, Integer.MAX_VALUE);
          case "v1.enabled", "v1.allow-no-subprotocol" -> bool(key);
          case "cluster.redis.url" -> {
            String url = get(key);
            if (!url.isBlank() && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
              throw new IllegalArgumentException("expected redis://host:port or rediss://host:port");
            }
          }
          case "cluster.redis.timeout" -> {
            if (duration(key).isZero() || duration(key).isNegative()) {
              throw new IllegalArgumentException("must be more than 0");
            }
          }
          case "cluster.tickets-when-redis-down" -> {
            if (!java.util.Set.of("refuse", "local").contains(get(key))) {
              throw new IllegalArgumentException("expected refuse or local");
            }
          }
          case "auth.allow-anonymous" -> {
            if (!get(key).equals("auto")) {
              bool(key);
            }
          }
          case "server.trusted-proxies" -> dev.tollgate.router.internal.http.ClientAddress.parseRanges(list(key));
          case "v1.realm" -> {
            if (!realms().contains(get(key))) {
              throw new IllegalArgumentException("must be one of realms " + realms());
            }
          }
          case "auth.secret" -> ticketSecret();
          case "auth.failure-limit", "auth.nonce-capacity" -> range(key, integer(key), 1, Integer.MAX_VALUE);
          case "users.source" -> {
            if (!get(key).equals("h2") && !get(key).equals("jdbc")) {
              throw new IllegalArgumentException("expected h2 or jdbc");
            }
          }
          case "rules.preset" -> {
            if (!java.util.Set.of("oro", "open", "none").contains(get(key))) {
              throw new IllegalArgumentException("expected oro, open or none");
            }
          }
          case "metrics.access" -> {
            if (!java.util.Set.of("local", "admin", "open", "off").contains(get(key))) {
              throw new IllegalArgumentException("expected local, admin, open or off");
            }
          }
          case "auth.ticket-path" -> {
            if (!get(key).startsWith("/") || get(key).equals(path())) {
              throw new IllegalArgumentException("must start with / and differ from server.path");
            }
          }
          case "admin.path" -> {
            String admin = get(key);
            if (!admin.matches("/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*") || admin.equals(path())
                || admin.equals(get("auth.ticket-path")) || java.util.Set.of("/health", "/ready", "/metrics").contains(admin)) {
              throw new IllegalArgumentException("expected a path such as /admin (no trailing /), other than server.path,"
                  + " auth.ticket-path and the operations endpoints");
            }
          }
          case "data.dir", "tls.certificate", "tls.key" -> {
            try {
              java.nio.file.Path.of(get(key)); // found by fuzzing: a NUL made the path fail only when first used
            } catch (java.nio.file.InvalidPathException e) {
              throw new IllegalArgumentException("not a path: " + e.getReason());
            }
          }
          case "admin.access" -> {
            if (!java.util.Set.of("any", "local", "off").contains(get(key))) {
              throw new IllegalArgumentException("expected any, local or off");
            }
          }
          case "server.shutdown-grace", "session.hello-timeout", "session.ping-interval", "session.idle-timeout",
              "auth.ticket-ttl", "auth.ticket-future-tolerance", "auth.failure-window", "auth.throttle-interval",
              "keepalive.interval", "server.tcp-keepalive", "auth.backend-reconnect-grace", "tls.reload-interval",
              "session.close-grace" -> {
            if (duration(key).isNegative()) {
              throw new IllegalArgumentException("must not be negative");
            }
          }
          case "uri.rules" -> uriRules();
          case "server.path" -> {
            if (!path().equals("*") && !path().startsWith("/")) {
              throw new IllegalArgumentException("must be * (any path) or start with /");
            }
          }
          case "realms" -> {
            if (realms().isEmpty()) {
              throw new IllegalArgumentException("at least one realm is needed");
            }
          }
          default -> {}
        }
      } catch (IllegalArgumentException e) {
        String shown = key.endsWith("secret") || key.endsWith("password") ? "(hidden)" : values.get(key);
        throw new IllegalArgumentException("setting " + key + "=" + shown + ": " + e.getMessage(), e);
      }
    }
    if (idleTimeout().isZero()) {
      throw new IllegalArgumentException("setting session.idle-timeout=0: must be positive");
    }
  }

  private List<String> list(String key) {
    List<String> items = new ArrayList<>();
    for (String item : get(key).split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items;
  }

  private int integer(String key) {
    try {
      return Integer.parseInt(get(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number but was '" + get(key) + "'");
    }
  }

  private static void range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("expected " + min + " to " + max + " but was " + value);
    }
  }

  private Duration duration(String key) {
    return parseDuration(get(key));
  }

  /** Parses {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a duration such as 250ms, 10s, 5m but was '" + text + "'");
    }
  }

  private static Set<String> keys() {
    Set<String> keys = new java.util.LinkedHashSet<>();
    for (Setting s : SETTINGS) {
      keys.add(s.key());
    }
    return keys;
  }

  /** The settings, with secrets and passwords hidden. */
  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>(values);
    shown.replaceAll((k, v) -> (k.endsWith("secret") || k.endsWith("password")) && !v.isEmpty() ? "(hidden)" : v);
    return shown.toString();
  }
}
