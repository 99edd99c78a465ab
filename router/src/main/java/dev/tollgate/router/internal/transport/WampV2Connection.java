package dev.tollgate.router.internal.transport;

import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.ProtocolViolationException;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.router.internal.core.Identity;
import dev.tollgate.router.internal.core.WireFormat;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A WAMP v2 connection in one serializer: messages go to and from the session as they are. */
final class WampV2Connection extends WebSocketConnection {
  private final Serializer serializer;

  WampV2Connection(Transport transport, Serializer serializer, Identity urlIdentity, Wire endPoint) {
    super(transport, WireFormat.of(serializer), urlIdentity, endPoint);
    this.serializer = serializer;
  }

  @Override
  protected void opened() {
    // the session waits for HELLO, within session.hello-timeout
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

  /**
   * A CALL, SUBSCRIBE or REGISTER too large to read is answered with ERROR, so that the caller does not wait for
   * ever; a PUBLISH only when it asked for acknowledgment, as for any failed publication ("If the Broker is unable
   * to publish, the Broker MUST send an ERROR ... only if acknowledge was set").
   */
  @Override
  protected void rejectOversized(byte[] head, boolean binaryFrame, String message) {
    var start = serializer.codec().head(head);
    if (start.isEmpty() || start.get().requestId() <= 0) {
      return;
    }
    int type = start.get().type();
    boolean answered = switch (type) {
      case MessageCodes.CALL, MessageCodes.SUBSCRIBE, MessageCodes.REGISTER -> true;
      case MessageCodes.PUBLISH -> start.get().acknowledge();
      default -> false;
    };
    if (answered && session.identity() != null) {
      send(new ErrorMessage(type, start.get().requestId(), Map.of(), WampErrors.PAYLOAD_SIZE_EXCEEDED,
          Payload.of(List.of(message))));
    }
  }

  @Override
  protected byte[] encode(WampMessage message) {
    return serializer.codec().encode(message);
  }
}
