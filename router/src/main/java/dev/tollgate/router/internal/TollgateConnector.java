package dev.tollgate.router.internal;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty's connector, with end points that can write a WAMP v1 101 response and WELCOME together, and TCP keep-alive
 * on every accepted socket: connections that only publish are never closed for silence (they never read, so never
 * answer a PING), and keep-alive is what finds them when their peer is gone.
 */
public final class TollgateConnector extends ServerConnector {
  /** Probes after the idle time, every this many seconds, and this many unanswered ones end the connection. */
  private static final int KEEPALIVE_INTERVAL_SECONDS = 10;
  private static final int KEEPALIVE_PROBES = 6;

  private final java.time.Duration keepalive;

  public TollgateConnector(Server server, java.time.Duration keepalive) {
    super(server);
    this.keepalive = keepalive;
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

  private static void setIfSupported(java.nio.channels.SocketChannel channel, java.net.SocketOption<Integer> option,
      int value) throws IOException {
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
