package io.quicksilver.history;

import io.quicksilver.mercure.Update;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A bounded history in memory, in two lanes: publishers' updates, and the hub's own events (subscription
 * events, {@link Update#hubEvent()}), each bounded by the same count and bytes, so that a flood of
 * subscriptions never pushes an update out of the replayable history.
 *
 * <p>Sequences are shared and dense (both lanes together). An update dropped from its lane makes every sequence
 * up to it unreplayable (a cursor there is unknown; {@code earliest} starts after it); a hub event dropped from
 * its lane, while the updates around it stay, leaves a gap that replays skip: the hub may discard its own events.
 * An id shared by several entries resolves to the earliest one still held. All operations take one short lock
 * and are O(log n) or O(returned entries): safe on any event loop. History is lost when the process stops; each
 * process has its own epoch.
 */
public final class InMemoryEventStore implements EventStore {

  /** Estimated bytes of an entry besides its strings' characters (record, list, index entry). */
  private static final long ENTRY_BYTES = 160;

  private final Lane updates;
  private final Lane hubEvents;
  /** id → the sequences holding it, oldest first: a {@code Long}, or an {@code ArrayDeque<Long>} when shared. */
  private final Map<String, Object> sequencesById;
  private final String epoch = UUID.randomUUID().toString();
  private long head; // newest sequence, 0 when empty
  private long floor; // no sequence at or below it is replayable

  /** A store keeping {@code capacity} updates (and as many hub events), without a bound in bytes. */
  public InMemoryEventStore(int capacity) {
    this(capacity, Long.MAX_VALUE);
  }

  /**
   * @param capacity how many updates, and how many hub events, are kept
   * @param maxBytes how many bytes of updates, and of hub events, are kept (estimated; the newest entry of a lane
   *                 always stays)
   */
  public InMemoryEventStore(int capacity, long maxBytes) {
    this.updates = new Lane(capacity, maxBytes);
    this.hubEvents = new Lane(capacity, maxBytes);
    this.sequencesById = new HashMap<>(Math.min(capacity, 1 << 16) * 2);
  }

  /** The estimated heap an update takes in the history. */
  static long bytes(Update u) {
    long chars = u.id().length() + u.data().length() + (u.type() == null ? 0 : u.type().length());
    for (String topic : u.topics()) {
      chars += topic.length() + 16;
    }
    return ENTRY_BYTES + 2 * chars;
  }

  @Override
  public synchronized Future<Appended> add(Update update) {
    long seq = head + 1;
    Update stored = update.withSequence(seq);
    head = seq;
    index(stored);
    if (stored.hubEvent()) {
      hubEvents.add(stored);
      while (hubEvents.over()) {
        unindex(hubEvents.removeOldest());
      }
    } else {
      updates.add(stored);
      while (updates.over()) {
        Update dropped = updates.removeOldest();
        unindex(dropped);
        floor = dropped.sequence();
      }
      while (hubEvents.size() > 0 && hubEvents.get(0).sequence() <= floor) {
        unindex(hubEvents.removeOldest()); // out of reach: the update before it is gone
      }
    }
    return Future.succeededFuture(new Appended(epoch, stored));
  }

  @Override
  public synchronized Future<Replay> readAfter(String lastEventId, int limit) {
    if (EARLIEST.equals(lastEventId)) {
      return Future.succeededFuture(new Replay(Replay.Cursor.EARLIEST, after(floor, Long.MAX_VALUE, limit), head));
    }
    Long seq = earliest(lastEventId);
    Position position = seq == null ? Position.parse(lastEventId) : null;
    if (position != null) {
      long after = position.epoch().equals(epoch) ? Math.min(position.sequence(), head) : 0; // an older epoch: all of this one
      return Future.succeededFuture(new Replay(Replay.Cursor.POSITION, after(Math.max(after, floor), Long.MAX_VALUE, limit), head));
    }
    if (seq == null) {
      return Future.succeededFuture(new Replay(Replay.Cursor.UNKNOWN, List.of(), head));
    }
    return Future.succeededFuture(new Replay(Replay.Cursor.FOUND, after(seq, Long.MAX_VALUE, limit), head));
  }

  @Override
  public synchronized Future<List<Update>> range(long afterSequence, long untilSequence) {
    return Future.succeededFuture(after(afterSequence, untilSequence, Integer.MAX_VALUE));
  }

  @Override
  public Future<List<Update>> range(String epoch, long afterSequence, long untilSequence) {
    return this.epoch.equals(epoch) ? range(afterSequence, untilSequence) : Future.failedFuture(new EpochChangedException(epoch, this.epoch));
  }

  @Override
  public synchronized Future<List<Update>> latest(int count) {
    List<Update> newestFirst = new ArrayList<>(Math.max(0, Math.min(count, updates.size() + hubEvents.size())));
    int i = updates.size() - 1;
    int j = hubEvents.size() - 1;
    while (newestFirst.size() < count && (i >= 0 || j >= 0)) {
      if (j < 0 || i >= 0 && updates.get(i).sequence() > hubEvents.get(j).sequence()) {
        newestFirst.add(updates.get(i--));
      } else {
        newestFirst.add(hubEvents.get(j--));
      }
    }
    Collections.reverse(newestFirst);
    return Future.succeededFuture(newestFirst);
  }

  @Override
  public synchronized Future<String> lastEventId() {
    List<Update> last = latest(1).result();
    return Future.succeededFuture(last.isEmpty() ? EARLIEST : last.get(0).id());
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

  /** The entries of both lanes with sequences in {@code (after, until]}, in order, at most {@code limit}. */
  private List<Update> after(long after, long until, int limit) {
    List<Update> out = new ArrayList<>();
    int i = updates.firstAfter(after);
    int j = hubEvents.firstAfter(after);
    while (out.size() < limit) {
      Update a = i < updates.size() ? updates.get(i) : null;
      Update b = j < hubEvents.size() ? hubEvents.get(j) : null;
      Update next = a == null ? b : b == null || a.sequence() < b.sequence() ? a : b;
      if (next == null || next.sequence() > until) {
        break;
      }
      out.add(next);
      if (next == a) {
        i++;
      } else {
        j++;
      }
    }
    return out;
  }

  private Long earliest(String id) {
    Object held = sequencesById.get(id);
    return held instanceof ArrayDeque<?> shared ? (Long) shared.peekFirst() : (Long) held;
  }

  @SuppressWarnings("unchecked")
  private void index(Update u) {
    Long seq = u.sequence();
    Object held = sequencesById.get(u.id());
    if (held == null) {
      sequencesById.put(u.id(), seq);
    } else if (held instanceof ArrayDeque<?> shared) {
      ((ArrayDeque<Long>) shared).addLast(seq);
    } else {
      ArrayDeque<Long> shared = new ArrayDeque<>(2);
      shared.add((Long) held);
      shared.add(seq);
      sequencesById.put(u.id(), shared);
    }
  }

  private void unindex(Update u) {
    Object held = sequencesById.get(u.id());
    if (held instanceof ArrayDeque<?> shared) {
      shared.removeFirstOccurrence(u.sequence());
      if (shared.size() == 1) {
        sequencesById.put(u.id(), shared.peekFirst());
      }
    } else if (held != null && held.equals(u.sequence())) {
      sequencesById.remove(u.id());
    }
  }

  /** Entries of one kind in sequence order, in a ring that grows up to its count; dropped from the oldest end. */
  private static final class Lane {
    private final int capacity;
    private final long maxBytes;
    private Update[] ring = new Update[16];
    private int first;
    private int size;
    private long bytes;

    Lane(int capacity, long maxBytes) {
      this.capacity = capacity;
      this.maxBytes = maxBytes;
    }

    int size() {
      return size;
    }

    /** The {@code i}-th oldest entry. */
    Update get(int i) {
      return ring[(first + i) % ring.length];
    }

    void add(Update u) {
      if (size == ring.length) {
        // up to one more than the count: the lane drops its oldest entry just after an add
        Update[] grown = new Update[Math.max(size + 1, (int) Math.min(capacity + 1L, 2L * ring.length))];
        for (int i = 0; i < size; i++) {
          grown[i] = get(i);
        }
        ring = grown;
        first = 0;
      }
      ring[(first + size) % ring.length] = u;
      size++;
      bytes += InMemoryEventStore.bytes(u);
    }

    /** Whether the lane holds more than its count or bytes allow (its newest entry always stays). */
    boolean over() {
      return size > capacity || size > 1 && bytes > maxBytes;
    }

    Update removeOldest() {
      Update u = ring[first];
      ring[first] = null;
      first = (first + 1) % ring.length;
      size--;
      bytes -= InMemoryEventStore.bytes(u);
      return u;
    }

    /** The index of the oldest entry with a sequence above {@code sequence} ({@link #size} when none). */
    int firstAfter(long sequence) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (get(mid).sequence() <= sequence) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }
}
