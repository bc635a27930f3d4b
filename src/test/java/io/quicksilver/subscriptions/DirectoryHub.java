package io.quicksilver.subscriptions;

import io.quicksilver.auth.AccessTokens;
import io.quicksilver.auth.Authorizer;
import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.Role;
import io.quicksilver.auth.StaticKeys;
import io.quicksilver.auth.TokenVerifier;
import io.quicksilver.bus.Codecs;
import io.quicksilver.history.InMemoryEventStore;
import io.quicksilver.http.AuthenticationHandler;
import io.quicksilver.http.Cors;
import io.quicksilver.http.FailureHandler;
import io.quicksilver.mercure.ProtocolMode;
import io.quicksilver.metrics.HubMetrics;
import io.quicksilver.publish.PublisherVerticle;
import io.quicksilver.support.TestHub;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The active-subscriptions part of a hub, wired as the hub wires it (CORS, the subscriptions API, the failure
 * handler, the publisher and an in-memory event store) on a free port, with its {@link SubscriptionsDirectory}
 * in reach: tests register subscriptions directly, as the subscribe endpoint would. Close it after use.
 */
final class DirectoryHub implements AutoCloseable {

  /** An origin allowed cross-origin. */
  static final String ORIGIN = "https://app.example.com";

  private final Vertx vertx;
  private final InMemoryEventStore store;
  private final SubscriptionsDirectory directory;
  private final HttpServer server;

  private DirectoryHub(Vertx vertx, InMemoryEventStore store, SubscriptionsDirectory directory, HttpServer server) {
    this.vertx = vertx;
    this.store = store;
    this.directory = directory;
    this.server = server;
  }

  /** Starts one on a new Vert.x instance; subscriber tokens are verified with {@link TestHub#SUBSCRIBER_KEY}. */
  static DirectoryHub start() {
    Vertx vertx = Vertx.vertx();
    Codecs.register(vertx);
    HubMetrics metrics = new HubMetrics();
    InMemoryEventStore store = new InMemoryEventStore(1000);
    SubscriptionsDirectory directory = new SubscriptionsDirectory("local", () -> List.of("local"));
    TokenVerifier verifier = new TokenVerifier(new StaticKeys(vertx, JwtKey.parse("HS256", TestHub.SUBSCRIBER_KEY), Duration.ZERO));
    Authorizer subscribers = new Authorizer(Role.SUBSCRIBER, verifier, new AccessTokens(List.of(), source -> verifier),
        ProtocolMode.BOTH, List.of());
    Router router = Router.router(vertx);
    router.route().handler(new Cors(List.of(ORIGIN)));
    SubscriptionsApi api = new SubscriptionsApi(store, directory);
    AuthenticationHandler caller = new AuthenticationHandler(subscribers, "mercureAuthorization", null, SubscriptionsApi::draft08Hint);
    router.get(Subscription.PREFIX).handler(api::checkPath).handler(caller).handler(api);
    router.get(Subscription.PREFIX + "/*").handler(api::checkPath).handler(caller).handler(api);
    router.route().failureHandler(new FailureHandler(metrics, null));
    Future<HttpServer> started = vertx.deployVerticle(directory)
        .compose(v -> vertx.deployVerticle(new PublisherVerticle(store, metrics)))
        .compose(id -> vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    try {
      return new DirectoryHub(vertx, store, directory, await(started));
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:<port><pathAndQuery>}. */
  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + pathAndQuery);
  }

  /** The event store the subscription events go to. */
  InMemoryEventStore store() {
    return store;
  }

  /** Registers an opened subscription; returns the id of its event once stored. */
  String open(Subscription s) {
    return await(directory.opened(s));
  }

  /** Registers the end of a subscription; returns the id of its event once stored. */
  String close(Subscription s) {
    return await(directory.closed(s));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    // one step at a time from the test thread: a chain would complete on an event loop that the last step stops
    await(server.close());
    await(vertx.close());
  }
}
