package io.quicksilver.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.Update;
import org.junit.jupiter.api.Test;



/** The in-memory ring-buffer history, against the {@link EventStoreContract}. */
class InMemoryEventStoreTest extends EventStoreContract {

  @Override
  protected EventStore newStore(int capacity) {
    return new InMemoryEventStore(capacity);
  }

  /** Verifies that the in-memory store answers synchronously (its futures are already complete). */
  @Test
  void completesSynchronously() {
    EventStore s = store(2);
    assertTrue(s.append(update("a")).isComplete());
    assertTrue(s.readAfter("a", 10).isComplete());
    assertTrue(s.range(0, 1).isComplete());
    assertEquals("a", s.lastEventId().result());
  }

  /** Verifies that the history is bounded in bytes too: large updates push the oldest out, the newest always stays. */
  @Test
  void boundedInBytes() throws Exception {
    long oneUpdate = InMemoryEventStore.bytes(big("u10", 1000));
    EventStore s = new InMemoryEventStore(100, 3 * oneUpdate);
    for (int i = 1; i <= 10; i++) {
      await(s.append(big("u" + i, 1000)));
    }
    Replay earliest = await(s.readAfter(EventStore.EARLIEST, 100));
    assertEquals(java.util.List.of("u8", "u9", "u10"), earliest.updates().stream().map(Update::id).toList());
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("u7", 100)).cursor());
    await(s.append(big("huge", 100_000)));
    assertEquals(java.util.List.of("huge"), await(s.readAfter(EventStore.EARLIEST, 100)).updates().stream().map(Update::id).toList());
    await(s.append(big("small", 10)));
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("huge", 100)).cursor());
    assertEquals(java.util.List.of("small"), await(s.readAfter(EventStore.EARLIEST, 100)).updates().stream().map(Update::id).toList());
  }

  private static Update big(String id, int dataChars) {
    return new Update(0, id, java.util.List.of("https://example.com/" + id), "d".repeat(dataChars), false, null, null);
  }

  /** Verifies that a store of capacity one keeps only the newest update. */
  @Test
  void capacityOne() throws Exception {
    EventStore s = store(1);
    append(s, "a", "b");
    assertEquals(Replay.Cursor.UNKNOWN, await(s.readAfter("a", 10)).cursor());
    assertEquals(new Replay(Replay.Cursor.FOUND, java.util.List.of(), 2), await(s.readAfter("b", 10)));
    assertEquals(1, await(s.readAfter(EventStore.EARLIEST, 10)).updates().size());
  }
}
