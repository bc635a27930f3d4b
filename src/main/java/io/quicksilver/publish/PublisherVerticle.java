package io.quicksilver.publish;

import io.quicksilver.bus.Addresses;
import io.quicksilver.bus.StoredUpdate;
import io.quicksilver.bus.PublishCommand;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.OutcomeUnknownException;
import io.quicksilver.metrics.HubMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * the stored update on {@link Addresses#UPDATES} and reply with the id. The store's outcome is final: when
 * the update is not stored (and never will be) nothing is published and the reply fails with
 * {@link #STORE_UNAVAILABLE} (the HTTP side answers 503); when the store cannot tell, with
 * {@link #OUTCOME_UNKNOWN} (504).
 *
 * <p>{@link #quiesce} (shutdown, before the HTTP servers stop) refuses further commands with
 * {@link #STORE_UNAVAILABLE} and completes once the appends in flight have their outcome.
 */
public final class PublisherVerticle extends VerticleBase {

  /** Failure code of the reply when the update is not stored (and never will be). */
  public static final int STORE_UNAVAILABLE = 503;
  /** Failure code of the reply when the store could not tell in time whether it holds the update. */
  public static final int OUTCOME_UNKNOWN = 504;

  private static final Logger LOG = LoggerFactory.getLogger(PublisherVerticle.class);

  private final EventStore store;
  private final HubMetrics metrics;
  private MessageConsumer<PublishCommand> consumer;
  /** Event-loop confined, like the counters below. */
  private boolean refusing;
  private int inFlight;
  private Promise<Void> quiet;

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
    if (refusing) {
      message.fail(STORE_UNAVAILABLE, "the hub is shutting down");
      return;
    }
    var request = message.body().request();
    String id = request.id() != null ? request.id() : "urn:uuid:" + UUID.randomUUID();
    long started = System.nanoTime();
    inFlight++;
    store.add(request.toUpdate(id))
        .onComplete(ar -> metrics.appendTook(System.nanoTime() - started))
        .onComplete(ar -> context.runOnContext(v -> {
          if (ar.succeeded()) {
            metrics.published();
            vertx.eventBus().publish(Addresses.UPDATES, new StoredUpdate(ar.result().epoch(), ar.result().update()));
            message.reply(ar.result().update().id());
          } else if (ar.cause() instanceof OutcomeUnknownException) {
            LOG.warn("history store did not confirm an append: {}", ar.cause().getMessage());
            message.fail(OUTCOME_UNKNOWN, "the history store did not confirm the update in time");
          } else {
            LOG.warn("history store refused an append: {}", ar.cause().getMessage());
            message.fail(STORE_UNAVAILABLE, "history store unavailable");
          }
          if (--inFlight == 0 && quiet != null) {
            quiet.tryComplete();
          }
        }));
  }

  /** Refuses further publishes (503) and completes once every append in flight has its outcome. */
  public Future<Void> quiesce() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      refusing = true;
      quiet = done;
      if (inFlight == 0) {
        done.tryComplete();
      }
    });
    return done.future();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
