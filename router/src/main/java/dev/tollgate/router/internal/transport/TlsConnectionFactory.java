package dev.tollgate.router.internal.transport;

import java.nio.ByteBuffer;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS for {@code wss://}: Jetty's, with the decrypted end point made a {@link Wire}, so that Tollgate's writers and
 * Jetty's WebSocket session write to it one at a time, as they do to a plain {@link TollgateEndPoint}, and so that a
 * reset reaches the socket below.
 *
 * <p>What TLS gives up: the v1 handshake's 101 and WELCOME leave in two writes ({@link Wire#hold} does nothing here).
 * Only Oro's PHP publisher needs them in one, and it connects without TLS ({@code tcp://127.0.0.1:8080}).
 */
final class TlsConnectionFactory extends SslConnectionFactory {

  TlsConnectionFactory(SslContextFactory.Server contexts) {
    super(contexts, "http/1.1");
  }

  @Override
  protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
    return new TlsConnection(connector, endPoint, engine, isDirectBuffersForEncryption(),
        isDirectBuffersForDecryption());
  }

  private static final class TlsConnection extends SslConnection {
    TlsConnection(Connector connector, EndPoint endPoint, SSLEngine engine, boolean directEncryption,
        boolean directDecryption) {
      super(connector.getByteBufferPool(), connector.getExecutor(), endPoint, engine, directEncryption,
          directDecryption);
    }

    @Override
    protected SslEndPoint newSslEndPoint() {
      return new TlsEndPoint();
    }

    /** The decrypted end point, as a wire. */
    private final class TlsEndPoint extends SslEndPoint implements Wire {
      private final OneWriteAtATime writes = new OneWriteAtATime();
      private final OneWriteAtATime.Direct direct = (cb, b) -> super.write(cb, b);

      TlsEndPoint() {
        TlsConnection.this.super();
      }

      @Override
      public void write(Callback callback, ByteBuffer... buffers) {
        writes.write(direct, callback, buffers);
      }

      private TollgateEndPoint socket() {
        return (TollgateEndPoint) getSslConnection().getEndPoint();
      }

      @Override
      public void hold() {
        // see the class comment
      }

      @Override
      public void releaseWithNextWrite() {
        // nothing is held
      }

      @Override
      public void resetConnection() {
        socket().resetConnection();
      }

      @Override
      public void resetConnectionUnlessClosedWithin(Duration grace) {
        socket().resetConnectionUnlessClosedWithin(grace);
      }

      @Override
      public void shutdownOutputThenReset(Duration grace) {
        shutdownOutput(); // TLS close_notify, then the socket's FIN
        socket().resetConnectionUnlessClosedWithin(grace);
      }
    }
  }
}
