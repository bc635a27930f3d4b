package io.quicksilver.history;

import io.quicksilver.mercure.Update;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A bounded history in memory, in two lanes: publishers' updates, and the hub's own events (subscription
 * events, {@link Update#hubEvent()}), each bounded by the same count and bytes, so that a flood of
 * subscriptions never pushes an update out of the replayable history.
 *
 * <p>Sequences are shared and dense (both lanes together). An update dropped from its lane makes every sequence
 * up to it unreplayable (a cursor there is unknown; {@code earliest} starts after it); a hub event dropped from
 * its lane, while the updates around it stay, leaves a gap that replays skip: the hub may discard its own events.
 * An id shared by several entries resolves to the earliest one still held. A per-topic index (topic → the entries
 * holding it, in order) answers a replay for exact topics with the entries of those topics only. All operations take
 * one short lock and are O(log n) or O(returned entries) (an append and a drop: O(topics)): safe on any event loop. History is lost when the process stops; each
 * process has its own epoch.
 */
public final class InMemoryEventStore implements EventStore {

  /** Estimated bytes of an entry besides its strings' characters (record, list, index entry). */
  private static final long ENTRY_BYTES = 160;

  private final Lane updates;
  private final Lane hubEvents;
  /** id → the sequences holding it, oldest first: a {@code Long}, or an {@code ArrayDeque<Long>} when shared. */
  private final Map<String, Object> sequencesById;
  /** topic → the entries (of both lanes) holding it, in sequence order; every held entry under each of its topics. */
  private final Map<String, Ring> byTopic = new HashMap<>();
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

  /** The estimated heap an update takes in the history (with its place in the per-topic index, a ring of its own at worst). */
  static long bytes(Update u) {
    long chars = u.id().length() + u.data().length() + (u.type() == null ? 0 : u.type().length());
    for (String topic : u.topics()) {
      chars += topic.length() + 80;
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
  public Future<Replay> readAfter(String lastEventId, int limit) {
    return readAfter(lastEventId, limit, null);
  }

  @Override
  public synchronized Future<Replay> readAfter(String lastEventId, int limit, Set<String> topics) {
    if (EARLIEST.equals(lastEventId)) {
      return Future.succeededFuture(new Replay(Replay.Cursor.EARLIEST, after(floor, limit, topics), head));
    }
    Long seq = earliest(lastEventId);
    Position position = seq == null ? Position.parse(lastEventId) : null;
    if (position != null) {
      long after = position.epoch().equals(epoch) ? Math.min(position.sequence(), head) : 0; // an older epoch: all of this one
      return Future.succeededFuture(new Replay(Replay.Cursor.POSITION, after(Math.max(after, floor), limit, topics), head));
    }
    if (seq == null) {
      return Future.succeededFuture(new Replay(Replay.Cursor.UNKNOWN, List.of(), head));
    }
    return Future.succeededFuture(new Replay(Replay.Cursor.FOUND, after(seq, limit, topics), head));
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

  /** The entries after a sequence holding one of the topics (null: every entry), in order, at most {@code limit}. */
  private List<Update> after(long after, int limit, Set<String> topics) {
    if (topics == null) {
      return after(after, Long.MAX_VALUE, limit);
    }
    List<Ring> rings = new ArrayList<>(topics.size());
    for (String topic : topics) {
      Ring ring = byTopic.get(topic);
      if (ring != null) {
        rings.add(ring);
      }
    }
    int[] next = new int[rings.size()];
    for (int k = 0; k < rings.size(); k++) {
      next[k] = rings.get(k).firstAfter(after);
    }
    List<Update> out = new ArrayList<>();
    long last = after;
    while (out.size() < limit) {
      Update first = null;
      int from = -1;
      for (int k = 0; k < rings.size(); k++) {
        Ring ring = rings.get(k);
        while (next[k] < ring.size() && ring.get(next[k]).sequence() <= last) {
          next[k]++; // already taken through another of its topics
        }
        if (next[k] < ring.size() && (first == null || ring.get(next[k]).sequence() < first.sequence())) {
          first = ring.get(next[k]);
          from = k;
        }
      }
      if (first == null) {
        break;
      }
      out.add(first);
      next[from]++;
      last = first.sequence();
    }
    return out;
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
    for (String topic : u.topics()) {
      Ring ring = byTopic.computeIfAbsent(topic, t -> new Ring());
      if (ring.size() == 0 || ring.get(ring.size() - 1) != u) { // a topic listed twice is indexed once
        ring.add(u);
      }
    }
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
    for (String topic : u.topics()) {
      Ring ring = byTopic.get(topic);
      if (ring != null && ring.remove(u) && ring.size() == 0) {
        byTopic.remove(topic);
      }
    }
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

  /** Entries in sequence order, in a ring that grows as needed; dropped from the oldest end. */
  private static class Ring {
    private Update[] ring = new Update[4];
    private int first;
    private int size;

    int size() {
      return size;
    }

    /** The {@code i}-th oldest entry. */
    Update get(int i) {
      return ring[(first + i) % ring.length];
    }

    void add(Update u) {
      if (size == ring.length) {
        Update[] grown = new Update[grownLength()];
        for (int i = 0; i < size; i++) {
          grown[i] = get(i);
        }
        ring = grown;
        first = 0;
      }
      ring[(first + size) % ring.length] = u;
      size++;
    }

    int grownLength() {
      return 2 * ring.length;
    }

    Update removeOldest() {
      Update u = ring[first];
      ring[first] = null;
      first = (first + 1) % ring.length;
      size--;
      return u;
    }

    /**
     * Removes an entry: the oldest as a rule (entries leave in order); one further in only when its topic is shared
     * by both lanes, which drop their entries independently.
     *
     * @return whether it was held
     */
    boolean remove(Update u) {
      if (size > 0 && get(0) == u) {
        removeOldest();
        return true;
      }
      int at = firstAfter(u.sequence() - 1);
      if (at == size || get(at) != u) {
        return false;
      }
      for (int i = at; i < size - 1; i++) {
        ring[(first + i) % ring.length] = get(i + 1);
      }
      ring[(first + size - 1) % ring.length] = null;
      size--;
      return true;
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

  /** Entries of one kind in sequence order, in a ring that grows up to its count; dropped from the oldest end. */
  private static final class Lane extends Ring {
    private final int capacity;
    private final long maxBytes;
    private long bytes;

    Lane(int capacity, long maxBytes) {
      this.capacity = capacity;
      this.maxBytes = maxBytes;
    }

    @Override
    int grownLength() {
      // up to one more than the count: the lane drops its oldest entry just after an add
      return Math.max(size() + 1, (int) Math.min(capacity + 1L, super.grownLength()));
    }

    @Override
    void add(Update u) {
      super.add(u);
      bytes += InMemoryEventStore.bytes(u);
    }

    /** Whether the lane holds more than its count or bytes allow (its newest entry always stays). */
    boolean over() {
      return size() > capacity || size() > 1 && bytes > maxBytes;
    }

    @Override
    Update removeOldest() {
      Update u = super.removeOldest();
      bytes -= InMemoryEventStore.bytes(u);
      return u;
    }
  }
}
