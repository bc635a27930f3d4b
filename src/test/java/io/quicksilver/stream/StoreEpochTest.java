package io.quicksilver.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.auth.MercureClaims;
import io.quicksilver.mercure.TopicSelector;
import io.quicksilver.mercure.Update;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stream's sequences when the store restarts them (a new epoch, announced by {@link SubscriberRegistry#sequencesRestarted}):
 * the new epoch's updates are written however its numbers compare with the old epoch's, and none twice.
 */
class StoreEpochTest {

  private final SubscriberRegistry registry = new SubscriberRegistry(1 << 20, reason -> { }, Runnable::run, new Sequencer.Timers() {
    @Override
    public long schedule(long delayMillis, Runnable task) {
      throw new AssertionError("no timer expected");
    }

    @Override
    public void cancel(long id) {
    }
  });
  private final RecordingSink sink = new RecordingSink();
  private final Subscriber subscriber = new Subscriber(List.of(TopicSelector.of("*")), MercureClaims.ANONYMOUS,
      sink, 1 << 20, TimeUnit.SECONDS.toNanos(30));

  StoreEpochTest() {
    registry.add(subscriber);
  }

  /**
   * Verifies that when the sequences restart while a stream writes its replay (stalled on a full connection),
   * the old epoch's history and live updates are written, then the new epoch's, in order, and the new epoch's
   * later live updates too: none of them is taken for one the replay covered.
   */
  @Test
  void restartDuringReplay() {
    sink.capacity = 1;
    subscriber.startReplay(List.of(update(1, "old 1"), update(2, "old 2"), update(3, "old 3")), 3, null);
    assertEquals(List.of("old 1"), sink.data, "the replay stalls on the full connection");
    registry.dispatch(update(3, "old 3, live too"));
    registry.dispatch(update(4, "old 4"));
    registry.sequencesRestarted();
    registry.dispatch(update(1, "new 1"));
    registry.dispatch(update(2, "new 2"));
    sink.drained();
    registry.dispatch(update(3, "new 3"));
    assertEquals(List.of("old 1", "old 2", "old 3", "old 4", "new 1", "new 2", "new 3"), sink.data);
  }

  /**
   * Verifies that when the sequences restart while a stream's history is being read, the history (read in the new
   * epoch) covers the new epoch's updates that waited for it: they are not written twice.
   */
  @Test
  void restartBeforeReplay() {
    registry.sequencesRestarted();
    registry.dispatch(update(1, "new 1"));
    registry.dispatch(update(2, "new 2"));
    subscriber.startReplay(List.of(update(1, "new 1")), 1, null);
    registry.dispatch(update(3, "new 3"));
    assertEquals(List.of("new 1", "new 2", "new 3"), sink.data);
  }

  /** Verifies that a live stream writes the new epoch's first updates after the old epoch's later ones. */
  @Test
  void restartWhileLive() {
    subscriber.startLive();
    registry.dispatch(update(7, "old 7"));
    registry.sequencesRestarted();
    registry.dispatch(update(1, "new 1"));
    registry.dispatch(update(1, "new 1, again"));
    assertEquals(List.of("old 7", "new 1"), sink.data);
  }

  private static Update update(long sequence, String data) {
    return new Update(sequence, "urn:uuid:" + data.replace(' ', '-').replace(",", ""), List.of("https://example.com/t"),
        data, false, null, null);
  }
}
