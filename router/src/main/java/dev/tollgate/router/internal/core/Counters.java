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
  /** Publications this node handed to the cluster bus, received from it, and lost on the way there (Redis away). */
  public final LongAdder clusterMessagesSent = new LongAdder();
  public final LongAdder clusterMessagesReceived = new LongAdder();
  public final LongAdder clusterMessagesLost = new LongAdder();
  /** WAMP messages read, by message code (v1 ones counted as the v2 messages they become). */
  private final LongAdder[] messagesIn = adders(MAX_CODE + 1);
  /** WAMP messages queued to peers, by message code, EVENTs apart (they are {@link #eventsDelivered}). */
  private final LongAdder[] messagesOut = adders(MAX_CODE + 1);
  /** Authentication failures by reason: the ticket verdict's reasons, and {@code PASSWORD} for the ticket endpoint. */
  private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> failuresByReason =
      new java.util.concurrent.ConcurrentHashMap<>();
  /**
   * Calls' round trips (CALL routed to RESULT or ERROR sent) as a histogram: a count per bucket of
   * {@link #ROUND_TRIP_BOUNDS_NANOS} (the last counts what is above them all) and the sum. Striped adders, so that
   * every call can count itself without a lock or a shared atomic (Micrometer's timer cost about a tenth of RPC
   * throughput on 2 cores).
   */
  private final LongAdder[] roundTripBuckets = adders(ROUND_TRIP_BOUNDS_NANOS.length + 1);
  private final LongAdder roundTripNanos = new LongAdder();

  /** The histogram's upper bounds: 100 µs to 60 s. */
  public static final long[] ROUND_TRIP_BOUNDS_NANOS = {100_000L, 250_000L, 500_000L, 1_000_000L, 2_500_000L,
      5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L, 100_000_000L, 250_000_000L, 500_000_000L, 1_000_000_000L,
      2_500_000_000L, 5_000_000_000L, 10_000_000_000L, 30_000_000_000L, 60_000_000_000L};

  /** Message codes are small; anything above is not a WAMP message and is not counted. */
  static final int MAX_CODE = 70;

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  public void messageIn(int code) {
    if (code >= 0 && code <= MAX_CODE) {
      messagesIn[code].increment();
    }
  }

  public void messageOut(int code) {
    if (code >= 0 && code <= MAX_CODE) {
      messagesOut[code].increment();
    }
  }

  public long messagesIn(int code) {
    return code >= 0 && code <= MAX_CODE ? messagesIn[code].sum() : 0;
  }

  public long messagesOut(int code) {
    return code >= 0 && code <= MAX_CODE ? messagesOut[code].sum() : 0;
  }

  /** Counts one failure ({@link #authenticationFailures} is counted by the throttle) under its reason. */
  public void authenticationFailure(String reason) {
    failuresByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** The failures under {@code reason} so far. */
  public long authenticationFailures(String reason) {
    LongAdder n = failuresByReason.get(reason);
    return n == null ? 0 : n.sum();
  }

  public void callRoundTrip(long nanos) {
    int i = 0;
    while (i < ROUND_TRIP_BOUNDS_NANOS.length && nanos > ROUND_TRIP_BOUNDS_NANOS[i]) {
      i++;
    }
    roundTripBuckets[i].increment();
    roundTripNanos.add(nanos);
  }

  /** Calls counted in each bucket (not cumulative); the last is above every bound. */
  public long[] callRoundTripBuckets() {
    long[] out = new long[roundTripBuckets.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = roundTripBuckets[i].sum();
    }
    return out;
  }

  public long callRoundTripNanos() {
    return roundTripNanos.sum();
  }

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
