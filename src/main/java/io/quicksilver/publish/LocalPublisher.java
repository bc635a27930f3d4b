package io.quicksilver.publish;

import io.quicksilver.bus.Addresses;
import io.quicksilver.bus.PublishCommand;
import io.quicksilver.mercure.PublishRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Hands an already authorized update to this node's {@link PublisherVerticle}: the one way into the
 * publish path, for the HTTP API and for the hub's own publishers (simulator, alerts) alike.
 */
public final class LocalPublisher {

  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(10_000).setLocalOnly(true);

  private LocalPublisher() {
  }

  /** Completes with the update's id once the event store holds it; fails when it could not be stored. */
  public static Future<String> publish(Vertx vertx, PublishRequest request) {
    return vertx.eventBus().<String>request(Addresses.PUBLISH, new PublishCommand(request), OPTIONS).map(m -> m.body());
  }
}
