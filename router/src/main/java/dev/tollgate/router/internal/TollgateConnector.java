package dev.tollgate.router.internal;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty's connector, with end points that can write a WAMP v1 101 response and WELCOME together and that can be
 * reset (see {@link TollgateEndPoint}).
 *
 * <p>Each accepted socket gets {@code server.socket-send-buffer} as its SO_SNDBUF. Left to itself, Linux grows a
 * connection's send buffer up to {@code net.ipv4.tcp_wmem}'s maximum (4 MiB by default): subscribers that never read
 * held 2.8 to 3.3 MB each in the kernel, on top of {@code limits.outbound-queue-bytes} in the router. A fixed size
 * (which Linux doubles for its bookkeeping) makes what one receiver can hold the sum of the two settings.
 *
 * <p>Why 256 KiB: over loopback the size does not show (fan-out of 4 KB events to 1,000 subscribers was as fast with
 * 64 KiB and 256 KiB as with the kernel's own sizing, within the bench's spread), but over a real link one connection
 * sends at most about its buffer per round trip: the ~440 KB in flight that 256 KiB allows carry ~35 Mbit/s at
 * 100 ms, 64 KiB a quarter of that.
 */
public final class TollgateConnector extends ServerConnector {
  /** @param sendBuffer SO_SNDBUF of every accepted socket in bytes; 0 leaves it to the kernel */
  public TollgateConnector(Server server, int sendBuffer) {
    super(server);
    if (sendBuffer > 0) {
      setAcceptedSendBufferSize(sendBuffer);
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
