package dev.tollgate.bench.load;

/**
 * Settings shared by every scenario.
 *
 * @param realm          realm to join
 * @param warmupSeconds  load applied before each measured interval
 * @param durationSeconds length of each measured interval
 * @param rateFraction   fan-out latency is measured at this fraction of the maximum rate just measured
 * @param pacedRate      if above 0: fan-out latency is measured at this many deliveries/s instead, and the maximum
 *                       rate is not measured
 * @param threads        selector threads per group of sessions in the load generator
 * @param concurrency    session handshakes in flight at once
 * @param windowBytes    fan-out: at most this many event bytes outstanding per subscriber (below the router's queue bound)
 * @param windowEvents   fan-out: and at most this many events
 */
record Options(String realm, double warmupSeconds, double durationSeconds, double rateFraction, double pacedRate, int threads,
               int concurrency, int windowBytes, int windowEvents) {
}
