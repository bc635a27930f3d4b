package io.quicksilver.stream;

import io.quicksilver.bus.Addresses;
import io.quicksilver.bus.StoredUpdate;
import io.quicksilver.history.EventStore;
import io.quicksilver.mercure.Update;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Consumer;

/**
 * Every stored update, once each and in sequence order, for one consumer on one event loop: the consumer of
 * {@link Addresses#UPDATES} (the best-effort fast path), a {@link Sequencer} that puts what the bus brings
 * back in order and fills gaps from the store, and the periodic comparison with the store's head that
 * catches a lost last update or a new epoch; and the store's own word when any call of this node sees a new
 * epoch, so that every instance of a node leaves the old one together. Each HTTP verticle instance reads one for its streams; internal
 * consumers of updates (the demo's alerts watcher) read one too, so they get the same guarantees.
 *
 * <p>Created and used on the context's event loop; the callbacks run there.
 */
public final class UpdateFeed {

  /** How long an update that arrived ahead of its predecessor waits before the gap is filled from the store. */
  private static final long GAP_HOLD_MS = 150;
  /** How often the store's head is compared with what was delivered (catches a lost last update). */
  private static final long HEAD_CHECK_MS = 1000;

  private final Vertx vertx;
  private final EventStore store;
  private final Consumer<String> epochs;
  private final Sequencer sequencer;
  private final MessageConsumer<StoredUpdate> consumer;
  private final long headCheck;

  private UpdateFeed(Vertx vertx, Context context, EventStore store, Consumer<Update> deliver, Consumer<Sequencer.Loss> onLoss) {
    this.vertx = vertx;
    this.store = store;
    this.sequencer = new Sequencer(store, timers(vertx), task -> context.runOnContext(v -> task.run()), GAP_HOLD_MS,
        deliver, onLoss);
    this.consumer = vertx.eventBus().consumer(Addresses.UPDATES, message -> sequencer.accept(message.body().epoch(), message.body().update()));
    this.headCheck = vertx.setPeriodic(HEAD_CHECK_MS, id -> store.head()
        .onSuccess(head -> context.runOnContext(v -> sequencer.headObserved(head.epoch(), head.sequence()))));
    this.epochs = epoch -> context.runOnContext(v -> sequencer.epochObserved(epoch));
    store.onEpoch(epochs);
    store.head().onSuccess(head -> context.runOnContext(v -> sequencer.startAt(head.epoch(), head.sequence())));
  }

  /**
   * Starts reading updates from the store's current head, on the calling verticle's context.
   *
   * @param deliver every update, once, in sequence order
   * @param onLoss  told when updates may have been lost (then {@code deliver} resumes after them)
   */
  public static UpdateFeed start(Vertx vertx, EventStore store, Consumer<Update> deliver, Consumer<Sequencer.Loss> onLoss) {
    return new UpdateFeed(vertx, vertx.getOrCreateContext(), store, deliver, onLoss);
  }

  /** Vert.x timers, which run on the context of the caller that set them. */
  static Sequencer.Timers timers(Vertx vertx) {
    return new Sequencer.Timers() {
      @Override
      public long schedule(long delayMillis, Runnable task) {
        return vertx.setTimer(delayMillis, id -> task.run());
      }

      @Override
      public void cancel(long id) {
        vertx.cancelTimer(id);
      }
    };
  }

  /** The sequencer, for its gap-fill and epoch listeners. */
  public Sequencer sequencer() {
    return sequencer;
  }

  /** Completes once the bus consumer is registered (cluster-wide in a cluster). */
  public Future<Void> registered() {
    return consumer.completion();
  }

  /** Stops reading. */
  public Future<Void> stop() {
    vertx.cancelTimer(headCheck);
    store.removeEpochListener(epochs);
    return consumer.unregister();
  }
}
