package io.quicksilver.subscribe;

import io.quicksilver.HubServices;
import io.quicksilver.auth.Authorizer;
import io.quicksilver.auth.MercureClaims;
import io.quicksilver.config.HubConfig;
import io.quicksilver.config.ProtocolMode;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.Replay;
import io.quicksilver.http.BodyReader;
import io.quicksilver.http.Capacity;
import io.quicksilver.http.Requests;
import io.quicksilver.mercure.FormData;
import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.SseEncoder;
import io.quicksilver.mercure.TopicSelector;
import io.quicksilver.subscriptions.Subscription;
import io.quicksilver.subscriptions.SubscriptionsDirectory;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
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
 * <p>Order of work: parse the selectors, authorize, then either go live at once, or — with a cursor
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
  private static final Buffer OPEN = Buffer.buffer(SseEncoder.OPEN_COMMENT);

  private final Vertx vertx;
  private final HubConfig config;
  private final Authorizer authorizer;
  private final EventStore store;
  private final HubServices services;
  private final SubscriberRegistry registry;
  private final WorkerExecutor compiler;

  public SubscribeHandler(Vertx vertx, HubConfig config, Authorizer authorizer, HubServices services, SubscriberRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.authorizer = authorizer;
    this.store = services.store();
    this.services = services;
    this.registry = registry;
    this.compiler = vertx.createSharedWorkerExecutor("quicksilver-selectors", COMPILER_THREADS);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    FormData query = Requests.query(request);
    handle(ctx, query, query);
  }

  /**
   * {@code QUERY /.well-known/mercure} (draft-08 "Subscription"): the parameters of the query and of the
   * form body taken together, the query's first; the body is bounded like a publish body.
   */
  public void handleQuery(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    FormData query = Requests.query(request);
    BodyReader.requireForm(request);
    BodyReader.read(request, config.http().maxBody())
        .<Void>map(body -> {
          handle(ctx, query, query.with(FormData.parse(body.getBytes(), config.http().maxFields()))); // a refusal fails the future
          return null;
        })
        .onFailure(ctx::fail);
  }

  /**
   * Subscribes with the given parameters ({@code params}: the query's, plus a {@code QUERY} request's body).
   *
   * @param query the query's own fields (they carry the classic {@code authorization} parameter)
   */
  public void handle(RoutingContext ctx, FormData query, FormData params) {
    HttpServerRequest request = ctx.request();
    ProtocolMode mode = config.protocol().mode();
    String resource = Requests.resourceIdentifier(request, config.protocol().resourceIdentifier());
    String lastEventId = request.getHeader("Last-Event-ID");
    Supplier<SubscriptionRequest> parse = () -> SubscriptionRequest.parse(params, lastEventId,
        mode.classicEnabled(), mode.draft08Enabled(), resource, config.stream().maxTopics());
    if (!heavy(params)) {
      subscribe(ctx, query, resource, parse.get());
      return;
    }
    // many or long templates and patterns: compiled on a worker, within the request's budget, so that the event
    // loop serves other streams meanwhile
    compiler.executeBlocking(parse::get, false)
        .onSuccess(wanted -> {
          if (ctx.response().closed()) {
            return; // the client left while its selectors compiled
          }
          try {
            subscribe(ctx, query, resource, wanted);
          } catch (RuntimeException e) {
            ctx.fail(e);
          }
        })
        .onFailure(ctx::fail);
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

  private void subscribe(RoutingContext ctx, FormData query, String resource, SubscriptionRequest wanted) {
    HttpServerRequest request = ctx.request();
    MercureClaims claims = authorize(request, query, wanted.draft08(), resource);
    if (request.method() == HttpMethod.HEAD) {
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
      cursorHeaders(response, cursor, ar.result());
      response.end();
    }));
  }

  private static void streamHeaders(HttpServerResponse response) {
    response.putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", CACHE_CONTROL)
        .putHeader("X-Accel-Buffering", "no");
  }

  /** The id the stream resumes after: the requested one when the history holds it, else {@code earliest}. */
  private static void cursorHeaders(HttpServerResponse response, String requested, Replay replay) {
    String resumedAfter = replay.cursor() == Replay.Cursor.FOUND ? requested : EventStore.EARLIEST;
    response.putHeader("Mercure-Last-Event-ID", resumedAfter).putHeader("Last-Event-ID", resumedAfter);
  }

  /**
   * Opens a stream for already parsed and authorized selectors: live at once without a cursor, else after
   * the replay of what followed it. Also serves the demo's plain stock stream.
   */
  public void open(RoutingContext ctx, List<SubscriptionRequest.Matcher> matchers, MercureClaims claims, String cursor) {
    if (services.draining().get()) {
      throw new ProtocolException(503, "this node is shutting down; reconnect");
    }
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    List<TopicSelector> selectors = SubscriptionRequest.selectors(matchers);
    long instructions = selectors.stream().mapToLong(TopicSelector::instructions).sum();
    Capacity capacity = services.capacity();
    if (!capacity.openStream(instructions)) {
      throw new ProtocolException(503, "this node holds as many streams as it may; retry later");
    }
    Subscriber subscriber = new Subscriber("urn:uuid:" + UUID.randomUUID(), selectors, claims, response,
        request.connection(), config.stream().subscriberBuffer(), config.stream().dispatchTimeout().toNanos());
    subscriber.onClose(() -> capacity.closeStream(instructions));
    response.setChunked(true);
    streamHeaders(response);
    response.closeHandler(v -> subscriber.close(Subscriber.CloseReason.CLIENT_GONE));
    response.exceptionHandler(e -> subscriber.close(Subscriber.CloseReason.CLIENT_GONE));
    registry.add(subscriber);
    services.metrics().subscribed();
    scheduleDeadline(subscriber, claims.expiresAt());
    announce(subscriber, matchers, claims);

    if (cursor == null) {
      subscriber.startLive();
      response.write(OPEN);
      return;
    }
    String requested = cursor;
    Context context = vertx.getOrCreateContext();
    // the history holds as many hub events as updates besides them: a replay of twice the size reaches the head
    store.readAfter(requested, 2 * config.history().size()).onComplete(ar -> context.runOnContext(v -> {
      if (subscriber.closed()) {
        return;
      }
      if (ar.failed()) {
        subscriber.close(Subscriber.CloseReason.SHUTDOWN);
        if (!response.headWritten()) {
          ctx.fail(new ProtocolException(503, "history unavailable"));
        }
        return;
      }
      Replay replay = ar.result();
      cursorHeaders(response, requested, replay);
      response.write(OPEN);
      services.metrics().replayed(replay.updates().size());
      subscriber.startReplay(replay.updates(), replay.headSequence());
    }));
  }

  private MercureClaims authorize(HttpServerRequest request, FormData query, boolean draft08, String resource) {
    MercureClaims claims = authorizer.claims(Requests.credentials(request, query, config.auth().cookieName()), false, draft08, resource);
    if (claims == null) {
      if (!config.auth().anonymous()) {
        throw draft08 ? ProtocolException.tokenRequired("an access token is required")
            : ProtocolException.unauthorized("a subscriber token is required");
      }
      return MercureClaims.ANONYMOUS;
    }
    return claims;
  }

  /** With active subscriptions on: one subscription per selector, announced now and again when the stream ends. */
  private void announce(Subscriber subscriber, List<SubscriptionRequest.Matcher> matchers, MercureClaims claims) {
    SubscriptionsDirectory directory = services.subscriptions();
    if (directory == null) {
      return;
    }
    for (SubscriptionRequest.Matcher matcher : matchers) {
      Subscription s = matcher.matchType() == null
          ? Subscription.classic(matcher.value(), subscriber.id(), claims.payloadFor(matcher.value()))
          : Subscription.draft08(matcher.matchType(), matcher.value(), subscriber.id(), claims.payloadFor(matcher.value()));
      directory.opened(s);
      subscriber.onClose(() -> directory.closed(s));
    }
  }

  /** One timer per stream: its jittered lifetime, or the token's expiry if sooner. */
  private void scheduleDeadline(Subscriber subscriber, Instant expiresAt) {
    Duration lifetime = config.stream().writeTimeout();
    long delayMs = Long.MAX_VALUE;
    Subscriber.CloseReason reason = Subscriber.CloseReason.LIFETIME;
    if (!lifetime.isZero()) {
      delayMs = (long) (lifetime.toMillis() * (0.8 + 0.2 * ThreadLocalRandom.current().nextDouble()));
    }
    if (expiresAt != null) {
      long untilExp = Duration.between(Instant.now(), expiresAt).toMillis();
      if (untilExp < delayMs) {
        delayMs = untilExp;
        reason = Subscriber.CloseReason.TOKEN_EXPIRED;
      }
    }
    if (delayMs == Long.MAX_VALUE) {
      return;
    }
    Subscriber.CloseReason why = reason;
    long timer = vertx.setTimer(Math.max(1, delayMs), id -> subscriber.close(why));
    subscriber.onClose(() -> vertx.cancelTimer(timer));
  }
}
