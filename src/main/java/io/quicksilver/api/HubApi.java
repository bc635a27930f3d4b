package io.quicksilver.api;

import io.quicksilver.auth.TokenSigner;
import io.quicksilver.auth.TokenVerifier;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.mercure.Update;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the hub offers a module built on it (the demo): publish an update through the normal publish path, read
 * the history, follow every stored update, the keys the module's tokens are signed and verified with, and the few
 * facts of the hub's configuration the module must repeat to browsers. The composition root implements it once per
 * node; a module sees nothing else of the hub. Thread-safe. An SSE stream belongs to one HTTP instance, so it is
 * offered apart, by {@link StreamOpener}.
 */
public interface HubApi {

  /**
   * Publishes an authorized update through this node's publisher; completes with the update's id once the history
   * holds it. Fails when it is not stored, or when the store could not tell.
   */
  Future<String> publish(PublishRequest request);

  /** The newest {@code count} updates of the history (fewer if it is shorter), oldest first. */
  Future<List<Update>> latest(int count);

  /**
   * Follows every stored update from the history's current head, as a subscriber's stream does: once each, in
   * order, what the event bus lost filled from the history. Call it on a verticle's context; the callbacks run there.
   *
   * @param deliver every update, once, in sequence order
   * @param onLoss  told why, when updates may have been lost (then {@code deliver} resumes after them)
   */
  Following follow(Consumer<Update> deliver, Consumer<String> onLoss);

  /** Verifies tokens with the subscriber's keys. */
  TokenVerifier subscriberTokens();

  /**
   * Signs tokens with the subscriber key (the configuration makes it an HMAC secret when the demo is on).
   *
   * @throws IllegalArgumentException when the subscriber key cannot sign
   */
  TokenSigner subscriberSigner();

  /** The name of the cookie the hub reads subscriber tokens from. */
  String tokenCookie();

  /** The path of the hub UI, or null when the UI is off. */
  String uiPath();

  /** The hub's Redis, or null for a standalone hub without it. */
  Redis redis();

  /** A Redis key of the module's, under the hub's key prefix (in the same cluster slot as the history). */
  String redisKey(String name);

  /** Updates being followed ({@link #follow}). */
  interface Following {

    /** Stops following. */
    Future<Void> stop();
  }
}
