package io.quicksilver.server;

import io.quicksilver.auth.TokenSigner;
import io.quicksilver.config.ConfigLoader;
import io.quicksilver.config.HubConfig;
import io.quicksilver.mercure.HubPath;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hub's request paths before the hub starts, so that the first clients of a new node (a pod in a
 * rollout meets a reconnect storm at once) find them compiled rather than interpreted.
 *
 * <p>The work is done on a private hub: standalone, in memory, listening on a random loopback port, with random
 * HMAC keys and both protocol generations, on its own Vert.x instance; it shares nothing with the real hub but the
 * code, and is closed before the real hub starts. Its clients publish on keep-alive connections to a few
 * subscribers (exact topics and URI templates), and open and close streams, some resuming from a cursor.
 * The clients work for the budget (the private hub's start and close come on top, about a second), or less when
 * enough requests were made; a failure only skips the rest of it.
 */
public final class WarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  private static final String TOPIC = "https://warm-up.quicksilver.invalid/items/";
  private static final int SUBSCRIBERS = 16;
  private static final int PUBLISHERS = 8;
  private static final int OPENERS = 4;
  /** Enough requests for the JIT's last tier on every path the clients take. */
  private static final long MAX_PUBLISHES = 60_000;
  private static final long MAX_OPENS = 12_000;
  /** How long a stream that is not kept stays open. */
  private static final long STREAM_MILLIS = 5;

  private final Vertx vertx;
  private final HttpClient publishers;
  private final HttpClient streams;
  private final int port;
  private final String token;
  private final long deadline;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong opened = new AtomicLong();
  private final List<String> ids = new ArrayList<>();

  private WarmUp(Vertx vertx, int port, String token, long deadline) {
    this.vertx = vertx;
    this.port = port;
    this.token = token;
    this.deadline = deadline;
    this.publishers = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(PUBLISHERS));
    this.streams = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false),
        new PoolOptions().setHttp1MaxSize(SUBSCRIBERS + OPENERS));
  }

  /**
   * What a warm-up did.
   *
   * @param publishes publishes accepted (200)
   * @param streams   streams opened and closed (besides the few kept open throughout)
   */
  public record Result(long publishes, long streams) {
  }

  /**
   * Warms up for at most {@code budget} (zero: does nothing). Never fails: a warm-up that cannot run is logged
   * and skipped (its result then counts nothing).
   */
  public static Future<Result> run(HubConfig config, Duration budget) {
    if (budget.isZero() || budget.isNegative()) {
      return Future.succeededFuture(new Result(0, 0));
    }
    long started = System.nanoTime();
    String publisherKey = secret();
    HubConfig warm = ConfigLoader.load(Map.of(
        "QS_HTTP_HOST", "127.0.0.1",
        "QS_HTTP_PORT", "0",
        "QS_EVENT_LOOPS", Integer.toString(config.server().eventLoops()),
        "MERCURE_PUBLISHER_JWT_KEY", publisherKey,
        "MERCURE_SUBSCRIBER_JWT_KEY", secret(),
        "QS_ANONYMOUS", "true",
        "QS_METRICS", Boolean.toString(config.ops().metrics()),
        "QS_METRICS_PORT", "0"), null);
    // the clients on a Vert.x of their own, without metrics: the private hub's event loops serve only the hub
    Vertx clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    return Hub.start(warm).compose(hub -> {
      String token = TokenSigner.of(clients, "HS256", publisherKey, null)
          .sign(new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray().add("*"))));
      WarmUp run = new WarmUp(clients, hub.port(), token, System.nanoTime() + budget.toNanos());
      return run.drive()
          .map(v -> new Result(run.accepted.get(), run.opened.get()))
          .onSuccess(r -> LOG.info("warm-up: {} publishes and {} streams opened in {} ms", r.publishes(), r.streams(),
              Duration.ofNanos(System.nanoTime() - started).toMillis()))
          .eventually(hub::close);
    }).eventually(clients::close).otherwise(err -> {
      LOG.warn("warm-up skipped: {}", err.toString());
      return new Result(0, 0);
    });
  }

  private Future<Void> drive() {
    List<Future<?>> chains = new ArrayList<>();
    for (int i = 0; i < SUBSCRIBERS; i++) {
      chains.add(subscribe(i % 2 == 0 ? TOPIC + (i % 4) : TOPIC + "{id}", null, true));
    }
    for (int i = 0; i < PUBLISHERS; i++) {
      chains.add(publishLoop());
    }
    for (int i = 0; i < OPENERS; i++) {
      chains.add(openLoop());
    }
    return Future.join(chains).eventually(() -> Future.join(publishers.close(), streams.close())).mapEmpty();
  }

  private boolean more() {
    return System.nanoTime() - deadline < 0;
  }

  private Future<Void> publishLoop() {
    if (!more() || published.get() >= MAX_PUBLISHES) {
      return Future.succeededFuture();
    }
    long n = published.incrementAndGet();
    String body = "topic=" + URLEncoder.encode(TOPIC + (n % 4), StandardCharsets.UTF_8)
        + "&data=" + URLEncoder.encode("{\"warm-up\":" + n + "}", StandardCharsets.UTF_8)
        + (n % 8 == 0 ? "&private=on" : "");
    return publishers.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(HubPath.VALUE)
            .putHeader("Authorization", "Bearer " + token)
            .putHeader("Content-Type", "application/x-www-form-urlencoded"))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(id -> {
          if (response.statusCode() == 200) {
            accepted.incrementAndGet();
            if (n % 1000 == 1) {
              synchronized (ids) {
                ids.add(id.toString());
              }
            }
          }
          return null;
        }))
        .compose(v -> publishLoop());
  }

  private Future<Void> openLoop() {
    if (!more() || opened.get() >= MAX_OPENS) {
      return Future.succeededFuture();
    }
    long n = opened.incrementAndGet();
    String cursor;
    synchronized (ids) {
      cursor = n % 2 == 0 && !ids.isEmpty() ? ids.get((int) (n % ids.size())) : null;
    }
    String selector = n % 3 == 0 ? TOPIC + "{id}" : TOPIC + (n % 4);
    return subscribe(selector, cursor, false).compose(v -> openLoop());
  }

  /**
   * Opens a stream. One that is kept is read until the client closes; one that is not is closed shortly after its
   * response head (by then the hub has written the replay a cursor asked for).
   */
  private Future<Void> subscribe(String selector, String cursor, boolean keep) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(HubPath.VALUE + "?topic=" + URLEncoder.encode(selector, StandardCharsets.UTF_8))
        .putHeader("Accept", "text/event-stream");
    if (cursor != null) {
      options.putHeader("Last-Event-ID", cursor);
    }
    return streams.request(options)
        .compose(request -> request.send())
        .compose(response -> {
          response.handler(chunk -> { });
          if (keep) {
            return Future.succeededFuture();
          }
          Promise<Void> closed = Promise.promise();
          vertx.setTimer(STREAM_MILLIS, id -> response.request().connection().close().onComplete(closed));
          return closed.future();
        });
  }

  private static String secret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
