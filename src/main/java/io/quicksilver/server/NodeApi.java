package io.quicksilver.server;

import io.quicksilver.api.HubApi;
import io.quicksilver.api.StreamOpener;
import io.quicksilver.auth.KeyRing;
import io.quicksilver.auth.MercureClaims;
import io.quicksilver.auth.TokenSigner;
import io.quicksilver.auth.TokenVerifier;
import io.quicksilver.config.HubConfig;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.RedisEventStore;
import io.quicksilver.http.HubUi;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.mercure.Update;
import io.quicksilver.publish.LocalPublisher;
import io.quicksilver.stream.SubscribeHandler;
import io.quicksilver.stream.SubscriptionRequest;
import io.quicksilver.stream.UpdateFeed;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link HubApi} of one node: the publisher through {@link LocalPublisher}, the event store, an
 * {@link UpdateFeed} per follower, and the subscriber's keys of the key ring; {@link #streams} opens streams on an
 * HTTP instance's {@link SubscribeHandler}.
 */
public final class NodeApi implements HubApi {

  private final Vertx vertx;
  private final HubConfig config;
  private final EventStore store;
  private final KeyRing keys;
  private final Redis redis;

  /**
   * @param redis the hub's Redis, or null
   */
  public NodeApi(Vertx vertx, HubConfig config, EventStore store, KeyRing keys, Redis redis) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.keys = keys;
    this.redis = redis;
  }

  /** The streams of one HTTP instance: anonymous, on exact topics, through its subscription handler. */
  static StreamOpener streams(SubscribeHandler subscribe) {
    return (ctx, topics, cursor) -> subscribe.open(ctx, topics.stream().map(SubscriptionRequest.Matcher::classic).toList(),
        MercureClaims.ANONYMOUS, cursor);
  }

  @Override
  public Future<String> publish(PublishRequest request) {
    return LocalPublisher.publish(vertx, request);
  }

  @Override
  public Future<List<Update>> latest(int count) {
    return store.latest(count);
  }

  @Override
  public Following follow(Consumer<Update> deliver, Consumer<String> onLoss) {
    UpdateFeed feed = UpdateFeed.start(vertx, store, deliver, loss -> onLoss.accept(loss.cause().toString()));
    return feed::stop;
  }

  @Override
  public TokenVerifier subscriberTokens() {
    return keys.verifier(config.auth().subscriber());
  }

  @Override
  public TokenSigner subscriberSigner() {
    return TokenSigner.of(vertx, config.auth().subscriberKey());
  }

  @Override
  public String tokenCookie() {
    return config.auth().cookieName();
  }

  @Override
  public String uiPath() {
    return config.ui() ? HubUi.PATH : null;
  }

  @Override
  public Redis redis() {
    return redis;
  }

  @Override
  public String redisKey(String name) {
    return RedisEventStore.key(config.history().redisPrefix(), name);
  }
}
