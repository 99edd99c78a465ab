package dev.tollgate.router.internal.transport;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * Where a WAMP connection's bytes go, and the ways to end it: the accepted socket's {@link TollgateEndPoint} for
 * {@code ws://}, or the TLS layer above it for {@code wss://} ({@link TlsConnectionFactory}). Writes are taken one at a
 * time, Tollgate's and Jetty's alike.
 */
interface Wire {
  /** Writes after the writes before it, Jetty's own included. */
  void write(Callback callback, ByteBuffer... buffers);

  /** From now on, writes are held back (the 101 of a v1 upgrade), where that matters: see TollgateEndPoint. */
  void hold();

  /** The held bytes leave with the next write (the WELCOME frame). */
  void releaseWithNextWrite();

  /** Ends the connection at once with a TCP reset, dropping what the kernel still holds to send. */
  void resetConnection();

  /** Resets the connection unless it has closed by itself within {@code grace}. */
  void resetConnectionUnlessClosedWithin(Duration grace);

  /** Ends the output after what is already written and resets the connection if the peer has not closed in time. */
  void shutdownOutputThenReset(Duration grace);

  /** The wire of an upgrade request's connection; every connection Tollgate accepts has one. */
  static Wire of(Request request) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    if (endPoint instanceof Wire wire) {
      return wire;
    }
    throw new IllegalStateException("not accepted by TollgateConnector: " + endPoint);
  }
}
