package io.quicksilver.publish;

import io.quicksilver.bus.Addresses;
import io.quicksilver.bus.StoredUpdate;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.NotStoredException;
import io.quicksilver.history.OutcomeUnknownException;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.metrics.HubMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's publish path, one per node: turns an authorized publish request into a stored update and announces it.
 *
 * <p>Assigns the id (the publisher's, or a generated {@code urn:uuid:}), appends to the {@link EventStore} (which
 * assigns the sequence), then publishes the stored update on {@link Addresses#UPDATES} and completes with the id.
 * The store's outcome is final: when the update is not stored (and never will be) nothing is published and the
 * future fails with {@link NotStoredException} (the HTTP side answers 503); when the store cannot tell, with
 * {@link OutcomeUnknownException} (504).
 *
 * <p>Called directly by the HTTP publish handler (no event-bus hop), and by the {@link PublisherVerticle} for
 * the hub's own publishers on {@link Addresses#PUBLISH}. Thread-safe: the future completes on whatever thread the
 * store answered on.
 */
public final class Publisher {

  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

  private final Vertx vertx;
  private final EventStore store;
  private final HubMetrics metrics;
  private final Promise<Void> quiet = Promise.promise();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean refusing;

  public Publisher(Vertx vertx, EventStore store, HubMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.metrics = metrics;
  }

  /**
   * Stores and announces an update.
   *
   * @return the update's id once the store holds it; failed with {@link NotStoredException} when it is not stored
   *     (also while shutting down) or {@link OutcomeUnknownException} when the store could not tell
   */
  public Future<String> publish(PublishRequest request) {
    inFlight.incrementAndGet(); // before the check: a quiesce that sees none in flight sees this one refused
    if (refusing) {
      done();
      return Future.failedFuture(new NotStoredException("the hub is shutting down"));
    }
    String id = request.id() != null ? request.id() : "urn:uuid:" + UUID.randomUUID();
    long started = System.nanoTime();
    return store.add(request.toUpdate(id)).transform(ar -> {
      metrics.appendTook(System.nanoTime() - started);
      Future<String> outcome = outcome(ar.succeeded() ? ar.result() : null, ar.cause());
      done();
      return outcome;
    });
  }

  /** Announces a stored update; otherwise the failure, as one of the store's two final outcomes. */
  private Future<String> outcome(EventStore.Appended appended, Throwable failure) {
    if (appended != null) {
      metrics.published();
      vertx.eventBus().publish(Addresses.UPDATES, new StoredUpdate(appended.epoch(), appended.update()));
      return Future.succeededFuture(appended.update().id());
    }
    if (failure instanceof OutcomeUnknownException) {
      LOG.warn("history store did not confirm an append: {}", failure.getMessage());
      return Future.failedFuture(failure);
    }
    LOG.warn("history store refused an append: {}", failure.getMessage());
    return Future.failedFuture(failure instanceof NotStoredException ? failure : new NotStoredException(failure.getMessage()));
  }

  private void done() {
    if (inFlight.decrementAndGet() == 0 && refusing) {
      quiet.tryComplete();
    }
  }

  /** Refuses further publishes (503) and completes once every append in flight has its outcome. */
  public Future<Void> quiesce() {
    refusing = true;
    if (inFlight.get() == 0) {
      quiet.tryComplete();
    }
    return quiet.future();
  }
}
