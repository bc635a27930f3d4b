package io.quicksilver.publish;

import io.quicksilver.bus.Addresses;
import io.quicksilver.bus.PublishCommand;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.OutcomeUnknownException;
import io.quicksilver.metrics.HubMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Function;

/**
 * One per node: the node's {@link Publisher} on the event bus, for the hub's own publishers ({@link LocalPublisher}:
 * simulator, alerts, subscription events). For each {@link PublishCommand} on {@link Addresses#PUBLISH} it replies
 * with the stored update's id, or fails the reply with {@link #STORE_UNAVAILABLE} when the update is not stored
 * (and never will be) or {@link #OUTCOME_UNKNOWN} when the store could not tell.
 */
public final class PublisherVerticle extends VerticleBase {

  /** Failure code of the reply when the update is not stored (and never will be). */
  public static final int STORE_UNAVAILABLE = 503;
  /** Failure code of the reply when the store could not tell in time whether it holds the update. */
  public static final int OUTCOME_UNKNOWN = 504;

  private final Function<Vertx, Publisher> publisherOf;
  private Publisher publisher;
  private MessageConsumer<PublishCommand> consumer;

  /** Serves a node's publisher on the bus. */
  public PublisherVerticle(Publisher publisher) {
    this.publisherOf = vertx -> publisher;
  }

  /** Serves a publisher of its own over a store. */
  public PublisherVerticle(EventStore store, HubMetrics metrics) {
    this.publisherOf = vertx -> new Publisher(vertx, store, metrics);
  }

  @Override
  public Future<?> start() {
    publisher = publisherOf.apply(vertx);
    consumer = vertx.eventBus().localConsumer(Addresses.PUBLISH, this::publish);
    return consumer.completion();
  }

  private void publish(Message<PublishCommand> message) {
    publisher.publish(message.body().request()).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else if (ar.cause() instanceof OutcomeUnknownException) {
        message.fail(OUTCOME_UNKNOWN, "the history store did not confirm the update in time");
      } else {
        message.fail(STORE_UNAVAILABLE, ar.cause().getMessage());
      }
    });
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
