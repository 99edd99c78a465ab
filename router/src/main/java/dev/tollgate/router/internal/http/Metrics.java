package dev.tollgate.router.internal.http;

import dev.tollgate.auth.TicketVerdict;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.router.internal.core.Counters;
import dev.tollgate.router.internal.security.Security;
import dev.tollgate.router.internal.transport.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code GET /metrics} shows, in Prometheus's text format: the router's counters (read from the core's
 * {@link Counters} when scraped, so the message path only bumps a LongAdder), the open sessions by realm, dialect and
 * authrole and the bytes queued to peers (one pass over the connections per scrape), the call round trip as a
 * histogram (written from the core's own buckets), authentication by outcome, and the JVM's own meters.
 *
 * <p>Thread-safe: a scrape takes a fresh snapshot of the connections, then renders.
 */
public final class Metrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counters counters;
  private final Supplier<Transport.Snapshot> connections;
  private final MultiGauge sessions;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private volatile Transport.Snapshot last = new Transport.Snapshot(Map.of(), 0, 0);

  public Metrics(Counters counters, Security security, Supplier<Transport.Snapshot> connections) {
    this.counters = counters;
    this.connections = connections;
    this.sessions = MultiGauge.builder("tollgate.sessions")
        .description("WAMP sessions joined now, by realm, dialect (json, msgpack, cbor, v1) and authrole")
        .register(registry);
    Gauge.builder("tollgate.connections", this, m -> m.last.connections())
        .description("WebSocket connections open now, joined or not").register(registry);
    Gauge.builder("tollgate.outbound.queued", this, m -> m.last.queuedBytes()).baseUnit("bytes")
        .description("Bytes waiting in all outbound queues").register(registry);

    counter("tollgate.sessions.opened", "WAMP sessions that reached WELCOME", counters, Counters::sessionsOpened);
    counter("tollgate.sessions.closed", "WAMP sessions that ended", counters, Counters::sessionsClosed);
    counter("tollgate.protocol.violations", "Sessions ended for a protocol violation", counters,
        Counters::protocolViolations);
    counter("tollgate.slow.consumers.closed", "Connections closed because their outbound queue passed its bound",
        counters, Counters::slowConsumerDisconnects);
    counter("tollgate.messages.oversized", "Inbound messages refused for their size", counters,
        Counters::oversizedMessages);
    counter("tollgate.events.delivered", "EVENTs queued to subscribers", counters, Counters::eventsDelivered);
    counter("tollgate.cluster.messages.sent", "Publications sent to the other nodes (cluster.redis.url)", counters,
        c -> c.clusterMessagesSent.sum());
    counter("tollgate.cluster.messages.received", "Publications received from the other nodes", counters,
        c -> c.clusterMessagesReceived.sum());
    counter("tollgate.cluster.messages.lost", "Publications that could not be sent to the other nodes (Redis away)",
        counters, c -> c.clusterMessagesLost.sum());
    for (int code = 0; code <= 70; code++) {
      String type = MessageCodes.name(code);
      if (type.startsWith("message type")) {
        continue;
      }
      int c = code;
      FunctionCounter.builder("tollgate.messages.in", counters, x -> x.messagesIn(c)).tags("type", type)
          .description("WAMP messages read, by type (a WAMP v1 message counts as the v2 message it becomes)")
          .register(registry);
      FunctionCounter.builder("tollgate.messages.out", counters,
              x -> c == MessageCodes.EVENT ? x.eventsDelivered() : x.messagesOut(c))
          .tags("type", type).description("WAMP messages queued to peers, by type").register(registry);
    }
    List<String> reasons = new ArrayList<>();
    for (TicketVerdict.Reason r : TicketVerdict.Reason.values()) {
      reasons.add(r.name());
    }
    reasons.add("PASSWORD");
    for (String reason : reasons) {
      FunctionCounter.builder("tollgate.authentication.failures", counters,
              x -> x.authenticationFailures(reason))
          .tags("reason", reason.toLowerCase(java.util.Locale.ROOT))
          .description("Tickets and passwords refused, by reason (password: the ticket endpoint's credentials)")
          .register(registry);
    }
    counter("tollgate.tickets.replayed", "Tickets refused because they were used before", counters,
        x -> x.authenticationFailures(TicketVerdict.Reason.REPLAYED.name()));
    counter("tollgate.authentications.paced", "Costly checks that waited in a throttled address's lane", counters,
        Counters::authenticationsPaced);
    counter("tollgate.authentications.throttled", "Authentications refused with 429", counters,
        Counters::authenticationsThrottled);
    Gauge.builder("tollgate.throttled.addresses", security, Security::throttledAddresses)
        .description("Client addresses whose costly checks are paced now").register(registry);

    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  private <T> void counter(String name, String description, T source, java.util.function.ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, source, value).description(description).register(registry);
  }

  /** The text a scrape returns: Prometheus's text exposition format. */
  public String scrape() {
    Transport.Snapshot now = connections.get();
    last = now;
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    now.sessions().forEach((key, count) ->
        rows.add(MultiGauge.Row.of(Tags.of("realm", key.get(0), "dialect", key.get(1), "authrole", key.get(2)), count)));
    sessions.register(rows, true);
    return registry.scrape() + roundTrips();
  }

  /**
   * The few figures the admin page charts, read now: gauges as they are, counters as totals since the start (the
   * page charts their rates). Cheaper than a scrape: one pass over the connections and the core's counters.
   */
  public Map<String, Object> summary() {
    Transport.Snapshot now = connections.get();
    long in = 0;
    long out = 0;
    for (int code = 0; code <= 70; code++) {
      in += counters.messagesIn(code);
      out += code == MessageCodes.EVENT ? 0 : counters.messagesOut(code);
    }
    long calls = 0;
    for (long bucket : counters.callRoundTripBuckets()) {
      calls += bucket;
    }
    Runtime jvm = Runtime.getRuntime();
    Map<String, Object> figures = new java.util.LinkedHashMap<>();
    figures.put("sessions", now.sessions().values().stream().mapToLong(Long::longValue).sum());
    figures.put("connections", (long) now.connections());
    figures.put("queuedBytes", now.queuedBytes());
    figures.put("messagesIn", in);
    figures.put("messagesOut", out + counters.eventsDelivered());
    figures.put("eventsDelivered", counters.eventsDelivered());
    figures.put("calls", calls);
    figures.put("callNanos", counters.callRoundTripNanos());
    figures.put("authenticationFailures", counters.authenticationFailures());
    figures.put("heapUsedBytes", jvm.totalMemory() - jvm.freeMemory());
    return figures;
  }

  /**
   * The call round-trip histogram in the text format, written here from the core's striped buckets (see
   * Counters.callRoundTrip: a Micrometer timer on every call cost too much).
   */
  private String roundTrips() {
    long[] buckets = counters.callRoundTripBuckets();
    StringBuilder out = new StringBuilder(1024);
    out.append("# HELP tollgate_calls_round_trip_seconds From a CALL routed to its RESULT or ERROR sent\n");
    out.append("# TYPE tollgate_calls_round_trip_seconds histogram\n");
    long cumulative = 0;
    for (int i = 0; i < Counters.ROUND_TRIP_BOUNDS_NANOS.length; i++) {
      cumulative += buckets[i];
      out.append("tollgate_calls_round_trip_seconds_bucket{le=\"")
          .append(BigDecimal.valueOf(Counters.ROUND_TRIP_BOUNDS_NANOS[i], 9).stripTrailingZeros().toPlainString())
          .append("\"} ").append(cumulative).append('\n');
    }
    cumulative += buckets[buckets.length - 1];
    out.append("tollgate_calls_round_trip_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
    out.append("tollgate_calls_round_trip_seconds_count ").append(cumulative).append('\n');
    out.append("tollgate_calls_round_trip_seconds_sum ").append(counters.callRoundTripNanos() / 1e9).append('\n');
    return out.toString();
  }

  /** The content type of {@link #scrape()}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
