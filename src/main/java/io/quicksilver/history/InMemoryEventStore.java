package io.quicksilver.history;

import io.quicksilver.mercure.Update;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A bounded history in a ring buffer, with an id → sequence index kept in step with eviction.
 *
 * <p>All operations take one short lock and are O(1) or O(returned updates): safe on any event loop.
 * Sequences start at 1 and are dense. History is lost when the process stops; each process has its own
 * epoch.
 */
public final class InMemoryEventStore implements EventStore {

  private final Update[] ring;
  private final Map<String, Long> sequenceById;
  private final String epoch = UUID.randomUUID().toString();
  private long head; // newest sequence, 0 when empty

  public InMemoryEventStore(int capacity) {
    this.ring = new Update[capacity];
    this.sequenceById = new HashMap<>(Math.min(capacity, 1 << 16) * 2);
  }

  @Override
  public synchronized Future<Appended> add(Update update) {
    long seq = head + 1;
    Update stored = update.withSequence(seq);
    int slot = slot(seq);
    Update evicted = ring[slot];
    if (evicted != null) {
      sequenceById.remove(evicted.id(), evicted.sequence());
    }
    ring[slot] = stored;
    sequenceById.put(stored.id(), seq);
    head = seq;
    return Future.succeededFuture(new Appended(epoch, stored));
  }

  @Override
  public synchronized Future<Replay> readAfter(String lastEventId, int limit) {
    if (EARLIEST.equals(lastEventId)) {
      return Future.succeededFuture(new Replay(Replay.Cursor.EARLIEST, copy(oldest() - 1, head, limit), head));
    }
    Long seq = sequenceById.get(lastEventId);
    Position position = seq == null ? Position.parse(lastEventId) : null;
    if (position != null) {
      long after = position.epoch().equals(epoch) ? Math.min(position.sequence(), head) : 0; // an older epoch: all of this one
      return Future.succeededFuture(new Replay(Replay.Cursor.POSITION, copy(Math.max(after, oldest() - 1), head, limit), head));
    }
    if (seq == null) {
      return Future.succeededFuture(new Replay(Replay.Cursor.UNKNOWN, List.of(), head));
    }
    return Future.succeededFuture(new Replay(Replay.Cursor.FOUND, copy(seq, head, limit), head));
  }

  @Override
  public synchronized Future<List<Update>> range(long afterSequence, long untilSequence) {
    return Future.succeededFuture(copy(Math.max(afterSequence, oldest() - 1), Math.min(untilSequence, head), Integer.MAX_VALUE));
  }

  @Override
  public Future<List<Update>> range(String epoch, long afterSequence, long untilSequence) {
    return this.epoch.equals(epoch) ? range(afterSequence, untilSequence) : Future.failedFuture(new EpochChangedException(epoch, this.epoch));
  }

  @Override
  public synchronized Future<List<Update>> latest(int count) {
    return Future.succeededFuture(copy(Math.max(oldest() - 1, head - Math.max(0, count)), head, Integer.MAX_VALUE));
  }

  @Override
  public synchronized Future<String> lastEventId() {
    return Future.succeededFuture(head == 0 ? EARLIEST : ring[slot(head)].id());
  }

  @Override
  public synchronized Future<Head> head() {
    return Future.succeededFuture(new Head(epoch, head));
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /** The oldest sequence still held (head + 1 when empty). */
  private long oldest() {
    return Math.max(1, head - ring.length + 1);
  }

  private List<Update> copy(long after, long until, int limit) {
    long from = after + 1;
    long to = Math.min(until, after + limit);
    List<Update> out = new ArrayList<>((int) Math.max(0, to - from + 1));
    for (long s = from; s <= to; s++) {
      out.add(ring[slot(s)]);
    }
    return out;
  }

  private int slot(long seq) {
    return (int) ((seq - 1) % ring.length);
  }
}
