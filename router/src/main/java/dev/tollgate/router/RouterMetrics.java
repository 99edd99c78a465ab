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

  /** Inbound messages dropped because they passed {@code limits.max-message-size} (or the backend's limit). */
  long oversizedMessages();

  /** EVENTs queued to receivers. */
  long eventsDelivered();

  /** WebSocket connections open right now, WAMP session or not. */
  long openConnections();

  /** Tickets and passwords refused. */
  long authenticationFailures();

  /** Costly checks that waited in their address's lane because it had failed too often; none was refused for it. */
  long authenticationsPaced();

  /** Authentication attempts refused with 429: their throttled address already had auth.throttle-queue waiting. */
  long authenticationsThrottled();
}
