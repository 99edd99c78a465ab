package dev.tollgate.router.internal.transport;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty's connector, with end points that can write a WAMP v1 101 response and WELCOME together and that can be
 * reset (see {@link TollgateEndPoint}); every accepted socket gets TCP keep-alive and a bounded send buffer.
 *
 * <p>TCP keep-alive ({@code server.tcp-keepalive}): connections that only publish are never closed for silence (they
 * never read, so never answer a PING), and keep-alive is what finds them when their peer is gone.
 *
 * <p>SO_SNDBUF ({@code server.socket-send-buffer}). Left to itself, Linux grows a connection's send buffer up to
 * {@code net.ipv4.tcp_wmem}'s maximum (4 MiB by default): subscribers that never read held 2.8 to 3.3 MB each in the
 * kernel, on top of {@code limits.outbound-queue-bytes} in the router. A fixed size (which Linux doubles for its
 * bookkeeping) makes what one receiver can hold the sum of the two settings. Why 256 KiB: over loopback the size does
 * not show (fan-out of 4 KB events to 1,000 subscribers was as fast with 64 KiB and 256 KiB as with the kernel's own
 * sizing, within the bench's spread), but over a real link one connection sends at most about its buffer per round
 * trip: the ~440 KB in flight that 256 KiB allows carry ~35 Mbit/s at 100 ms, 64 KiB a quarter of that.
 */
public final class TollgateConnector extends ServerConnector {
  /** Probes after the idle time, every this many seconds, and this many unanswered ones end the connection. */
  private static final int KEEPALIVE_INTERVAL_SECONDS = 10;
  private static final int KEEPALIVE_PROBES = 6;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TollgateConnector.class);
  private static final byte[] TOO_MANY_CONNECTIONS = ("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
      + "Retry-After: 5\r\nContent-Type: text/plain\r\nContent-Length: 42\r\n\r\n"
      + "The router takes no more connections now.\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** File descriptors kept for the router's own needs (classes, logs, databases, TLS files) when connections pile up. */
  static final int DESCRIPTORS_KEPT = 64;

  private final Duration keepalive;
  private final boolean tls;
  /** A descriptor held in reserve, given up to accept (and refuse) a connection when none is left (see accept). */
  private java.nio.channels.FileChannel reserve;
  /** Connections open at once beyond which new ones are refused; 0 for no limit (see doStart). */
  private int admissionLimit;
  private long refused;
  private long lastRefusalLogNanos;
  /** How long a selector polls after handling connections before it sleeps (see SpinningSelector); 0 for never. */
  private long selectorSpinNanos;

  /**
   * @param keepalive silence before TCP keep-alive probes start; zero disables keep-alive
   * @param sendBuffer SO_SNDBUF of every accepted socket in bytes; 0 leaves it to the kernel
   */
  public TollgateConnector(Server server, Duration keepalive, int sendBuffer) {
    this(server, null, keepalive, sendBuffer);
  }

  /** @param tls TLS for the listener ({@code wss://}), or null for plain {@code ws://} */
  public TollgateConnector(Server server, org.eclipse.jetty.util.ssl.SslContextFactory.Server tls, Duration keepalive,
      int sendBuffer) {
    super(server, factories(tls));
    this.keepalive = keepalive;
    this.tls = tls != null;
    if (sendBuffer > 0) {
      setAcceptedSendBufferSize(sendBuffer);
    }
  }

  private static org.eclipse.jetty.server.ConnectionFactory[] factories(
      org.eclipse.jetty.util.ssl.SslContextFactory.Server tls) {
    org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
    if (tls == null) {
      return new org.eclipse.jetty.server.ConnectionFactory[] {new org.eclipse.jetty.server.HttpConnectionFactory(http)};
    }
    // The certificate's names are not checked against Host: a router is reached by whatever name the proxy or the
    // client uses, and the client checks the certificate.
    org.eclipse.jetty.server.SecureRequestCustomizer secure = new org.eclipse.jetty.server.SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    return new org.eclipse.jetty.server.ConnectionFactory[] {new TlsConnectionFactory(tls),
        new org.eclipse.jetty.server.HttpConnectionFactory(http)};
  }

  /**
   * Takes the reserve descriptor and sets the admission limit: the process's descriptor limit, less those in use now
   * (the JVM's jars, the database, the logs) and {@link #DESCRIPTORS_KEPT}, so that connections alone can never take
   * the last descriptors. Without that headroom, a router at its limit could not even load a class it had not needed
   * yet: the first publication after the ceiling failed (FaultsTest).
   */
  @Override
  protected void doStart() throws Exception {
    reserve = openReserve();
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long max = unix.getMaxFileDescriptorCount();
      long inUse = unix.getOpenFileDescriptorCount();
      long limit = max - inUse - DESCRIPTORS_KEPT;
      admissionLimit = (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit));
      LOG.info("taking up to {} connections at once (ulimit -n {}, {} descriptors in use at start, {} kept for the"
          + " router's own files)", admissionLimit, max, inUse, DESCRIPTORS_KEPT);
    }
    super.doStart();
  }

  @Override
  protected void doStop() throws Exception {
    super.doStop();
    if (reserve != null) {
      reserve.close();
    }
  }

  private static java.nio.channels.FileChannel openReserve() {
    try {
      return java.nio.channels.FileChannel.open(java.nio.file.Path.of("/dev/null"));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null; // no /dev/null: connections wait in the backlog when descriptors run out, as Jetty alone has them
    }
  }

  /**
   * Accepts the next connection, or refuses it: at the admission limit it is told 503 and closed at once. Should the
   * process still run out of descriptors (something else took them), Jetty's acceptor would log and sleep while every
   * new client waits in the kernel's backlog; instead the reserve descriptor is given up to accept the oldest waiting
   * connection, refuse it the same way, and is taken again. Either way new clients learn quickly and clearly, and the
   * sessions already open go on. Runs on the acceptor thread only.
   */
  @Override
  public void accept(int acceptorID) throws IOException {
    if (!(getTransport() instanceof java.nio.channels.ServerSocketChannel listener)) {
      super.accept(acceptorID);
      return;
    }
    if (admissionLimit > 0 && getConnectedEndPoints().size() >= admissionLimit) {
      refuse(listener.accept(), "the connection limit (" + admissionLimit + ", from ulimit -n) is reached");
      return;
    }
    try {
      super.accept(acceptorID);
    } catch (IOException e) {
      if (reserve == null || e.getMessage() == null || !e.getMessage().contains("Too many open files")) {
        throw e;
      }
      reserve.close();
      try {
        refuse(listener.accept(), "no file descriptors are left (ulimit -n)");
      } finally {
        reserve = openReserve();
      }
      if (reserve == null) {
        throw e; // another thread took the descriptor: Jetty waits a second and tries again
      }
    }
  }

  /** Tells a just-accepted client 503 (over plain HTTP; a TLS client is only closed) and closes it. */
  private void refuse(SocketChannel client, String why) {
    if (client == null) {
      return;
    }
    try (client) {
      if (!tls) {
        client.configureBlocking(false);
        // what the client sent already is read first: unread, it would make the close a reset, which can cost the
        // client the answer
        client.read(java.nio.ByteBuffer.allocate(8192));
        client.write(java.nio.ByteBuffer.wrap(TOO_MANY_CONNECTIONS)); // fits any send buffer: no wait
        client.shutdownOutput();
      }
    } catch (IOException gone) {
      // the client left first
    }
    refused++;
    long now = System.nanoTime();
    if (lastRefusalLogNanos == 0 || now - lastRefusalLogNanos > java.util.concurrent.TimeUnit.SECONDS.toNanos(10)) {
      lastRefusalLogNanos = now;
      LOG.warn("refused a new connection with 503: {}; {} refused so far; the open ones go on", why, refused);
    }
  }

  @Override
  protected void configure(java.net.Socket socket) {
    super.configure(socket);
    SocketChannel channel = socket.getChannel();
    if (keepalive.isZero() || channel == null) {
      return;
    }
    try {
      channel.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, true);
      setIfSupported(channel, jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE, (int) Math.max(1, keepalive.toSeconds()));
      setIfSupported(channel, jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL_SECONDS);
      setIfSupported(channel, jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_PROBES);
    } catch (IOException e) {
      // The socket may already be gone; it will be closed as any other.
    }
  }

  private static void setIfSupported(SocketChannel channel, java.net.SocketOption<Integer> option, int value)
      throws IOException {
    if (channel.supportedOptions().contains(option)) {
      channel.setOption(option, value);
    }
  }

  /** {@code server.selector-spin-micros}; takes effect when the connector starts. */
  public void setSelectorSpinMicros(int micros) {
    this.selectorSpinNanos = micros * 1000L;
  }

  /**
   * Jetty's selector manager with {@link SpinningSelector}s. Called from Jetty's constructor, before this class's fields
   * are set: the selectors themselves are made at start, and read the setting then.
   */
  @Override
  protected org.eclipse.jetty.io.SelectorManager newSelectorManager(java.util.concurrent.Executor executor,
      org.eclipse.jetty.util.thread.Scheduler scheduler, int selectors) {
    return new ServerConnectorManager(executor, scheduler, selectors) {
      @Override
      protected ManagedSelector newSelector(int id) {
        return selectorSpinNanos > 0 ? new SpinningSelector(this, id, selectorSpinNanos) : super.newSelector(id);
      }
    };
  }

  @Override
  protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key)
      throws IOException {
    TollgateEndPoint endPoint = new TollgateEndPoint(channel, selector, key, getScheduler());
    endPoint.setIdleTimeout(getIdleTimeout());
    return endPoint;
  }
}
