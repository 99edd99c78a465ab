package dev.tollgate.router;

/** Counters an operator watches, read-only. Values only grow while the router runs. */
public interface RouterMetrics {

  /** WAMP sessions that reached WELCOME. */
  long sessionsOpened();

  /** WAMP sessions that left their realm, for whatever reason. */
  long sessionsClosed();

  /** Connections ended with ABORT {@code wamp.error.protocol_violation}. */
  long protocolViolations();

  /** Receivers disconnected because their outbound queue passed its bound. */
  long slowConsumerDisconnects();

  /** Connections closed with 1009 because a message passed {@code limits.max-message-size}. */
  long oversizedMessages();

  /** EVENTs queued to receivers. */
  long eventsDelivered();

  /** WebSocket connections open right now, WAMP session or not. */
  long openConnections();

  /** Tickets and passwords refused. */
  long authenticationFailures();

  /** Authentication attempts refused at once because their address failed too often. */
  long authenticationsThrottled();
}
