package io.quicksilver.server;

import io.quicksilver.auth.KeyRing;
import io.quicksilver.auth.KeySource;
import io.quicksilver.auth.TrustedIssuer;
import io.quicksilver.bus.Addresses;
import io.quicksilver.bus.Codecs;
import io.quicksilver.cluster.BusTls;
import io.quicksilver.cluster.HazelcastSetup;
import io.quicksilver.config.HubConfig;
import io.quicksilver.demo.Demo;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.InMemoryEventStore;
import io.quicksilver.history.RedisClients;
import io.quicksilver.history.RedisEventStore;
import io.quicksilver.http.Capacity;
import io.quicksilver.http.ListenerTls;
import io.quicksilver.metrics.HubMetrics;
import io.quicksilver.publish.Publisher;
import io.quicksilver.publish.PublisherVerticle;
import io.quicksilver.subscriptions.SubscriptionsDirectory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.redis.client.Redis;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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
  private final Capacity capacity;
  private Future<Void> closing;

  private Hub(Vertx vertx, EventStore store, Redis redis, AtomicBoolean draining, int port, KeyRing keys,
              LongSupplier openStreams, Publisher publisher, List<String> httpDeployments, Capacity capacity) {
    this.vertx = vertx;
    this.store = store;
    this.redis = redis;
    this.draining = draining;
    this.port = port;
    this.keys = keys;
    this.openStreams = openStreams;
    this.publisher = publisher;
    this.httpDeployments = List.copyOf(httpDeployments);
    this.capacity = capacity;
  }

  /** Starts a hub: standalone, or a cluster node when the configuration says so. */
  public static Future<Hub> start(HubConfig config) {
    return start(config, options -> { });
  }

  /**
   * Starts a hub whose Vert.x options are adjusted first (tests lower the blocked-thread limits with it). The steps,
   * in order: Vert.x (standalone or a cluster member), the active subscriptions' directory, the verification keys,
   * the event store, the listener's certificate, the publisher, the HTTP verticles, the demo, the metrics listener.
   * When a step fails, Vert.x is closed and the hub does not start.
   *
   * @param tuning applied to the options the hub chose, before Vert.x is built
   */
  public static Future<Hub> start(HubConfig config, Consumer<VertxOptions> tuning) {
    Startup startup = new Startup(config);
    return startup.startVertx(tuning)
        .compose(v -> startup.startDirectory())
        .compose(v -> startup.loadKeys())
        .compose(v -> startup.openStore())
        .compose(v -> startup.loadCertificates())
        .compose(v -> startup.deployPublisher())
        .compose(v -> startup.deployHttp())
        .compose(v -> startup.deployDemo())
        .compose(v -> startup.deployMetrics())
        .map(v -> startup.running())
        .onFailure(err -> startup.abandon());
  }

  /** The steps of {@link #start}, each leaving what the next ones need. */
  private static final class Startup {

    private final HubConfig config;
    private final int eventLoops;
    private final HubMetrics metrics = new HubMetrics();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** Every HTTP verticle instance, as Vert.x creates them. */
    private final List<HubHttpVerticle> http = new CopyOnWriteArrayList<>();
    /** Null for a standalone hub. */
    private final HazelcastClusterManager clusterManager;
    private Vertx vertx;
    private SubscriptionsDirectory subscriptions;
    private KeyRing keys;
    private Redis redis;
    private EventStore store;
    private ListenerTls.Reloader certificates;
    private Publisher publisher;
    private String httpDeployment;
    private Demo demo;
    private Capacity capacity;

    Startup(HubConfig config) {
      this.config = config;
      this.eventLoops = config.server().eventLoops() > 0 ? config.server().eventLoops() : Math.max(1, Runtime.getRuntime().availableProcessors());
      this.clusterManager = config.cluster().enabled() ? new HazelcastClusterManager(HazelcastSetup.config(config.cluster())) : null;
    }

    /** Nodes in the cluster as this node sees them: 1 standalone, 0 when not joined. */
    private int clusterSize() {
      return clusterManager == null ? 1 : clusterManager.isActive() ? clusterManager.getNodes().size() : 0;
    }

    /** Vert.x with the hub's meters: standalone, or a cluster member when the configuration says so. */
    Future<Void> startVertx(Consumer<VertxOptions> tuning) {
      VertxOptions options = new VertxOptions().setEventLoopPoolSize(eventLoops)
          .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(config.ops().metrics())
              // bounded labels only: no remote or local addresses, no paths (they could carry topics); the pools' type
              // and name tell Vert.x's few thread pools apart (without them their gauges clash, and all but one are dropped)
              .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_SIDE, Label.EB_FAILURE,
                  Label.POOL_TYPE, Label.POOL_NAME)));
      tuning.accept(options);
      Transport transport;
      try {
        transport = transport(config.server().transport());
      } catch (IllegalStateException e) {
        return Future.failedFuture(e);
      }
      VertxBuilder builder = Vertx.builder().with(options).withTransport(transport)
          .withMetrics(new MicrometerMetricsFactory(metrics.registry()));
      metrics.clusterMembers(this::clusterSize);
      if (clusterManager == null) {
        vertx = builder.build();
        return Future.succeededFuture();
      }
      options.setEventBusOptions(BusTls.configure(new EventBusOptions()
          .setHost(config.cluster().host())
          .setPort(config.cluster().busPort()), config.cluster().busTls()));
      return builder.withClusterManager(clusterManager).buildClustered().map(v -> {
        vertx = v;
        if (clusterManager.getNodeInfo() != null) {
          LOG.info("cluster member {}: event bus on {}:{} ({})", clusterManager.getNodeId(), clusterManager.getNodeInfo().host(),
              clusterManager.getNodeInfo().port(), config.cluster().busTls() == null ? "cleartext" : "mutual TLS");
        }
        return null;
      });
    }

    /**
     * The transport the configuration asks for. io_uring submits a loop iteration's socket writes together instead
     * of one system call each (a broadcast's CPU per delivery falls by about a fifth); the kernel, or a container's
     * seccomp profile, may refuse it, and then {@code auto} takes NIO.
     *
     * @throws IllegalStateException io_uring was asked for and is not available
     */
    static Transport transport(HubConfig.Transport wanted) {
      Transport uring = Transport.IO_URING;
      boolean available = uring != null && uring.available();
      return switch (wanted) {
        case NIO -> Transport.NIO;
        case AUTO -> available ? uring : Transport.NIO;
        case IO_URING -> {
          if (!available) {
            throw new IllegalStateException("http.transport is io_uring, which is not available here: "
                + (uring == null ? "not on the class path" : uring.unavailabilityCause()));
          }
          yield uring;
        }
      };
    }

    /** The active subscriptions' directory, when that feature is on, before any stream can register with it. */
    Future<Void> startDirectory() {
      if (!config.subscriptions()) {
        return Future.succeededFuture();
      }
      subscriptions = clusterManager == null
          ? new SubscriptionsDirectory("local", () -> List.of("local"))
          : new SubscriptionsDirectory(clusterManager.getNodeId(), clusterManager::getNodes);
      return vertx.deployVerticle(subscriptions).mapEmpty();
    }

    /** The verification keys of every role and trusted issuer (each JWK Set read once). */
    Future<Void> loadKeys() {
      return KeyRing.start(vertx, keySources(config), config.auth().verification()).map(ring -> {
        keys = ring;
        return null;
      });
    }

    /** The event bus's codecs, and the history: in Redis (with its client) when configured, else in memory. */
    Future<Void> openStore() {
      Codecs.register(vertx);
      HubConfig.History history = config.history();
      if (!history.redis()) {
        store = new InMemoryEventStore(history.size(), history.maxBytes());
        return Future.succeededFuture();
      }
      redis = RedisClients.create(vertx, history);
      RedisEventStore redisStore = new RedisEventStore(vertx, redis, history.redisPrefix(), history.size(), history.redisTimeout());
      return redisStore.start().map(v -> {
        store = redisStore;
        return null;
      });
    }

    /** The listener's certificate and key, when TLS is on. */
    Future<Void> loadCertificates() {
      if (config.server().tls() == null) {
        return Future.succeededFuture();
      }
      certificates = new ListenerTls.Reloader(vertx, config.server().tls());
      return certificates.start();
    }

    /**
     * The node's one publisher (the HTTP handlers call it, the hub's own publishers reach it on the bus); from now
     * on the meters report the store's readiness and the drain.
     */
    Future<Void> deployPublisher() {
      metrics.state(store::ready, draining::get);
      publisher = new Publisher(vertx, store, metrics);
      return vertx.deployVerticle(new PublisherVerticle(publisher)).mapEmpty();
    }

    /** One HTTP verticle per event loop, all on one port; each mounts the demo's routes when the demo is on. */
    Future<Void> deployHttp() {
      demo = config.demo().enabled() ? new Demo(vertx, new NodeApi(vertx, config, store, keys, redis), config.demo()) : null;
      long heap = Runtime.getRuntime().maxMemory();
      int connections = config.http().maxConnections() != 0 ? config.http().maxConnections()
          : Capacity.connectionsFor(heap, Capacity.openFileLimit());
      capacity = new Capacity(connections, Capacity.heldInstructionsFor(heap));
      HubServices services = new HubServices(store, metrics, draining, this::clusterSize, demo, subscriptions, keys, capacity, publisher);
      return vertx.deployVerticle(() -> {
        HubHttpVerticle instance = new HubHttpVerticle(config, services);
        http.add(instance);
        return instance;
      }, new DeploymentOptions().setInstances(eventLoops)).map(id -> {
        httpDeployment = id;
        return null;
      });
    }

    /** The demo's price simulator and alerts watcher, when the demo is on. */
    Future<Void> deployDemo() {
      return demo == null ? Future.succeededFuture() : demo.deploy();
    }

    /** The metrics listener, when metrics are on and have a port of their own. */
    Future<Void> deployMetrics() {
      return config.ops().metrics() && config.ops().metricsPort() != 0
          ? vertx.deployVerticle(new MetricsVerticle(config, metrics)).mapEmpty() : Future.succeededFuture();
    }

    /** The running hub; the certificate is watched for renewals from now on. */
    Hub running() {
      HubHttpVerticle first = http.get(0);
      if (certificates != null) {
        certificates.watch(config.server().tlsReload().toMillis(), first::updateSsl);
      }
      return new Hub(vertx, store, redis, draining, first.actualPort(), keys, metrics::connected, publisher, List.of(httpDeployment),
          capacity);
    }

    /** After a failed step: closes Vert.x, if it was built. */
    void abandon() {
      if (vertx != null) {
        vertx.close();
      }
    }
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

  /** The port the hub listens on. */
  public int port() {
    return port;
  }

  /** The network transport this node runs on: {@code io_uring} or {@code nio} (see {@code http.transport}). */
  public String transport() {
    return vertx.isNativeTransportEnabled() ? "io_uring" : "nio";
  }

  /** The connections and streams this node takes (derived from the process's limits unless configured). */
  public Capacity capacity() {
    return capacity;
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
    vertx.setTimer(1, id -> pollDrain(done, deadline));
    return done.future();
  }

  /**
   * One-shot timers, never cancelled: a periodic timer cancelled from its own first run, when it was set from a
   * thread outside Vert.x (SIGTERM's), can run before Vert.x has recorded it, and its cancellation then fails.
   */
  private void pollDrain(Promise<Void> done, long deadline) {
    if (openStreams.getAsLong() <= 0 || System.nanoTime() - deadline >= 0) {
      done.tryComplete();
    } else {
      vertx.setTimer(DRAIN_POLL_MS, id -> pollDrain(done, deadline));
    }
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
