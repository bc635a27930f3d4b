package io.quicksilver.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The hub's own meters, in one Prometheus registry shared with Vert.x's HTTP and event-bus metrics and the
 * JVM's. Thread-safe. Labels are bounded sets (reasons, never topics or subscribers).
 *
 * <p>Names shared with the reference hub: {@code mercure_subscribers_connected},
 * {@code mercure_subscribers_total}, {@code mercure_updates_total}.
 */
public final class HubMetrics {

  /** Why a publish was refused, by HTTP status. */
  public enum Rejection { BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, UNAVAILABLE, UNCONFIRMED, OTHER }

  private final PrometheusMeterRegistry registry;
  private final AtomicLong connected = new AtomicLong();
  private final Counter subscribers;
  private final Counter directStreams;
  private final Counter responseStreams;
  private final Counter updates;
  private final Counter deliveries;
  private final Counter replays;
  private final Counter replayedEvents;
  private final Counter gapFills;
  private final Counter lostUpdates;
  private final Timer appendLatency;
  private final Map<CloseReason, Counter> disconnects = new EnumMap<>(CloseReason.class);
  private final Map<Rejection, Counter> rejections = new EnumMap<>(Rejection.class);
  private final Map<LossCause, Counter> lossDeclarations = new EnumMap<>(LossCause.class);

  public HubMetrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MeterRegistry r = registry;
    new JvmMemoryMetrics().bindTo(r);
    new JvmGcMetrics().bindTo(r);
    new JvmThreadMetrics().bindTo(r);
    new ClassLoaderMetrics().bindTo(r);
    new ProcessorMetrics().bindTo(r);
    Gauge.builder("mercure.subscribers.connected", connected, AtomicLong::get)
        .description("Open subscriber streams").register(r);
    subscribers = Counter.builder("mercure.subscribers").description("Subscriber streams opened").register(r);
    directStreams = streamsStarted("direct").register(r);
    responseStreams = streamsStarted("response").register(r);
    updates = Counter.builder("mercure.updates").description("Updates published (stored and dispatched)").register(r);
    deliveries = Counter.builder("quicksilver.deliveries").description("Updates handed to subscriber streams").register(r);
    replays = Counter.builder("quicksilver.replays").description("Subscriptions that asked for history").register(r);
    replayedEvents = Counter.builder("quicksilver.replayed.events").description("Updates read from history for replays (before topic and token filtering)").register(r);
    gapFills = Counter.builder("quicksilver.gap.fills").description("Sequence gaps filled from the event store").register(r);
    lostUpdates = Counter.builder("quicksilver.lost.updates").description("Updates missing from the bus and gone from the store").register(r);
    appendLatency = Timer.builder("quicksilver.store.append")
        .description("Event store append latency").publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10)).register(r);
    for (CloseReason reason : CloseReason.values()) {
      disconnects.put(reason, Counter.builder("quicksilver.subscribers.disconnected")
          .description("Subscriber streams ended, by reason").tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(r));
    }
    for (LossCause cause : LossCause.values()) {
      lossDeclarations.put(cause, Counter.builder("quicksilver.losses.declared")
          .description("Times a delivery instance ended its streams because updates may have been lost, by cause "
              + "(gap: gone from the store; epoch: the store's history was flushed, evicted or went backwards)")
          .tag("cause", cause.name().toLowerCase(Locale.ROOT)).register(r));
    }
    for (Rejection rejection : Rejection.values()) {
      rejections.put(rejection, Counter.builder("quicksilver.publish.rejections")
          .description("Publish requests refused, by reason").tag("reason", rejection.name().toLowerCase(Locale.ROOT)).register(r));
    }
  }

  /** The registry (Vert.x's metrics factory writes into it too). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Registers the cluster-size gauge. */
  public void clusterMembers(Supplier<Number> members) {
    // strong reference: the supplier is a fresh method reference nobody else holds, a weakly held one is
    // collected at the next GC and the gauge then reads NaN
    Gauge.builder("quicksilver.cluster.members", members, s -> s.get().doubleValue())
        .description("Nodes in the cluster (1 when standalone)").strongReference(true).register(registry);
  }

  /**
   * Registers the gauges of the node's state: {@code quicksilver_store_up} (1 while the event store is
   * reachable) and {@code quicksilver_draining} (1 from SIGTERM until the process exits).
   */
  public void state(BooleanSupplier storeUp, BooleanSupplier draining) {
    Gauge.builder("quicksilver.store.up", storeUp, s -> s.getAsBoolean() ? 1 : 0)
        .description("1 while the event store is reachable").strongReference(true).register(registry);
    Gauge.builder("quicksilver.draining", draining, s -> s.getAsBoolean() ? 1 : 0)
        .description("1 while the node drains before exiting").strongReference(true).register(registry);
  }

  public void subscribed() {
    connected.incrementAndGet();
    subscribers.increment();
  }

  /**
   * A stream started (its head is out): {@code direct} when its events go straight to the socket (HTTP/1.1),
   * else through Vert.x's response (HTTP/2, or the direct path unavailable).
   */
  public void streamStarted(boolean direct) {
    (direct ? directStreams : responseStreams).increment();
  }

  private static Counter.Builder streamsStarted(String writes) {
    return Counter.builder("quicksilver.streams.started").tag("writes", writes)
        .description("Subscriber streams started, by how their events are written: direct (straight to the socket, "
            + "HTTP/1.1) or response (through Vert.x: HTTP/2, or the direct path unavailable)");
  }

  /** Streams open on this node now. */
  public long connected() {
    return connected.get();
  }

  public void disconnected(CloseReason reason) {
    connected.decrementAndGet();
    disconnects.get(reason).increment();
  }

  public void published() {
    updates.increment();
  }

  public void delivered(int count) {
    if (count > 0) {
      deliveries.increment(count);
    }
  }

  public void replayed(int events) {
    replays.increment();
    replayedEvents.increment(events);
  }

  public void gapFilled() {
    gapFills.increment();
  }

  /** A delivery instance declared a loss (and ended its streams). */
  public void lossDeclared(LossCause cause, long count) {
    lossDeclarations.get(cause).increment();
    if (count > 0) {
      lostUpdates.increment(count);
    }
  }

  public void appendTook(long nanos) {
    appendLatency.record(Duration.ofNanos(nanos));
  }

  /** Counts a refused publish by its status code. */
  public void rejected(int status) {
    rejections.get(switch (status) {
      case 400 -> Rejection.BAD_REQUEST;
      case 401 -> Rejection.UNAUTHORIZED;
      case 403 -> Rejection.FORBIDDEN;
      case 413 -> Rejection.TOO_LARGE;
      case 415 -> Rejection.UNSUPPORTED_MEDIA_TYPE;
      case 503 -> Rejection.UNAVAILABLE;
      case 504 -> Rejection.UNCONFIRMED;
      default -> Rejection.OTHER;
    }).increment();
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
