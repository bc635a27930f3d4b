package io.quicksilver;

import io.quicksilver.alerts.AlertStore;
import io.quicksilver.alerts.AlertsVerticle;
import io.quicksilver.bus.Addresses;
import io.quicksilver.bus.Codecs;
import io.quicksilver.cluster.HazelcastSetup;
import io.quicksilver.config.HubConfig;
import io.quicksilver.demo.DemoServices;
import io.quicksilver.demo.Sessions;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.InMemoryEventStore;
import io.quicksilver.history.RedisEventStore;
import io.quicksilver.http.Capacity;
import io.quicksilver.http.HubHttpVerticle;
import io.quicksilver.http.MetricsVerticle;
import io.quicksilver.metrics.HubMetrics;
import io.quicksilver.publish.PublisherVerticle;
import io.quicksilver.simulator.PriceSimulatorVerticle;
import io.quicksilver.subscriptions.SubscriptionsDirectory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxBuilder;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.redis.client.Redis;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * A running hub: Vert.x (clustered or not), the event store and the verticles, started in order by
 * {@link #start}. Tests start hubs in-process with this class; {@link Main} starts one for the command line.
 */
public final class Hub {

  private final Vertx vertx;
  private final EventStore store;
  private final Redis redis;
  private final AtomicBoolean draining;
  private final int port;

  private Hub(Vertx vertx, EventStore store, Redis redis, AtomicBoolean draining, int port) {
    this.vertx = vertx;
    this.store = store;
    this.redis = redis;
    this.draining = draining;
    this.port = port;
  }

  /** Starts a hub: standalone, or a cluster node when the configuration says so. */
  public static Future<Hub> start(HubConfig config) {
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    HubMetrics metrics = new HubMetrics();
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(loops)
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(config.ops().metrics())
            // bounded labels only: no remote or local addresses, no paths (they could carry topics)
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_SIDE, Label.EB_FAILURE)));
    VertxBuilder builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(metrics.registry()));
    Future<Vertx> vertx;
    HazelcastClusterManager clusterManager = null;
    if (config.cluster().enabled()) {
      options.setEventBusOptions(new EventBusOptions()
          .setHost(config.cluster().host())
          .setPort(config.cluster().busPort()));
      clusterManager = new HazelcastClusterManager(HazelcastSetup.config(config.cluster()));
      vertx = builder.withClusterManager(clusterManager).buildClustered();
    } else {
      vertx = Future.succeededFuture(builder.build());
    }
    HazelcastClusterManager cm = clusterManager;
    IntSupplier clusterSize = cm == null ? () -> 1 : () -> cm.isActive() ? cm.getNodes().size() : 0;
    metrics.clusterMembers(clusterSize::getAsInt);
    return vertx.compose(v -> {
      SubscriptionsDirectory subscriptions = !config.subscriptions() ? null : cm == null
          ? new SubscriptionsDirectory(v, "local", () -> List.of("local"))
          : new SubscriptionsDirectory(v, cm.getNodeId(), cm::getNodes);
      return (subscriptions == null ? Future.<Void>succeededFuture() : subscriptions.start())
          .compose(x -> start(v, config, loops, metrics, clusterSize, subscriptions))
          .onFailure(err -> v.close());
    });
  }

  /** Deploys the hub on a Vert.x instance, with {@code instances} HTTP verticles. */
  private static Future<Hub> start(Vertx vertx, HubConfig config, int instances, HubMetrics metrics, IntSupplier clusterSize,
                                   SubscriptionsDirectory subscriptions) {
    Codecs.register(vertx);
    String prefix = config.history().redisStream();
    Redis redis = config.history().redisUrl() == null ? null
        : RedisEventStore.client(vertx, config.history().redisUrl(), config.history().redisTimeout());
    Future<EventStore> store;
    if (redis != null) {
      RedisEventStore redisStore = new RedisEventStore(vertx, redis, prefix, config.history().size(), config.history().redisTimeout());
      store = redisStore.start().map(v -> redisStore);
    } else {
      store = Future.succeededFuture(new InMemoryEventStore(config.history().size(), config.history().maxBytes()));
    }
    HubConfig.Demo demo = config.demo();
    DemoServices demoServices = !demo.enabled() ? null : new DemoServices(
        redis == null ? AlertStore.inMemory() : AlertStore.redis(redis, RedisEventStore.key(prefix, "alerts")),
        new Sessions(demo.sessionSecret(), Duration.ofHours(12), Clock.systemUTC()));
    List<HubHttpVerticle> http = new CopyOnWriteArrayList<>();
    AtomicBoolean draining = new AtomicBoolean();
    return store.compose(s -> {
      Capacity capacity = new Capacity(config.http().maxConnections(), Capacity.heldInstructionsFor(Runtime.getRuntime().maxMemory()));
      HubServices services = new HubServices(s, metrics, draining, clusterSize, demoServices, subscriptions, capacity);
      return vertx.deployVerticle(new PublisherVerticle(s, metrics))
          .compose(id -> vertx.deployVerticle(() -> {
            HubHttpVerticle v = new HubHttpVerticle(config, services);
            http.add(v);
            return v;
          }, new DeploymentOptions().setInstances(instances)))
          .compose(id -> demoServices == null ? Future.succeededFuture() : vertx.deployVerticle(new PriceSimulatorVerticle(demo, s, redis, prefix))
              .compose(x -> vertx.deployVerticle(new AlertsVerticle(demo, demoServices.alerts(), redis, prefix))))
          .compose(id -> config.ops().metrics() && config.ops().metricsPort() != 0
              ? vertx.deployVerticle(new MetricsVerticle(config, metrics)) : Future.succeededFuture(""))
          .map(id -> new Hub(vertx, s, redis, draining, http.get(0).actualPort()));
    });
  }

  /** The port the hub listens on. */
  public int port() {
    return port;
  }

  /** The Vert.x instance the hub runs on. */
  public Vertx vertx() {
    return vertx;
  }

  /** The event store. */
  public EventStore store() {
    return store;
  }

  /**
   * Graceful shutdown, first half: readiness fails at once and new subscriptions are refused; open streams
   * are closed spread over the window. Completes when the window has passed. Publishing keeps working.
   */
  public Future<Void> drain(Duration window) {
    draining.set(true);
    vertx.eventBus().publish(Addresses.DRAIN, window.toMillis(), new DeliveryOptions().setLocalOnly(true));
    Promise<Void> done = Promise.promise();
    vertx.setTimer(Math.max(1, window.toMillis()) + 100, id -> done.complete());
    return done.future();
  }

  /** Stops the verticles (streams end, leases are released), then the store, Redis and Vert.x (leaving the cluster). */
  public Future<Void> close() {
    List<Future<Void>> undeployed = vertx.deploymentIDs().stream().map(vertx::undeploy).toList();
    return Future.join(undeployed)
        .transform(ar -> store.close())
        .transform(ar -> redis == null ? Future.succeededFuture() : redis.close())
        .transform(ar -> vertx.close());
  }
}
