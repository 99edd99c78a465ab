package dev.tollgate.router.internal;

import dev.tollgate.router.RouterMetrics;
import java.util.concurrent.atomic.LongAdder;

/** The router's counters, bumped from any thread without contention. */
public final class Counters implements RouterMetrics {
  final LongAdder sessionsOpened = new LongAdder();
  final LongAdder sessionsClosed = new LongAdder();
  final LongAdder protocolViolations = new LongAdder();
  final LongAdder slowConsumerDisconnects = new LongAdder();
  final LongAdder oversizedMessages = new LongAdder();
  final LongAdder eventsDelivered = new LongAdder();
  final LongAdder openConnections = new LongAdder();

  @Override
  public long sessionsOpened() {
    return sessionsOpened.sum();
  }

  @Override
  public long sessionsClosed() {
    return sessionsClosed.sum();
  }

  @Override
  public long protocolViolations() {
    return protocolViolations.sum();
  }

  @Override
  public long slowConsumerDisconnects() {
    return slowConsumerDisconnects.sum();
  }

  @Override
  public long oversizedMessages() {
    return oversizedMessages.sum();
  }

  @Override
  public long eventsDelivered() {
    return eventsDelivered.sum();
  }

  @Override
  public long openConnections() {
    return openConnections.sum();
  }

  /** Set once by the router: the failure counters live with the throttle. */
  volatile AuthThrottle authThrottle;

  @Override
  public long authenticationFailures() {
    AuthThrottle t = authThrottle;
    return t == null ? 0 : t.failures.sum();
  }

  @Override
  public long authenticationsPaced() {
    AuthThrottle t = authThrottle;
    return t == null ? 0 : t.paced.sum();
  }

  @Override
  public long authenticationsThrottled() {
    AuthThrottle t = authThrottle;
    return t == null ? 0 : t.refused.sum();
  }
}
