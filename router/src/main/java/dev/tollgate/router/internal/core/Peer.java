package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.WampMessage;

/**
 * The other end of one session, as the routing core sees it: where its messages go. A WebSocket connection (WAMP v2
 * in any serializer, or WAMP v1) is one; an in-process peer (the meta API's own callee, a link to another node, a
 * test) is another. The core never frames, queues or names a transport: it hands a peer a message, or a publication
 * whose EVENT is encoded once per format and shared by every peer of that format.
 *
 * <p>Threading: every method may be called from any thread, several at once, and must never block: a peer queues,
 * bounded, and handles its own slow consumers. A peer must never call back into a session from inside these methods
 * (the caller may hold that session's lock; see {@link RouterSession}).
 */
public interface Peer {

  /** How a peer's transport is asked to end. */
  enum Close {
    /** The WAMP conversation ended as it should (GOODBYE answered, ABORT received). */
    NORMAL,
    /** The router is shutting down. */
    GOING_AWAY
  }

  /**
   * The format this peer reads, so that a publication is encoded at most once per format; a peer of its own kind
   * (in process) returns {@link WireFormat#OBJECTS} and reads the EVENT itself.
   */
  WireFormat format();

  /** Queues one message for this peer alone. */
  void send(WampMessage message);

  /** Queues an EVENT shared with other receivers: {@link Publication#encoded} in this peer's format. */
  void deliver(Publication publication);

  /** Queues a last message (ABORT, GOODBYE), then ends the transport once it is written. */
  void sendAndClose(WampMessage last);

  /**
   * The router says GOODBYE and waits for the peer's (shutdown). A dialect without GOODBYE (WAMP v1) ends its
   * transport in its own way instead.
   */
  void sayGoodbye(Goodbye goodbye);

  /** Ends the transport after what is already queued. */
  void close(Close how, String reason);

  /** The peer as logs name it. */
  String describe();

  /** The client's address, proxies resolved: authentication failures are counted by it. */
  String clientAddress();

  /** The session joined a realm as {@code who}; a transport may now apply what depends on the identity. */
  default void joined(Identity who) {}
}
