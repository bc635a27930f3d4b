package io.quicksilver.stream;

import io.quicksilver.auth.Authentication;
import io.quicksilver.auth.MercureClaims;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.Replay;
import io.quicksilver.http.AuthenticationHandler;
import io.quicksilver.http.BodyReader;
import io.quicksilver.http.Capacity;
import io.quicksilver.http.RequestLimits;
import io.quicksilver.http.Requests;
import io.quicksilver.mercure.FormData;
import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.ProtocolMode;
import io.quicksilver.mercure.SseEncoder;
import io.quicksilver.mercure.TopicSelector;
import io.quicksilver.metrics.CloseReason;
import io.quicksilver.subscriptions.Subscription;
import io.quicksilver.subscriptions.SubscriptionsDirectory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * {@code GET /.well-known/mercure}: opens an SSE stream (classic protocol, "Subscription" and
 * "Reconnection"); {@code HEAD} answers with the same head and no stream. A stream takes one of the node's
 * stream places ({@link Capacity}); when none is left the answer is 503 with {@code Retry-After}.
 *
 * <p>Order of work, in three route steps: parse the selectors ({@link #parse}), authenticate (the
 * {@link AuthenticationHandler}), then ({@link #handle}) either go live at once, or — with a cursor
 * ({@code Last-Event-ID} header, else {@code lastEventID} query parameter) — register first (live updates
 * wait), read the history after the cursor, answer with the {@code Last-Event-ID} response header, write
 * the replay, and drain what waited without the sequences the replay covered. Runs on the event loop of
 * the verticle instance that owns {@code registry}.
 */
public final class SubscribeHandler implements Handler<RoutingContext> {

  static final String CACHE_CONTROL = "private, no-cache, no-store, must-revalidate, max-age=0";
  /** Selectors with more template and pattern text than this are compiled on a worker rather than the event loop. */
  private static final long INLINE_SELECTOR_CHARS = 2048;
  /** Requests with more templates and patterns than this are compiled on a worker rather than the event loop. */
  private static final int INLINE_SELECTORS = 16;
  /** Threads compiling large selectors, shared by every instance: hostile requests queue there, not on event loops. */
  private static final int COMPILER_THREADS = 2;
  /** The opening comment, which sends the head of a stream without an event. */
  static final Buffer OPEN = Buffer.buffer(SseEncoder.OPEN_COMMENT);

  /** The key of the routing context under which {@link #parse} leaves the parsed request. */
  private static final String WANTED = "quicksilver.subscription";

  /**
   * What the handler takes from the configuration.
   *
   * @param mode               the protocol versions a subscription may use
   * @param resourceIdentifier the hub's resource identifier, or null to derive it from each request
   * @param anonymous          whether a subscriber without a token receives public updates
   * @param limits             the bounds on a subscription's topics and on a {@code QUERY} body
   * @param subscriberBuffer   most bytes queued for one subscriber behind the event being sent before it is disconnected
   * @param dispatchTimeout    a subscriber whose writes stay stalled this long is disconnected
   * @param writeTimeout       a stream ends after about this long, jittered to 80–100 % (0: never)
   * @param replayLimit        most entries one replay reads from the history
   */
  public record Settings(ProtocolMode mode, String resourceIdentifier, boolean anonymous, RequestLimits limits, long subscriberBuffer,
                         Duration dispatchTimeout, Duration writeTimeout, int replayLimit) {
  }

  private final Vertx vertx;
  private final Settings settings;
  private final EventStore store;
  private final StreamServices services;
  private final SubscriberRegistry registry;
  private final WorkerExecutor compiler;

  public SubscribeHandler(Vertx vertx, Settings settings, StreamServices services, SubscriberRegistry registry) {
    this.vertx = vertx;
    this.settings = settings;
    this.store = services.store();
    this.services = services;
    this.registry = registry;
    this.compiler = vertx.createSharedWorkerExecutor("quicksilver-selectors", COMPILER_THREADS);
  }

  /** {@code GET} and {@code HEAD}, first step: parses the selectors and the cursor (a 400 comes before any credential check). */
  public void parse(RoutingContext ctx) {
    FormData query = Requests.query(ctx.request());
    parse(ctx, query, query).onSuccess(v -> next(ctx)).onFailure(ctx::fail);
  }

  /**
   * {@code QUERY /.well-known/mercure} (draft-08 "Subscription"), first step: the parameters of the query and of the
   * form body taken together, the query's first; the body is bounded like a publish body.
   */
  public void parseQuery(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    FormData query = Requests.query(request);
    BodyReader.requireForm(request);
    BodyReader.read(request, settings.limits().maxBody())
        .compose(body -> parse(ctx, query, query.with(FormData.parse(body.getBytes(), settings.limits().maxFields())))) // a refusal fails the future
        .onSuccess(v -> next(ctx))
        .onFailure(ctx::fail);
  }

  /** Goes on to the authentication step, unless the client left meanwhile (while its selectors compiled). */
  private static void next(RoutingContext ctx) {
    if (!ctx.response().closed()) {
      ctx.next();
    }
  }

  /**
   * Parses the subscription's parameters ({@code params}: the query's, plus a {@code QUERY} request's body). Many or
   * long templates and patterns are compiled on a worker, within the request's budget, so that the event loop serves
   * other streams meanwhile; the others at once (a refusal is then thrown).
   *
   * @param query the query's own fields (they carry the classic {@code authorization} parameter)
   */
  private Future<Void> parse(RoutingContext ctx, FormData query, FormData params) {
    ProtocolMode mode = settings.mode();
    String resource = Requests.resourceIdentifier(ctx.request(), settings.resourceIdentifier());
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    Supplier<SubscriptionRequest> parse = () -> SubscriptionRequest.parse(params, lastEventId,
        mode.classicEnabled(), mode.draft08Enabled(), resource, settings.limits().maxTopics());
    ctx.put(AuthenticationHandler.QUERY, query);
    if (!heavy(params)) {
      ctx.put(WANTED, parse.get());
      return Future.succeededFuture();
    }
    return compiler.executeBlocking(parse::get, false).map(wanted -> {
      ctx.put(WANTED, wanted);
      return null;
    });
  }

  /**
   * Whether the selectors may take more than a moment to compile: more than a few templates or patterns, more than
   * a little of their text, or a regexp group (whose program can be large for its text).
   */
  private static boolean heavy(FormData params) {
    long chars = 0;
    int compiled = 0;
    for (Map.Entry<String, String> field : params.fields()) {
      String value = field.getValue();
      boolean pattern = field.getKey().equals("match_urlpattern");
      if (pattern && value.indexOf('(') >= 0) {
        return true;
      }
      if (pattern || field.getKey().equals("topic") && value.indexOf('{') >= 0) {
        chars += value.length();
        compiled++;
      }
    }
    return chars > INLINE_SELECTOR_CHARS || compiled > INLINE_SELECTORS;
  }

  /** Whether the parsed subscription uses draft-08 parameters (the authentication step's hint). */
  public static boolean draft08Hint(RoutingContext ctx) {
    SubscriptionRequest wanted = ctx.get(WANTED);
    return wanted != null && wanted.draft08();
  }

  /** Last step, after {@link #parse} and the authentication step: opens the stream ({@code HEAD}: answers its head). */
  @Override
  public void handle(RoutingContext ctx) {
    SubscriptionRequest wanted = ctx.get(WANTED);
    Authentication auth = Authentication.of(ctx);
    MercureClaims claims = auth.orAnonymous(settings.anonymous(),
        auth.draft08() ? "an access token is required" : "a subscriber token is required");
    if (ctx.request().method() == HttpMethod.HEAD) {
      head(ctx, wanted.cursor());
    } else {
      open(ctx, wanted.matchers(), claims, wanted.cursor());
    }
  }

  /**
   * {@code HEAD /.well-known/mercure}: the answer a {@code GET} would get, without its body and without opening a
   * stream (as the reference hub: 200 {@code text/event-stream}, with the cursor headers when a cursor is given).
   */
  private void head(RoutingContext ctx, String cursor) {
    HttpServerResponse response = ctx.response();
    streamHeaders(response);
    if (cursor == null) {
      response.end();
      return;
    }
    Context context = vertx.getOrCreateContext();
    store.readAfter(cursor, 1).onComplete(ar -> context.runOnContext(v -> {
      if (ar.failed()) {
        ctx.fail(new ProtocolException(503, "history unavailable"));
        return;
      }
      cursorHeaders(response, resumedAfter(cursor, ar.result()));
      response.end();
    }));
  }

  private static void streamHeaders(HttpServerResponse response) {
    response.putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", CACHE_CONTROL)
        .putHeader("X-Accel-Buffering", "no");
  }

  /** The id the stream resumes after: the requested one when the history holds it, else {@code earliest}. */
  private static String resumedAfter(String requested, Replay replay) {
    return replay.cursor() == Replay.Cursor.FOUND ? requested : EventStore.EARLIEST;
  }

  /** The headers that say which id the stream resumes after. */
  static void cursorHeaders(HttpServerResponse response, String resumedAfter) {
    response.putHeader("Mercure-Last-Event-ID", resumedAfter).putHeader("Last-Event-ID", resumedAfter);
  }

  /**
   * Opens a stream for already parsed and authorized selectors: live at once without a cursor, else after
   * the replay of what followed it. Also serves the demo's plain stock stream.
   */
  public void open(RoutingContext ctx, List<SubscriptionRequest.Matcher> matchers, MercureClaims claims, String cursor) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    if (services.draining().getAsBoolean()) {
      // EventSource gives up for good on any answer but 200: an empty stream that ends makes it reconnect
      // (with its Last-Event-ID), through the Service, to a node that is not shutting down
      streamHeaders(response);
      response.end(OPEN);
      return;
    }
    List<TopicSelector> selectors = SubscriptionRequest.selectors(matchers);
    long instructions = instructions(selectors);
    Capacity capacity = services.capacity();
    if (!capacity.openStream(instructions)) {
      throw new ProtocolException(503, "this node holds as many streams as it may; retry later");
    }
    Subscriber subscriber = new Subscriber(selectors, claims,
        new ResponseSink(response, request.connection(), request.version() == HttpVersion.HTTP_2),
        settings.subscriberBuffer(), settings.dispatchTimeout().toNanos());
    subscriber.onClose(() -> capacity.closeStream(instructions));
    try {
      start(ctx, subscriber, matchers, claims, cursor);
    } catch (RuntimeException e) {
      // nothing half-done: the stream gives back its place and its registrations, and the failure handler answers
      // (a close as if the client had gone writes nothing to the response)
      subscriber.close(CloseReason.CLIENT_GONE);
      throw e;
    }
  }

  /** Registers a stream that has its place, and starts it: live at once, or after the replay of what followed the cursor. */
  private void start(RoutingContext ctx, Subscriber subscriber, List<SubscriptionRequest.Matcher> matchers, MercureClaims claims,
                     String cursor) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true);
    streamHeaders(response);
    response.closeHandler(v -> subscriber.close(CloseReason.CLIENT_GONE));
    response.exceptionHandler(e -> subscriber.close(CloseReason.CLIENT_GONE));
    registry.add(subscriber);
    services.metrics().subscribed();
    scheduleDeadline(subscriber, claims.expiresAt());
    announce(subscriber, matchers, claims);

    if (cursor == null) {
      subscriber.startLive();
      services.metrics().streamStarted(subscriber.writesDirectly());
      return;
    }
    String requested = cursor;
    Context context = vertx.getOrCreateContext();
    // exact selectors read only their topics' updates (the store's per-topic index), the others every update
    store.readAfter(requested, settings.replayLimit(), TopicSelector.exactTopics(subscriber.selectors)).onComplete(ar -> context.runOnContext(v -> {
      if (subscriber.closed()) {
        return;
      }
      if (ar.failed()) {
        subscriber.close(CloseReason.SHUTDOWN);
        if (!response.headWritten()) {
          ctx.fail(new ProtocolException(503, "history unavailable"));
        }
        return;
      }
      Replay replay = ar.result();
      services.metrics().replayed(replay.updates().size());
      subscriber.startReplay(replay.updates(), replay.headSequence(), resumedAfter(requested, replay));
      services.metrics().streamStarted(subscriber.writesDirectly());
    }));
  }

  /** The compiled size of a stream's selectors, which {@link Capacity} bounds. */
  private static long instructions(List<TopicSelector> selectors) {
    long sum = 0;
    for (TopicSelector selector : selectors) {
      sum += selector.instructions();
    }
    return sum;
  }

  /** With active subscriptions on: one subscription per selector, announced now and again when the stream ends. */
  private void announce(Subscriber subscriber, List<SubscriptionRequest.Matcher> matchers, MercureClaims claims) {
    SubscriptionsDirectory directory = services.directory();
    if (directory == null) {
      return;
    }
    String id = "urn:uuid:" + UUID.randomUUID(); // only subscriptions show it: a stream without them needs none
    for (SubscriptionRequest.Matcher matcher : matchers) {
      Subscription s = matcher.matchType() == null
          ? Subscription.classic(matcher.value(), id, claims.payloadFor(matcher.value()))
          : Subscription.draft08(matcher.matchType(), matcher.value(), id, claims.payloadFor(matcher.value()));
      directory.opened(s);
      subscriber.onClose(() -> directory.closed(s));
    }
  }

  /** One timer per stream: its jittered lifetime, or the token's expiry if sooner. */
  private void scheduleDeadline(Subscriber subscriber, Instant expiresAt) {
    Duration lifetime = settings.writeTimeout();
    long delayMs = Long.MAX_VALUE;
    CloseReason reason = CloseReason.LIFETIME;
    if (!lifetime.isZero()) {
      delayMs = (long) (lifetime.toMillis() * (0.8 + 0.2 * ThreadLocalRandom.current().nextDouble()));
    }
    if (expiresAt != null) {
      long untilExp = millisUntil(expiresAt);
      if (untilExp < delayMs) {
        delayMs = untilExp;
        reason = CloseReason.TOKEN_EXPIRED;
      }
    }
    if (delayMs == Long.MAX_VALUE) {
      return;
    }
    CloseReason why = reason;
    long timer = vertx.setTimer(Math.max(1, delayMs), id -> subscriber.close(why));
    subscriber.onClose(() -> vertx.cancelTimer(timer));
  }

  /**
   * Milliseconds from now until {@code instant} (0 when it has passed); {@link Long#MAX_VALUE} when that is more than a
   * long holds (a token's {@code exp} may be any date up to year 1 000 000 000, which no millisecond count reaches).
   */
  static long millisUntil(Instant instant) {
    Duration until = Duration.between(Instant.now(), instant);
    if (until.isNegative()) {
      return 0;
    }
    return until.getSeconds() >= Long.MAX_VALUE / 1000 - 1 ? Long.MAX_VALUE : until.toMillis();
  }
}
