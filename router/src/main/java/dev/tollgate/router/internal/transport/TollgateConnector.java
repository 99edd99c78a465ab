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

  private final Duration keepalive;

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

  @Override
  protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key)
      throws IOException {
    TollgateEndPoint endPoint = new TollgateEndPoint(channel, selector, key, getScheduler());
    endPoint.setIdleTimeout(getIdleTimeout());
    return endPoint;
  }
}
