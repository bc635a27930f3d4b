package io.quicksilver.server;

import io.quicksilver.auth.AccessTokens;
import io.quicksilver.auth.Authorizer;
import io.quicksilver.auth.KeyRing;
import io.quicksilver.auth.Role;
import io.quicksilver.bus.Addresses;
import io.quicksilver.config.HubConfig;
import io.quicksilver.demo.Demo;
import io.quicksilver.history.EventStore;
import io.quicksilver.http.AccessLog;
import io.quicksilver.http.AuthenticationHandler;
import io.quicksilver.http.ConnectionGuard;
import io.quicksilver.http.Cors;
import io.quicksilver.http.FailureHandler;
import io.quicksilver.http.HubUi;
import io.quicksilver.http.ListenerTls;
import io.quicksilver.http.ProtectedResourceMetadata;
import io.quicksilver.http.RequestLimits;
import io.quicksilver.http.TrustedProxies;
import io.quicksilver.mercure.HubPath;
import io.quicksilver.metrics.CloseReason;
import io.quicksilver.metrics.HubMetrics;
import io.quicksilver.publish.PublishHandler;
import io.quicksilver.stream.StreamServices;
import io.quicksilver.stream.SubscribeHandler;
import io.quicksilver.stream.SubscriberRegistry;
import io.quicksilver.stream.UpdateFeed;
import io.quicksilver.subscriptions.Subscription;
import io.quicksilver.subscriptions.SubscriptionsApi;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The hub's HTTP face, deployed once per event loop; all instances share one port.
 *
 * <p>Each instance owns the SSE streams it accepted, in its own {@link SubscriberRegistry}, and is the
 * one consumer of {@link Addresses#UPDATES} for them. A single periodic timer per instance drives
 * heartbeats and stall checks for all its streams.
 */
public final class HubHttpVerticle extends VerticleBase {

  /** The hub's path (classic protocol, "Discovery"). */

  /** The safe method with a body that subscribes with parameters too long for a URL (draft-08 "Subscription"). */
  static final HttpMethod QUERY = HttpMethod.valueOf("QUERY");
  /** Bytes each instance's cache of template and pattern match results may hold (estimated). */
  private static final long MATCH_CACHE_BYTES = 4L << 20;
  private static final int ACCEPT_BACKLOG = 4096;
  /**
   * SO_SNDBUF of every connection. A fixed size turns off Linux's send-buffer autotuning (up to
   * {@code tcp_wmem}'s 4 MiB per socket): a subscriber that stops reading then holds at most about twice this
   * in the kernel (Linux doubles the value for its bookkeeping), so Netty's write buffer (high-water mark
   * 64 KiB) fills, and the slow-subscriber rule sees the stall, after well under 1 MiB instead of several.
   * SSE events are small; 256 KiB still keeps a 40 Mbit/s stream going at 50 ms round trip.
   */
  private static final int SEND_BUFFER_BYTES = 256 * 1024;

  private final HubConfig config;
  private final HubServices services;
  private final EventStore store;
  private SubscriberRegistry registry;
  private HttpServer server;
  private UpdateFeed updates;
  private ConnectionGuard guard;
  private MessageConsumer<Long> drain;
  private long ticker = -1;

  public HubHttpVerticle(HubConfig config, HubServices services) {
    this.config = config;
    this.services = services;
    this.store = services.store();
  }

  /** The port this instance listens on (valid after start). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    HubMetrics metrics = services.metrics();
    registry = new SubscriberRegistry(MATCH_CACHE_BYTES, metrics::disconnected, context);
    HubConfig.Protocol protocol = config.protocol();
    KeyRing keys = services.keys();
    AccessTokens accessTokens = new AccessTokens(protocol.issuers(), keys::verifier);
    Authorizer subscribers = new Authorizer(Role.SUBSCRIBER, keys.verifier(config.auth().subscriber()), accessTokens,
        protocol.mode(), List.of());
    Authorizer publishers = new Authorizer(Role.PUBLISHER, keys.verifier(config.auth().publisher()), accessTokens,
        protocol.mode(), config.auth().publishOrigins());
    String cookie = config.auth().cookieName();
    String resource = protocol.resourceIdentifier();

    Router router = Router.router(vertx);
    if (config.logging().access()) {
      router.route().handler(new AccessLog());
    }
    router.route().handler(new Cors(config.auth().corsOrigins()));
    HealthRoutes.mountProbes(router, services, config.cluster().enabled(), config.ops().readinessRequiresRedis());
    if (config.ops().metrics() && config.ops().metricsPort() == 0) {
      HealthRoutes.mountMetrics(router, metrics, config.ops().metricsToken());
    }
    RequestLimits limits = new RequestLimits(config.http().maxBody(), config.http().maxFields(), config.stream().maxTopics());
    SubscribeHandler subscribe = new SubscribeHandler(vertx, subscribeSettings(config, limits),
        new StreamServices(store, metrics, services.draining()::get, services.capacity(), services.subscriptions()), registry);
    AuthenticationHandler subscriber = new AuthenticationHandler(subscribers, cookie, resource, SubscribeHandler::draft08Hint);
    router.get(HubPath.VALUE).handler(subscribe::parse).handler(subscriber).handler(subscribe);
    router.head(HubPath.VALUE).handler(subscribe::parse).handler(subscriber).handler(subscribe);
    if (protocol.mode().draft08Enabled()) {
      router.route(QUERY, HubPath.VALUE).handler(subscribe::parseQuery).handler(subscriber).handler(subscribe);
      router.get(ProtectedResourceMetadata.PATH).handler(
          new ProtectedResourceMetadata(protocol.resourceIdentifier(), config.auth().cookieName(), services.subscriptions() != null));
    }
    if (services.subscriptions() != null) {
      SubscriptionsApi api = new SubscriptionsApi(store, services.subscriptions());
      AuthenticationHandler apiCaller = new AuthenticationHandler(subscribers, cookie, resource, SubscriptionsApi::draft08Hint);
      router.get(Subscription.PREFIX).handler(api::checkPath).handler(apiCaller).handler(api);
      router.get(Subscription.PREFIX + "/*").handler(api::checkPath).handler(apiCaller).handler(api);
    }
    router.post(HubPath.VALUE)
        .handler(new AuthenticationHandler(publishers, cookie, resource, ctx -> PublishHandler.draft08Hint(ctx, cookie)))
        .handler(new PublishHandler(limits, services.publisher()));
    if (config.ui()) {
      HubUi.mount(router, protocol.mode(), config.subscriptions());
    }
    Demo demo = services.demo();
    if (demo != null) {
      demo.mount(router, NodeApi.streams(subscribe));
    }
    FailureHandler failures = new FailureHandler(metrics, protocol.resourceIdentifier());
    router.route().failureHandler(failures);
    // unmatched requests never reach failure handlers: without these the router answers its own HTML (404) or empty (405) bodies
    router.errorHandler(404, failures);
    router.errorHandler(405, ctx -> {
      ctx.response().putHeader("Allow", HubPath.VALUE.equals(ctx.request().path())
          ? (protocol.mode().draft08Enabled() ? "GET, HEAD, POST, QUERY" : "GET, HEAD, POST") : "GET");
      failures.handle(ctx);
    });

    updates = UpdateFeed.start(vertx, store, update -> metrics.delivered(registry.dispatch(update)), loss -> {
      metrics.lossDeclared(loss.cause(), loss.count());
      registry.declareLoss(loss.resumeAt());
    });
    updates.sequencer().onGapFill(metrics::gapFilled);
    updates.sequencer().onEpochChange(registry::sequencesRestarted);
    drain = vertx.eventBus().<Long>localConsumer(Addresses.DRAIN, message -> registry.drain(message.body()));
    long tickMs = tickMillis(config.stream());
    long heartbeatNanos = config.stream().heartbeat().toNanos();
    ticker = vertx.setPeriodic(tickMs, id -> registry.tick(System.nanoTime(), heartbeatNanos));

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        // several instances share one port; -1 asks for one random port shared by all of them
        .setPort(config.http().port() == 0 ? -1 : config.http().port())
        .setMaxInitialLineLength(config.http().maxInitialLineLength())
        .setMaxHeaderSize(config.http().maxHeaderSize())
        // requests and finished streams; an open SSE stream applies it to its own writes (see DirectSink)
        .setIdleTimeout((int) config.http().idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // events are small and latency-bound, and writes are already coalesced per event-loop iteration
        .setTcpNoDelay(true)
        // a reconnect storm opens thousands of connections at once (the kernel caps it at somaxconn)
        .setAcceptBacklog(ACCEPT_BACKLOG)
        .setSendBufferSize(SEND_BUFFER_BYTES)
        .setCompressionSupported(false)
        // the hub serves no WebSocket: without these Vert.x puts a WebSocket extension handler (and its two
        // compression handshakers) in every HTTP/1.x connection's pipeline, which looks at every request and response
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        // every request and response of an HTTP/1.x connection is handled on its own event loop (deliveries, replays
        // and answers after a worker's or Redis's result all continue there): Vert.x then writes straight to the
        // channel instead of through a per-connection cross-thread queue (a 1 024-slot array for each open stream)
        .setStrictThreadMode(true);
    ListenerTls.configure(options, config.server().tls(), config.server().h2c());
    TrustedProxies proxies = new TrustedProxies(config.server().trustedProxies());
    server = vertx.createHttpServer(options);
    guard = new ConnectionGuard(vertx, services.capacity(), config.http().headerTimeout(), config.http().maxFields());
    guard.install(server, request -> router.handle(proxies.apply(request)));
    return updates.registered().compose(v -> drain.completion()).compose(v -> server.listen());
  }

  /** Replaces the listener's certificate for new connections (the listener is shared by every instance). */
  public Future<Boolean> updateSsl(ServerSSLOptions options) {
    return server.updateSSLOptions(options);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(ticker);
    guard.stop();
    registry.closeAll(CloseReason.SHUTDOWN);
    return updates.stop().compose(v -> drain.unregister()).compose(v -> server.close());
  }

  /** What the subscription handler takes from the configuration. */
  private static SubscribeHandler.Settings subscribeSettings(HubConfig config, RequestLimits limits) {
    HubConfig.Stream stream = config.stream();
    // the history holds as many hub events as updates besides them: a replay of twice its size reaches the head
    int replayLimit = 2 * config.history().size();
    return new SubscribeHandler.Settings(config.protocol().mode(), config.protocol().resourceIdentifier(), config.auth().anonymous(),
        limits, stream.subscriberBuffer(), stream.dispatchTimeout(), stream.writeTimeout(), replayLimit);
  }

  /** Upkeep granularity: a quarter of the shortest interval it must honour, between 50 ms and 1 s. */
  static long tickMillis(HubConfig.Stream stream) {
    long shortest = Long.MAX_VALUE;
    if (!stream.heartbeat().isZero()) {
      shortest = stream.heartbeat().toMillis();
    }
    if (!stream.dispatchTimeout().isZero()) {
      shortest = Math.min(shortest, stream.dispatchTimeout().toMillis());
    }
    return Math.max(50, Math.min(1000, shortest / 4));
  }

}
