package io.quicksilver.server;

import io.quicksilver.alerts.AlertStore;
import io.quicksilver.alerts.AlertsVerticle;
import io.quicksilver.auth.KeyRing;
import io.quicksilver.auth.KeySource;
import io.quicksilver.auth.TrustedIssuer;
import io.quicksilver.bus.Addresses;
import io.quicksilver.bus.Codecs;
import io.quicksilver.cluster.BusTls;
import io.quicksilver.cluster.HazelcastSetup;
import io.quicksilver.config.HubConfig;
import io.quicksilver.demo.DemoServices;
import io.quicksilver.demo.LoginThrottle;
import io.quicksilver.demo.Sessions;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.InMemoryEventStore;
import io.quicksilver.history.RedisClients;
import io.quicksilver.history.RedisEventStore;
import io.quicksilver.http.Capacity;
import io.quicksilver.http.ListenerTls;
import io.quicksilver.metrics.HubMetrics;
import io.quicksilver.publish.Publisher;
import io.quicksilver.publish.PublisherVerticle;
import io.quicksilver.simulator.PriceSimulatorVerticle;
import io.quicksilver.subscriptions.SubscriptionsDirectory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.redis.client.Redis;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running hub: Vert.x (clustered or not), the event store and the verticles, started in order by
 * {@link #start}. Tests start hubs in-process with this class; {@link Main} starts one for the command line.
 */
public final class Hub {

  private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
  /** How often a drain checks whether any stream is left. */
  private static final long DRAIN_POLL_MS = 20;

  private final Vertx vertx;
  private final EventStore store;
  private final Redis redis;
  private final AtomicBoolean draining;
  private final int port;
  private final KeyRing keys;
  private final LongSupplier openStreams;
  private final Publisher publisher;
  private final List<String> httpDeployments;
  private Future<Void> closing;

  private Hub(Vertx vertx, EventStore store, Redis redis, AtomicBoolean draining, int port, KeyRing keys,
              LongSupplier openStreams, Publisher publisher, List<String> httpDeployments) {
    this.vertx = vertx;
    this.store = store;
    this.redis = redis;
    this.draining = draining;
    this.port = port;
    this.keys = keys;
    this.openStreams = openStreams;
    this.publisher = publisher;
    this.httpDeployments = List.copyOf(httpDeployments);
  }

  /** Starts a hub: standalone, or a cluster node when the configuration says so. */
  public static Future<Hub> start(HubConfig config) {
    return start(config, options -> { });
  }

  /**
   * Starts a hub whose Vert.x options are adjusted first (tests lower the blocked-thread limits with it).
   *
   * @param tuning applied to the options the hub chose, before Vert.x is built
   */
  public static Future<Hub> start(HubConfig config, Consumer<VertxOptions> tuning) {
    int loops = config.server().eventLoops() > 0 ? config.server().eventLoops() : Math.max(1, Runtime.getRuntime().availableProcessors());
    HubMetrics metrics = new HubMetrics();
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(loops)
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(config.ops().metrics())
            // bounded labels only: no remote or local addresses, no paths (they could carry topics)
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_SIDE, Label.EB_FAILURE)));
    tuning.accept(options);
    VertxBuilder builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(metrics.registry()));
    Future<Vertx> vertx;
    HazelcastClusterManager clusterManager = null;
    if (config.cluster().enabled()) {
      options.setEventBusOptions(BusTls.configure(new EventBusOptions()
          .setHost(config.cluster().host())
          .setPort(config.cluster().busPort()), config.cluster().busTls()));
      clusterManager = new HazelcastClusterManager(HazelcastSetup.config(config.cluster()));
      vertx = builder.withClusterManager(clusterManager).buildClustered();
    } else {
      vertx = Future.succeededFuture(builder.build());
    }
    HazelcastClusterManager cm = clusterManager;
    IntSupplier clusterSize = cm == null ? () -> 1 : () -> cm.isActive() ? cm.getNodes().size() : 0;
    metrics.clusterMembers(clusterSize::getAsInt);
    return vertx.compose(v -> {
      if (cm != null && cm.getNodeInfo() != null) {
        LOG.info("cluster member {}: event bus on {}:{} ({})", cm.getNodeId(), cm.getNodeInfo().host(), cm.getNodeInfo().port(),
            config.cluster().busTls() == null ? "cleartext" : "mutual TLS");
      }
      SubscriptionsDirectory subscriptions = !config.subscriptions() ? null : cm == null
          ? new SubscriptionsDirectory(v, "local", () -> List.of("local"))
          : new SubscriptionsDirectory(v, cm.getNodeId(), cm::getNodes);
      return (subscriptions == null ? Future.<Void>succeededFuture() : subscriptions.start())
          .compose(x -> KeyRing.start(v, keySources(config), config.auth().verification()))
          .compose(keys -> start(v, config, loops, metrics, clusterSize, subscriptions, keys))
          .onFailure(err -> v.close());
    });
  }

  /** Every source of verification keys: the roles' and the trusted issuers'. */
  private static List<KeySource> keySources(HubConfig config) {
    List<KeySource> sources = new ArrayList<>(List.of(config.auth().publisher(), config.auth().subscriber()));
    for (TrustedIssuer issuer : config.protocol().issuers()) {
      sources.add(issuer.publisher());
      sources.add(issuer.subscriber());
    }
    return sources;
  }

  /** Deploys the hub on a Vert.x instance, with {@code instances} HTTP verticles. */
  private static Future<Hub> start(Vertx vertx, HubConfig config, int instances, HubMetrics metrics, IntSupplier clusterSize,
                                   SubscriptionsDirectory subscriptions, KeyRing keys) {
    Codecs.register(vertx);
    String prefix = config.history().redisStream();
    Redis redis = config.history().redis() ? RedisClients.create(vertx, config.history()) : null;
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
        new Sessions(vertx, demo.sessionSecret(), Duration.ofHours(12)), new LoginThrottle(Clock.systemUTC()));
    List<HubHttpVerticle> http = new CopyOnWriteArrayList<>();
    AtomicBoolean draining = new AtomicBoolean();
    ListenerTls.Reloader certificates = config.server().tls() == null ? null : new ListenerTls.Reloader(vertx, config.server().tls());
    return store.compose(s -> certificates == null ? Future.succeededFuture(s) : certificates.start().map(s)).compose(s -> {
      Capacity capacity = new Capacity(config.http().maxConnections(), Capacity.heldInstructionsFor(Runtime.getRuntime().maxMemory()));
      Publisher publisher = new Publisher(vertx, s, metrics);
      HubServices services = new HubServices(s, metrics, draining, clusterSize, demoServices, subscriptions, keys, capacity, publisher);
      metrics.state(s::ready, draining::get);
      List<String> httpDeployments = new CopyOnWriteArrayList<>();
      return vertx.deployVerticle(new PublisherVerticle(publisher))
          .compose(id -> vertx.deployVerticle(() -> {
            HubHttpVerticle v = new HubHttpVerticle(config, services);
            http.add(v);
            return v;
          }, new DeploymentOptions().setInstances(instances)))
          .onSuccess(httpDeployments::add)
          .compose(id -> demoServices == null ? Future.succeededFuture() : vertx.deployVerticle(new PriceSimulatorVerticle(demo, s, redis, prefix))
              .compose(x -> vertx.deployVerticle(new AlertsVerticle(demo, demoServices.alerts(), s, redis, prefix))))
          .compose(id -> config.ops().metrics() && config.ops().metricsPort() != 0
              ? vertx.deployVerticle(new MetricsVerticle(config, metrics)) : Future.succeededFuture(""))
          .map(id -> {
            if (certificates != null) {
              certificates.watch(config.server().tlsReload().toMillis(), http.get(0)::updateSsl);
            }
            return new Hub(vertx, s, redis, draining, http.get(0).actualPort(), keys, metrics::connected, publisher, httpDeployments);
          });
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
   * Graceful shutdown, first half: readiness fails at once and new subscriptions are ended at once (so that
   * clients reconnect elsewhere); open streams are closed spread over the window. Completes as soon as no
   * stream is left open (at once on an idle node), at the latest when the window has passed. Publishing keeps
   * working.
   */
  public Future<Void> drain(Duration window) {
    draining.set(true);
    vertx.eventBus().publish(Addresses.DRAIN, window.toMillis(), new DeliveryOptions().setLocalOnly(true));
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + Duration.ofMillis(Math.max(1, window.toMillis()) + 100).toNanos();
    vertx.setPeriodic(1, DRAIN_POLL_MS, id -> {
      if (openStreams.getAsLong() <= 0 || System.nanoTime() - deadline >= 0) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }

  /**
   * Stops the hub in the order that loses nothing: publishes are refused (503 with {@code Retry-After}) while
   * the appends in flight get their outcome and their answers; then the HTTP verticles stop (streams end,
   * clients resume elsewhere by cursor), then the other verticles (leases are released), the store, Redis
   * and Vert.x (leaving the cluster). Calling it again returns the same future.
   */
  public synchronized Future<Void> close() {
    if (closing == null) {
      closing = stop();
    }
    return closing;
  }

  private Future<Void> stop() {
    return publisher.quiesce()
        .transform(ar -> Future.join(httpDeployments.stream().map(vertx::undeploy).toList()))
        .transform(ar -> Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()))
        .transform(ar -> keys.close())
        .transform(ar -> store.close())
        .transform(ar -> redis == null ? Future.succeededFuture() : redis.close())
        .transform(ar -> vertx.close());
  }
}
