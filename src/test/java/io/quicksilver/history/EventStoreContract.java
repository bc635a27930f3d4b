package io.quicksilver.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.Update;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;



/**
 * The behaviour every {@link EventStore} must have. A store implementation reuses it by extending this class
 * and implementing {@link #newStore(int)}; every result is awaited, so asynchronous stores work too.
 *
 * <p>Replays honour the capacity exactly: a store may physically keep a few more updates (Redis trims in
 * batches), but {@code readAfter} answers as if exactly the newest {@code capacity} updates were held, and the
 * newest {@code capacity} hub events besides them, so a replay with {@code limit >= 2 * capacity} always reaches
 * the head. {@code range} may return older updates a store still holds (they only help gap fills), in order.
 */
public abstract class EventStoreContract {

  private static final String TOPIC = "https://example.com/books/1";

  private EventStore store;

  /** A new, empty store that keeps at most {@code capacity} updates. */
  protected abstract EventStore newStore(int capacity);

  /** Creates the store under test (closed after the test). */
  protected EventStore store(int capacity) {
    store = newStore(capacity);
    return store;
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store != null) {
      await(store.close());
    }
  }

  protected static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  protected static Update update(String id) {
    return new Update(0, id, List.of(TOPIC, "urn:alt:" + id), "data of " + id, false, null, null);
  }

  /** Appends updates with the given ids, in order. */
  protected static void append(EventStore s, String... ids) throws Exception {
    for (String id : ids) {
      await(s.append(update(id)));
    }
  }

  protected static List<String> ids(List<Update> updates) {
    return updates.stream().map(Update::id).toList();
  }

  private static List<Long> sequences(List<Update> updates) {
    return updates.stream().map(Update::sequence).toList();
  }

  /** Verifies that appends get dense sequences from 1 and the stored update keeps every field. */
  @Test
  void denseSequencesFromOne() throws Exception {
    EventStore s = store(10);
    Update in = new Update(0, "a", List.of(TOPIC, "urn:alt"), "line1\nline2", true, "price", 3000L);
    Update stored = await(s.append(in));
    assertEquals(1, stored.sequence());
    assertEquals(in.withSequence(1), stored);
    assertEquals(2, await(s.append(update("b"))).sequence());
    assertEquals(3, await(s.append(update("c"))).sequence());
    assertEquals(List.of(1L, 2L, 3L), sequences(await(s.readAfter(EventStore.EARLIEST, 100)).updates()));
    assertEquals(stored, await(s.readAfter(EventStore.EARLIEST, 1)).updates().get(0));
  }

  /** Verifies that an empty store answers earliest with nothing, unknown ids as UNKNOWN, and lastEventId as earliest. */
  @Test
  void emptyStore() throws Exception {
    EventStore s = store(10);
    assertEquals(new Replay(Replay.Cursor.EARLIEST, List.of(), 0), await(s.readAfter(EventStore.EARLIEST, 100)));
    assertEquals(new Replay(Replay.Cursor.UNKNOWN, List.of(), 0), await(s.readAfter("nope", 100)));
    assertEquals(EventStore.EARLIEST, await(s.lastEventId()));
    assertEquals(List.of(), await(s.range(0, 10)));
    assertTrue(s.ready());
  }

  /** Verifies that a known id replays the updates after it, with the head sequence. */
  @Test
  void readAfterFound() throws Exception {
    EventStore s = store(10);
    append(s, "a", "b", "c");
    Replay r = await(s.readAfter("a", 100));
    assertEquals(Replay.Cursor.FOUND, r.cursor());
    assertEquals(List.of("b", "c"), ids(r.updates()));
    assertEquals(List.of(2L, 3L), sequences(r.updates()));
    assertEquals(3, r.headSequence());
    assertEquals(new Replay(Replay.Cursor.FOUND, List.of(), 3), await(s.readAfter("c", 100)));
  }

  /** Verifies that earliest replays the whole history, and an unknown id replays nothing, both with the head sequence. */
  @Test
  void readAfterEarliestAndUnknown() throws Exception {
    EventStore s = store(10);
    append(s, "a", "b", "c");
    Replay earliest = await(s.readAfter(EventStore.EARLIEST, 100));
    assertEquals(Replay.Cursor.EARLIEST, earliest.cursor());
    assertEquals(List.of("a", "b", "c"), ids(earliest.updates()));
    assertEquals(3, earliest.headSequence());
    assertEquals(new Replay(Replay.Cursor.UNKNOWN, List.of(), 3), await(s.readAfter("zzz", 100)));
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("", 100)).cursor());
  }

  /** Verifies that a replay returns at most limit updates, the oldest first. */
  @Test
  void readAfterLimit() throws Exception {
    EventStore s = store(10);
    append(s, "a", "b", "c", "d");
    assertEquals(List.of("a", "b"), ids(await(s.readAfter(EventStore.EARLIEST, 2)).updates()));
    assertEquals(List.of("b"), ids(await(s.readAfter("a", 1)).updates()));
    Replay r = await(s.readAfter("a", 2));
    assertEquals(List.of("b", "c"), ids(r.updates()));
    assertEquals(4, r.headSequence());
  }

  /** Verifies that beyond capacity the oldest updates are evicted: their ids become UNKNOWN and earliest returns only retained ones. */
  @Test
  void eviction() throws Exception {
    EventStore s = store(3);
    append(s, "a", "b", "c", "d", "e");
    assertEquals(new Replay(Replay.Cursor.UNKNOWN, List.of(), 5), await(s.readAfter("a", 100)));
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("b", 100)).cursor());
    Replay fromC = await(s.readAfter("c", 100));
    assertEquals(Replay.Cursor.FOUND, fromC.cursor());
    assertEquals(List.of("d", "e"), ids(fromC.updates()));
    Replay earliest = await(s.readAfter(EventStore.EARLIEST, 100));
    assertEquals(List.of("c", "d", "e"), ids(earliest.updates()));
    assertEquals(List.of(3L, 4L, 5L), sequences(earliest.updates()));
    assertEquals(5, earliest.headSequence());
    assertEquals("e", await(s.lastEventId()));
  }

  /** Verifies that eviction keeps working over many wraps of the buffer. */
  @Test
  void evictionOverManyWraps() throws Exception {
    EventStore s = store(4);
    for (int i = 1; i <= 103; i++) {
      assertEquals(i, await(s.append(update("u" + i))).sequence());
    }
    assertEquals(List.of("u100", "u101", "u102", "u103"), ids(await(s.readAfter(EventStore.EARLIEST, 100)).updates()));
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("u99", 100)).cursor());
    assertEquals(List.of("u101", "u102", "u103"), ids(await(s.readAfter("u100", 100)).updates()));
  }

  /**
   * Verifies that a repeated id resolves to its earliest update, and that the later ones bearing it are replayed
   * (draft-08 "Reconciliation": "a Last-Event-ID bearing that value MUST resolve to the earliest such update [...]
   * including any later update carrying the same, reused ID").
   */
  @Test
  void duplicateIdEarliestWins() throws Exception {
    EventStore s = store(10);
    append(s, "a", "b", "a", "c", "a");
    Replay r = await(s.readAfter("a", 100));
    assertEquals(Replay.Cursor.FOUND, r.cursor());
    assertEquals(List.of("b", "a", "c", "a"), ids(r.updates()));
    assertEquals(List.of(2L, 3L, 4L, 5L), sequences(r.updates()));
    assertEquals(List.of("a", "b", "a", "c", "a"), ids(await(s.readAfter(EventStore.EARLIEST, 100)).updates()));
  }

  /** Verifies that evicting the older copy of a repeated id keeps the newer copy findable, until it is evicted too. */
  @Test
  void evictingOlderDuplicateKeepsNewer() throws Exception {
    EventStore s = store(3);
    append(s, "x", "y", "x", "z"); // evicts the first x (sequence 1)
    Replay r = await(s.readAfter("x", 100));
    assertEquals(Replay.Cursor.FOUND, r.cursor());
    assertEquals(List.of("z"), ids(r.updates()));
    append(s, "w"); // evicts y (sequence 2)
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("y", 100)).cursor());
    assertEquals(List.of("z", "w"), ids(await(s.readAfter("x", 100)).updates()));
    append(s, "v"); // evicts the second x (sequence 3)
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("x", 100)).cursor());
    assertEquals(List.of("z", "w", "v"), ids(await(s.readAfter(EventStore.EARLIEST, 100)).updates()));
  }

  /** Verifies that an id repeated many times resolves to each next copy as the older ones are evicted. */
  @Test
  void repeatedIdFollowsEviction() throws Exception {
    EventStore s = store(3);
    append(s, "r", "x", "r", "r", "y");
    assertEquals(List.of("r", "y"), ids(await(s.readAfter("r", 100)).updates())); // earliest kept r: sequence 3
    append(s, "z"); // evicts sequence 3
    assertEquals(List.of("y", "z"), ids(await(s.readAfter("r", 100)).updates()));
    append(s, "w"); // evicts sequence 4, the last r
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("r", 100)).cursor());
  }

  /** A hub event (a subscription event): its topic lies in the hub's namespace. */
  protected static Update hubEvent(String id) {
    return new Update(0, id, List.of("/.well-known/mercure/subscriptions/t/" + id), "{}", true, "mercure", null);
  }

  /**
   * Verifies that hub events never push updates out of the replayable history: they are kept apart, as many as
   * the capacity, and a replay interleaves both in sequence order.
   */
  @Test
  void hubEventsKeepTheirOwnCapacity() throws Exception {
    EventStore s = store(3);
    append(s, "a", "b");
    for (int i = 1; i <= 20; i++) {
      await(s.append(hubEvent("h" + i)));
    }
    append(s, "c");
    Replay fromA = await(s.readAfter("a", 100));
    assertEquals(Replay.Cursor.FOUND, fromA.cursor());
    // the three newest hub events are kept; the older ones are skipped, the updates are all there
    assertEquals(List.of("b", "h18", "h19", "h20", "c"), ids(fromA.updates()));
    assertEquals(23, fromA.headSequence());
    assertEquals(List.of("a", "b", "h18", "h19", "h20", "c"), ids(await(s.readAfter(EventStore.EARLIEST, 100)).updates()));
    assertEquals(List.of("h20", "c"), ids(await(s.readAfter("h19", 100)).updates()));
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("h17", 100)).cursor());
    assertEquals("c", await(s.lastEventId()));
  }

  /** Verifies that a hub event older than the oldest update kept is out of reach, and so is a cursor on it. */
  @Test
  void hubEventsBeforeTheHistoryAreDropped() throws Exception {
    EventStore s = store(2);
    await(s.append(hubEvent("h1")));
    append(s, "a");
    await(s.append(hubEvent("h2")));
    append(s, "b", "c"); // evicts a, and with it h1
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("h1", 100)).cursor());
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("a", 100)).cursor());
    assertEquals(List.of("h2", "b", "c"), ids(await(s.readAfter(EventStore.EARLIEST, 100)).updates()));
    assertEquals(List.of("b", "c"), ids(await(s.readAfter("h2", 100)).updates()));
  }

  /** Verifies that the last event id is the newest update's id, also when that id repeats an older one. */
  @Test
  void lastEventId() throws Exception {
    EventStore s = store(10);
    append(s, "a");
    assertEquals("a", await(s.lastEventId()));
    append(s, "b", "a");
    assertEquals("a", await(s.lastEventId()));
  }

  /** Verifies that latest returns the newest updates oldest first, never more than the history holds. */
  @Test
  void latestUpdates() throws Exception {
    EventStore s = store(3);
    assertEquals(List.of(), await(s.latest(2)));
    append(s, "a", "b", "c", "d");
    assertEquals(List.of("c", "d"), ids(await(s.latest(2))));
    assertEquals(List.of("b", "c", "d"), ids(await(s.latest(10))));
  }

  /** Verifies that range returns the updates with sequences in (after, until], in order. */
  @ParameterizedTest
  @CsvSource(nullValues = "NONE", value = {
      "0, 5, a b c d e",
      "0, 3, a b c",
      "1, 2, b",
      "2, 2, NONE",
      "3, 1, NONE",
      "4, 100, e",
      "5, 9, NONE",
      "-10, 1, a",
      "0, 0, NONE"})
  void range(long after, long until, String expected) throws Exception {
    EventStore s = store(10);
    append(s, "a", "b", "c", "d", "e");
    List<String> want = expected == null ? List.of() : List.of(expected.split(" "));
    assertEquals(want, ids(await(s.range(after, until))));
  }

  /** Verifies that a range reaching into evicted history returns only the retained part. */
  @ParameterizedTest
  @CsvSource(nullValues = "NONE", value = {
      "0, 5, c d e",
      "1, 4, c d",
      "0, 2, NONE",
      "2, 3, c",
      "3, 5, d e",
      "4, 100, e"})
  void trimmedRange(long after, long until, String expected) throws Exception {
    EventStore s = store(3);
    append(s, "a", "b", "c", "d", "e");
    List<String> want = expected == null ? List.of() : List.of(expected.split(" "));
    List<Update> got = await(s.range(after, until));
    assertEquals(want, ids(got));
    for (Update u : got) {
      assertTrue(u.sequence() > after && u.sequence() <= until);
    }
  }

  /** Verifies that at scale exactly the newest capacity updates are replayable: older cursors are UNKNOWN, newer ones replay the exact suffix. */
  @Test
  void evictionAtScale() throws Exception {
    int capacity = 500;
    int n = 1234;
    EventStore s = store(capacity);
    for (int i = 1; i <= n; i++) {
      assertEquals(i, await(s.append(update("s" + i))).sequence());
    }
    int oldest = n - capacity + 1;
    for (int i : new int[] {1, 2, 100, oldest - 30, oldest - 10, oldest - 5, oldest - 2, oldest - 1}) {
      assertEquals(new Replay(Replay.Cursor.UNKNOWN, List.of(), n), await(s.readAfter("s" + i, capacity)), "s" + i);
    }
    for (int i = oldest; i <= n; i += (i < oldest + 20 || i > n - 20) ? 1 : 37) {
      Replay r = await(s.readAfter("s" + i, capacity));
      assertEquals(Replay.Cursor.FOUND, r.cursor(), "s" + i);
      assertEquals(expectedIds(i + 1, n), ids(r.updates()), "s" + i);
      assertEquals(n, r.headSequence());
    }
    Replay earliest = await(s.readAfter(EventStore.EARLIEST, 10 * capacity));
    assertEquals(Replay.Cursor.EARLIEST, earliest.cursor());
    assertEquals(expectedIds(oldest, n), ids(earliest.updates()));
    assertEquals(n, earliest.headSequence());
  }

  /** Verifies that a replay with limit equal to the capacity is never truncated: it always ends at the head (the hub relies on this). */
  @Test
  void replayAtCapacityLimitReachesHead() throws Exception {
    int capacity = 300;
    EventStore s = store(capacity);
    for (int i = 1; i <= 2 * capacity + 7; i++) {
      append(s, "r" + i);
      if (i >= capacity - 2) {
        Replay earliest = await(s.readAfter(EventStore.EARLIEST, capacity));
        assertEquals(Math.min(i, capacity), earliest.updates().size(), "after " + i);
        assertEquals(i, earliest.updates().get(earliest.updates().size() - 1).sequence(), "after " + i);
        Replay fromOldest = await(s.readAfter(earliest.updates().get(0).id(), capacity));
        assertEquals(Replay.Cursor.FOUND, fromOldest.cursor());
        assertEquals(earliest.updates().subList(1, earliest.updates().size()), fromOldest.updates(), "after " + i);
      }
    }
  }

  /** Verifies that at scale a range returns a contiguous, ordered run ending at its bound, holding at least the retained part. */
  @Test
  void rangeAtScale() throws Exception {
    int capacity = 500;
    int n = 1234;
    EventStore s = store(capacity);
    for (int i = 1; i <= n; i++) {
      append(s, "s" + i);
    }
    List<Update> all = await(s.range(0, n));
    assertTrue(all.size() >= capacity, "at least the newest capacity: " + all.size());
    List<Long> seqs = sequences(all);
    for (int i = 0; i < seqs.size(); i++) {
      assertEquals(n - seqs.size() + 1 + i, seqs.get(i));
      assertEquals("s" + seqs.get(i), all.get(i).id());
    }
    assertEquals(expectedIds(n - capacity + 1, n), ids(await(s.range(n - capacity, n))));
    assertEquals(expectedIds(n - 10 + 1, n - 5), ids(await(s.range(n - 10, n - 5))));
  }

  /** Verifies that an append answers the epoch its sequence belongs to, the store's own. */
  @Test
  void addAnswersTheEpoch() throws Exception {
    EventStore s = store(10);
    EventStore.Appended a = await(s.add(update("a")));
    assertEquals(1, a.update().sequence());
    assertEquals(s.epoch(), a.epoch());
    assertEquals(new EventStore.Head(a.epoch(), 1), await(s.head()));
  }

  /**
   * Verifies that a hub cursor ({@link Position}) of the current epoch replays what follows its sequence
   * (POSITION, from the oldest update held when it is older), and one of an epoch since left replays all of
   * the current one.
   */
  @Test
  void positionCursor() throws Exception {
    EventStore s = store(3);
    append(s, "a", "b", "c", "d", "e");
    String epoch = await(s.head()).epoch();
    assertEquals(new Replay(Replay.Cursor.POSITION, List.of(update("e").withSequence(5)), 5),
        await(s.readAfter(new Position(epoch, 4).cursor(), 100)));
    assertEquals(List.of("c", "d", "e"), ids(await(s.readAfter(new Position(epoch, 0).cursor(), 100)).updates()));
    assertEquals(new Replay(Replay.Cursor.POSITION, List.of(), 5), await(s.readAfter(new Position(epoch, 9).cursor(), 100)));
    assertEquals(List.of("c", "d", "e"), ids(await(s.readAfter(new Position("other", 9).cursor(), 100)).updates()));
    assertEquals(Replay.Cursor.POSITION, await(s.readAfter(new Position("other", 9).cursor(), 100)).cursor());
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("#not-a-position", 100)).cursor());
  }

  private static Update on(String id, String... topics) {
    return new Update(0, id, List.of(topics), "data of " + id, false, null, null);
  }

  private static List<String> byTopic(EventStore s, String cursor, int limit, String... topics) throws Exception {
    return ids(await(s.readAfter(cursor, limit, java.util.Set.of(topics))).updates());
  }

  /**
   * Verifies that a replay for exact topics returns the updates holding one of them (canonical or alternate, once
   * each, in order, within the limit), with the cursor resolved as for a full replay: these stores read a per-topic
   * index, so they return exactly those updates.
   */
  @Test
  void replayByTopic() throws Exception {
    EventStore s = store(10);
    for (Update u : List.of(on("u1", "A"), on("u2", "B"), on("u3", "A", "C"), on("u4", "B", "A"), on("u5", "C"),
        on("u6", "A", "A"), hubEvent("h1"), on("u7", "D"))) {
      await(s.append(u));
    }
    assertEquals(List.of("u3", "u4", "u6"), byTopic(s, "u1", 100, "A"));
    assertEquals(List.of("u3", "u4", "u5", "u6"), byTopic(s, "u1", 100, "A", "C"));
    assertEquals(List.of("u2", "u4"), byTopic(s, EventStore.EARLIEST, 100, "B"));
    assertEquals(List.of("u1", "u3"), byTopic(s, EventStore.EARLIEST, 2, "A", "Z"));
    assertEquals(List.of("h1"), byTopic(s, "u2", 100, "/.well-known/mercure/subscriptions/t/h1"));
    assertEquals(List.of(), byTopic(s, "u1", 100, "Z"));
    assertEquals(List.of(), byTopic(s, "u1", 100));
    Replay unknown = await(s.readAfter("nope", 100, java.util.Set.of("A")));
    assertEquals(new Replay(Replay.Cursor.UNKNOWN, List.of(), 8), unknown);
    Replay found = await(s.readAfter("u4", 100, java.util.Set.of("D", "A")));
    assertEquals(new Replay(Replay.Cursor.FOUND, List.of(on("u6", "A", "A").withSequence(6), on("u7", "D").withSequence(8)), 8), found);
    String epoch = await(s.head()).epoch();
    assertEquals(List.of("u4", "u6"), byTopic(s, new Position(epoch, 3).cursor(), 100, "A"));
    assertEquals(Replay.Cursor.POSITION, await(s.readAfter(new Position(epoch, 3).cursor(), 100, java.util.Set.of("A"))).cursor());
    assertEquals(List.of("u1", "u2", "u3", "u4", "u5", "u6", "h1", "u7"), ids(await(s.readAfter(EventStore.EARLIEST, 100, null)).updates()));
  }

  /**
   * Verifies that at scale a replay by topic holds exactly the retained updates of its topics: what left the history
   * (updates past the capacity, hub events past theirs) leaves the index too.
   */
  @Test
  void replayByTopicAtScale() throws Exception {
    int capacity = 50;
    int n = 437;
    EventStore s = store(capacity);
    for (int i = 1; i <= n; i++) {
      await(s.append(on("s" + i, "t" + (i % 7), "all")));
      if (i % 5 == 0) {
        await(s.append(hubEvent("h" + i)));
      }
    }
    List<Update> held = await(s.readAfter(EventStore.EARLIEST, 10 * capacity)).updates();
    for (String topic : List.of("t3", "t0", "all", "/.well-known/mercure/subscriptions/t/h435")) {
      List<String> expected = held.stream().filter(u -> u.topics().contains(topic)).map(Update::id).toList();
      assertEquals(expected, byTopic(s, EventStore.EARLIEST, 10 * capacity, topic), topic);
      String cursor = "s" + (n - 20);
      List<String> after = held.stream().filter(u -> u.sequence() > sequenceOf(held, cursor) && u.topics().contains(topic))
          .map(Update::id).toList();
      assertEquals(after, byTopic(s, cursor, 10 * capacity, topic), topic + " after " + cursor);
    }
    assertEquals(List.of(), byTopic(s, EventStore.EARLIEST, 10 * capacity, "/.well-known/mercure/subscriptions/t/h5"));
  }

  private static long sequenceOf(List<Update> updates, String id) {
    return updates.stream().filter(u -> u.id().equals(id)).findFirst().orElseThrow().sequence();
  }

  /** Verifies that a range asked for in another epoch fails instead of answering updates numbered in the current one. */
  @Test
  void rangeOfAnotherEpochRefused() throws Exception {
    EventStore s = store(10);
    append(s, "a", "b");
    String epoch = await(s.head()).epoch();
    assertEquals(List.of("b"), ids(await(s.range(epoch, 1, 2))));
    Exception e = assertThrows(Exception.class, () -> await(s.range("other", 0, 2)));
    assertTrue(e.getCause() instanceof EpochChangedException || e instanceof EpochChangedException, String.valueOf(e));
  }

  private static List<String> expectedIds(int from, int to) {
    List<String> out = new java.util.ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add("s" + i);
    }
    return out;
  }
}
