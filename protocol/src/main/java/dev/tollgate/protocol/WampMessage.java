package dev.tollgate.protocol;

import java.util.List;

/**
 * One WAMP v2 message, as an immutable record per message type.
 *
 * <p>Collections inside a message are never copied: a decoded message holds unmodifiable views, and code that builds a
 * message must not change the collections it passed in afterwards. That lets the router forward a payload from
 * PUBLISH to EVENT, or from YIELD to RESULT, without touching it.
 */
public sealed interface WampMessage
    permits Hello, Welcome, Abort, Challenge, Authenticate, Goodbye, ErrorMessage,
        Publish, Published, Subscribe, Subscribed, Unsubscribe, Unsubscribed, Event, EventReceived,
        Call, Cancel, Result, Register, Registered, Unregister, Unregistered, Invocation, Interrupt, Yield {

  /** The message type code, the first element on the wire. */
  int code();

  /** The elements of this message as they go on the wire, the type code first. */
  List<Object> toList();
}
