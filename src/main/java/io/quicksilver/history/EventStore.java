package io.quicksilver.history;

import io.quicksilver.mercure.Update;
import io.vertx.core.Future;
import java.util.List;

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
   * Appends an update and assigns it the next sequence.
   *
   * @return the stored update (with its sequence); failed when the store is unavailable, and then the
   *     update must not be dispatched
   */
  Future<Update> append(Update update);

  /**
   * The updates after a cursor, in sequence order, up to {@code limit} of them. Exactly the newest
   * {@code capacity} updates are replayable (older cursors are unknown), so with {@code limit} at least the
   * capacity the replay always reaches {@link Replay#headSequence()}.
   *
   * @param lastEventId an update id, or {@link #EARLIEST}
   */
  Future<Replay> readAfter(String lastEventId, int limit);

  /** The updates with sequences in {@code (afterSequence, untilSequence]}, in order (fewer if trimmed). */
  Future<List<Update>> range(long afterSequence, long untilSequence);

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

  /** Whether the store can take appends now (feeds readiness). */
  boolean ready();

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
