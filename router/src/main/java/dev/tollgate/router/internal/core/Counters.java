package dev.tollgate.router.internal.core;

import dev.tollgate.router.RouterMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * The router's counters, bumped from any thread without contention: the core's, the transport's and
 * authentication's, read as one {@link RouterMetrics} view.
 */
public final class Counters implements RouterMetrics {
  public final LongAdder sessionsOpened = new LongAdder();
  public final LongAdder sessionsClosed = new LongAdder();
  public final LongAdder protocolViolations = new LongAdder();
  public final LongAdder slowConsumerDisconnects = new LongAdder();
  public final LongAdder oversizedMessages = new LongAdder();
  public final LongAdder eventsDelivered = new LongAdder();
  public final LongAdder openConnections = new LongAdder();
  public final LongAdder authenticationFailures = new LongAdder();
  public final LongAdder authenticationsPaced = new LongAdder();
  public final LongAdder authenticationsThrottled = new LongAdder();

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

  @Override
  public long authenticationFailures() {
    return authenticationFailures.sum();
  }

  @Override
  public long authenticationsPaced() {
    return authenticationsPaced.sum();
  }

  @Override
  public long authenticationsThrottled() {
    return authenticationsThrottled.sum();
  }
}
