package dev.tollgate.router.internal;

import dev.tollgate.protocol.ProtocolViolationException;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampMessage;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** A WAMP v2 connection in one serializer: messages go to and from the {@link RouterSession} as they are. */
final class WampV2Connection extends WebSocketConnection {
  private final Serializer serializer;

  WampV2Connection(RouterCore router, Serializer serializer, Identity urlIdentity, TollgateEndPoint endPoint) {
    super(router, WireFormat.of(serializer), urlIdentity, endPoint);
    this.serializer = serializer;
  }

  @Override
  protected void opened() {
    startHelloTimer();
  }

  @Override
  protected CompletableFuture<?> onMessage(ByteBuffer bytes, boolean binaryFrame) {
    if (binaryFrame != serializer.binary()) {
      session.protocolViolation(serializer.subprotocol() + " expects " + (serializer.binary() ? "binary" : "text")
          + " frames but a " + (serializer.binary() ? "text" : "binary") + " frame arrived");
      return null;
    }
    WampMessage message;
    try {
      message = serializer.codec().decode(bytes);
    } catch (ProtocolViolationException e) {
      session.protocolViolation(e.getMessage());
      return null;
    }
    return session.onMessage(message);
  }

  @Override
  protected byte[] encode(WampMessage message) {
    return serializer.codec().encode(message);
  }
}
