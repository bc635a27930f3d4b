package io.quicksilver.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
