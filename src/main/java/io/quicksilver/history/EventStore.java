package io.quicksilver.history;

import io.quicksilver.mercure.Update;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The hub's history of updates: assigns each update its global sequence at append time and answers
 * replays by cursor.
 *
 * <p>Implementations are safe to call from any event loop and never block it.
 */
public interface EventStore {

  /** The reserved cursor asking for everything the history holds. */
  String EARLIEST = "earliest";

  /**
   * Appends an update and assigns it the next sequence. The outcome is final: an append that failed with
   * {@link NotStoredException} never happens later.
   *
   * @return the stored update (with its sequence) and the epoch of that sequence; failed with
   *     {@link NotStoredException} when the update is not and never will be stored (it must not be
   *     dispatched), or with {@link OutcomeUnknownException} when the store could not tell in time
   */
  Future<Appended> add(Update update);

  /** {@link #add}, for callers that need only the stored update. */
  default Future<Update> append(Update update) {
    return add(update).map(Appended::update);
  }

  /**
   * The updates after a cursor, in sequence order, up to {@code limit} of them. Exactly the newest
   * {@code capacity} updates are replayable (older cursors are unknown), and the newest {@code capacity} hub
   * events ({@link Update#hubEvent()}) besides them, so with {@code limit} at least twice the capacity the replay
   * always reaches {@link Replay#headSequence()}. An id shared by several updates resolves to the earliest one
   * still replayable, and the later ones are replayed.
   *
   * @param lastEventId an update id, {@link #EARLIEST}, or a hub {@link Position} cursor
   */
  Future<Replay> readAfter(String lastEventId, int limit);

  /**
   * {@link #readAfter(String, int)} of the updates that can interest one subscriber: those with at least one topic
   * (canonical or alternate) in {@code topics}, the exact topics its selectors name. The cursor resolves as in
   * {@link #readAfter(String, int)} and the limit counts the updates returned. A store may return other updates
   * as well (the caller still matches each one); the stores of the hub read a per-topic index, so that a replay
   * reads what its topics hold rather than everything after the cursor. This default reads everything.
   *
   * @param topics the exact topics wanted, or null for every update (a subscriber with {@code *}, URI template or
   *               URL pattern selectors, which only matching can tell)
   */
  default Future<Replay> readAfter(String lastEventId, int limit, Set<String> topics) {
    return readAfter(lastEventId, limit);
  }

  /** The updates with sequences in {@code (afterSequence, untilSequence]}, in order (fewer if trimmed). */
  Future<List<Update>> range(long afterSequence, long untilSequence);

  /**
   * {@link #range(long, long)} of a given epoch: fails with {@link EpochChangedException} when the store is
   * in another one (its sequences number other updates).
   */
  default Future<List<Update>> range(String epoch, long afterSequence, long untilSequence) {
    return range(afterSequence, untilSequence);
  }

  /** The newest {@code count} updates (fewer if the history is shorter), oldest first. */
  Future<List<Update>> latest(int count);

  /** The id of the newest update, or {@link #EARLIEST} when the history is empty. */
  Future<String> lastEventId();

  /** The current epoch and newest sequence. */
  Future<Head> head();

  /**
   * The epoch the store last observed. Sequences restart when the epoch changes (a flushed or replaced
   * Redis), so a sequence is only comparable with sequences of the same epoch.
   */
  String epoch();

  /**
   * Tells {@code listener} (on any thread) each time an answer of the store is in another epoch than the
   * previous answer, so that every delivery instance of a node leaves an epoch together, as soon as any
   * call sees the new one. A store whose epoch never changes never calls it.
   */
  default void onEpoch(Consumer<String> listener) {
  }

  /** Stops telling a listener given to {@link #onEpoch}. */
  default void removeEpochListener(Consumer<String> listener) {
  }

  /** Whether the store can take appends now (feeds readiness). */
  boolean ready();

  /**
   * An update the store holds.
   *
   * @param epoch  the epoch its sequence belongs to
   * @param update the update, with its sequence
   */
  record Appended(String epoch, Update update) {
  }

  /**
   * A store's position.
   *
   * @param epoch    the store's epoch
   * @param sequence the newest sequence (0 when empty)
   */
  record Head(String epoch, long sequence) {
  }

  /** Releases connections. */
  Future<Void> close();
}
