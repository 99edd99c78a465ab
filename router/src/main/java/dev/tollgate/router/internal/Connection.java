package dev.tollgate.router.internal;

import dev.tollgate.protocol.WampMessage;
import java.nio.ByteBuffer;

/**
 * What a router session needs from its transport. Sends never block: they queue, bounded, and a receiver whose
 * queue passes its bound is disconnected as a slow consumer. All methods are thread-safe.
 */
interface Connection {

  /** The format this connection's peer speaks. */
  WireFormat format();

  /** Encodes and queues one message for this receiver alone. */
  void send(WampMessage message);

  /**
   * Queues a whole WebSocket frame whose message is in {@link #format()}, shared with other receivers; it is not
   * modified.
   */
  void sendFrame(ByteBuffer shared);

  /** Queues a last message, then closes the transport with a normal close once it is written. */
  void sendAndClose(WampMessage last);

  /** Closes the transport with a WebSocket close code and reason, after what is already queued. */
  void close(int closeCode, String reason);

  /** The peer's address and port, for logs. */
  String remote();

  /** The peer's IP address, which authentication failures are counted by. */
  String remoteAddress();
}
