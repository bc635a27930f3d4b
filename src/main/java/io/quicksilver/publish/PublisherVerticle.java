package io.quicksilver.publish;

import io.quicksilver.bus.Addresses;
import io.quicksilver.bus.Dispatch;
import io.quicksilver.bus.PublishCommand;
import io.quicksilver.history.EventStore;
import io.quicksilver.metrics.HubMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per node: turns authorized publish requests into stored updates and announces them.
 *
 * <p>For each {@link PublishCommand} on {@link Addresses#PUBLISH}: assign the id (the publisher's, or a
 * generated {@code urn:uuid:}), append to the {@link EventStore} (which assigns the sequence), then publish
 * the stored update on {@link Addresses#UPDATES} and reply with the id. When the append fails nothing is
 * published and the reply is a failure (the HTTP side answers 503).
 */
public final class PublisherVerticle extends VerticleBase {

  /** Failure code of the reply when the store refused the append. */
  public static final int STORE_UNAVAILABLE = 503;

  private static final Logger LOG = LoggerFactory.getLogger(PublisherVerticle.class);

  private final EventStore store;
  private final HubMetrics metrics;
  private MessageConsumer<PublishCommand> consumer;

  public PublisherVerticle(EventStore store, HubMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(Addresses.PUBLISH, this::publish);
    return consumer.completion();
  }

  private void publish(Message<PublishCommand> message) {
    var request = message.body().request();
    String id = request.id() != null ? request.id() : "urn:uuid:" + UUID.randomUUID();
    long started = System.nanoTime();
    store.append(request.toUpdate(id))
        .onComplete(ar -> metrics.appendTook(System.nanoTime() - started))
        .onSuccess(stored -> {
          metrics.published();
          vertx.eventBus().publish(Addresses.UPDATES, new Dispatch(store.epoch(), stored));
          message.reply(stored.id());
        })
        .onFailure(err -> {
          LOG.warn("history store refused an append: {}", err.getMessage());
          message.fail(STORE_UNAVAILABLE, "history store unavailable");
        });
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
