package io.quicksilver.publish;

import io.quicksilver.bus.Addresses;
import io.quicksilver.bus.PublishCommand;
import io.quicksilver.mercure.PublishRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Hands an already authorized update to this node's {@link PublisherVerticle} over the event bus: the way into the
 * publish path for the hub's own publishers (simulator, alerts, subscription events). The HTTP API calls the node's
 * {@link Publisher} directly.
 */
public final class LocalPublisher {

  /**
   * A backstop only: the publisher always replies once the store has a verdict (bounded by ten store
   * deadlines); a reply that never comes is an unknown outcome, not a refusal.
   */
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(600_000).setLocalOnly(true);

  private LocalPublisher() {
  }

  /**
   * Completes with the update's id once the event store holds it; fails with a {@code ReplyException} when it
   * is not stored ({@link PublisherVerticle#STORE_UNAVAILABLE}, also when no publisher runs) or the store
   * could not tell ({@link PublisherVerticle#OUTCOME_UNKNOWN}, also when no reply came).
   */
  public static Future<String> publish(Vertx vertx, PublishRequest request) {
    return vertx.eventBus().<String>request(Addresses.PUBLISH, new PublishCommand(request), OPTIONS).map(m -> m.body());
  }
}
