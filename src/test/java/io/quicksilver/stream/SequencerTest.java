package io.quicksilver.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.history.EpochChangedException;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.Position;
import io.quicksilver.history.Replay;
import io.quicksilver.mercure.Update;
import io.quicksilver.metrics.LossCause;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;




/** The per-instance sequencer, with a fake store and manual timers (no Vert.x, no clock). */
@Timeout(30)
class SequencerTest {

  private static final long HOLD_MS = 150;

  /** A range request the test answers by hand. */
  private record RangeCall(long after, long until, Promise<List<Update>> answer) {
  }

  private final List<RangeCall> rangeCalls = new ArrayList<>();
  private final Map<Long, Runnable> timers = new LinkedHashMap<>();
  private final List<Long> timerDelays = new ArrayList<>();
  private final List<Long> delivered = new ArrayList<>();
  private final List<Sequencer.Loss> losses = new ArrayList<>();
  /** What was delivered and declared, in order: a sequence, or "loss@cursor". */
  private final List<String> events = new ArrayList<>();
  private int gapFills;
  private long nextTimer = 1;
  private Sequencer sequencer;
  private EventStore store;
  private Sequencer.Timers fakeTimers;

  @BeforeEach
  void create() {
    store = new EventStore() {
      @Override
      public Future<List<Update>> range(long afterSequence, long untilSequence) {
        Promise<List<Update>> p = Promise.promise();
        rangeCalls.add(new RangeCall(afterSequence, untilSequence, p));
        return p.future();
      }

      @Override
      public Future<Appended> add(Update update) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Future<Replay> readAfter(String lastEventId, int limit) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Future<List<Update>> latest(int count) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Future<String> lastEventId() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Future<Head> head() {
        throw new UnsupportedOperationException();
      }

      @Override
      public String epoch() {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean ready() {
        return true;
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
    fakeTimers = new Sequencer.Timers() {
      @Override
      public long schedule(long delayMillis, Runnable task) {
        long id = nextTimer++;
        timers.put(id, task);
        timerDelays.add(delayMillis);
        return id;
      }

      @Override
      public void cancel(long id) {
        timers.remove(id);
      }
    };
    sequencer = new Sequencer(store, fakeTimers, Runnable::run, HOLD_MS, u -> {
      delivered.add(u.sequence());
      events.add(String.valueOf(u.sequence()));
    }, loss -> {
      losses.add(loss);
      events.add("loss@" + loss.resumeAt().cursor());
    });
    sequencer.onGapFill(() -> gapFills++);
  }

  private static Update u(long seq) {
    return new Update(seq, "id-" + seq, List.of("https://example.com/t"), "d" + seq, false, null, null);
  }

  private static List<Update> updates(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(SequencerTest::u).toList();
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private void accept(String epoch, long... seqs) {
    for (long s : seqs) {
      sequencer.accept(epoch, u(s));
    }
  }

  /** Runs the timers that are due now (all pending ones; bounded). */
  private void fireTimers() {
    for (int i = 0; i < 100 && !timers.isEmpty(); i++) {
      Map.Entry<Long, Runnable> first = timers.entrySet().iterator().next();
      timers.remove(first.getKey());
      first.getValue().run();
    }
  }

  private RangeCall onlyRangeCall() {
    assertEquals(1, rangeCalls.size(), "range calls: " + rangeCalls);
    return rangeCalls.remove(0);
  }

  /**
   * Verifies that the updates held during a gap fill weigh no more than the bound: the newest are left to the store
   * and filled from it afterwards, so every update is still delivered once, in order, and nothing is declared lost.
   */
  @Test
  void heldUpdatesAreBoundedInBytesAndTheRestComesFromTheStore() {
    long bound = 3 * (2L * "d10".length() + 256);
    Sequencer bounded = new Sequencer(store, fakeTimers, Runnable::run, HOLD_MS, bound, u -> {
      delivered.add(u.sequence());
      events.add(String.valueOf(u.sequence()));
    }, loss -> events.add("loss@" + loss.resumeAt().cursor()));
    bounded.startAt("e", 0);
    for (long s = 2; s <= 9; s++) {
      bounded.accept("e", u(s)); // 1 is missing: the rest is held, up to the bound
      assertTrue(bounded.heldBytes() <= bound, "held " + bounded.heldBytes() + " bytes after " + s);
    }
    RangeCall fill = onlyRangeCall();
    assertEquals(0, fill.after());
    fill.answer().complete(updates(1, fill.until()));
    List<Long> first = List.copyOf(delivered);
    assertTrue(first.size() >= 2 && first.equals(seqs(1, first.size())), "the fill and what was held, in order: " + first);
    bounded.accept("e", u(10)); // the next one shows the gap the dropped ones left
    fireTimers();
    RangeCall refill = onlyRangeCall();
    assertEquals(first.size(), refill.after());
    refill.answer().complete(updates(refill.after() + 1, refill.until()));
    assertEquals(seqs(1, 10), delivered, "every update once, in order");
    assertTrue(events.stream().noneMatch(e -> e.startsWith("loss")), "nothing declared lost: " + events);
  }

  /** Verifies that updates arriving in order are delivered at once, with no timer and no store read. */
  @Test
  void inOrderDelivery() {
    sequencer.startAt("e", 0);
    accept("e", 1, 2, 3);
    assertEquals(seqs(1, 3), delivered);
    accept("e", 3, 4);
    assertEquals(seqs(1, 4), delivered, "3 was the last delivered: a duplicate of it is dropped, 4 follows at once");
    assertTrue(timers.isEmpty());
    assertTrue(rangeCalls.isEmpty());
  }

  /** Verifies that without a known position the first updates wait the hold time, then start the count at the lowest one seen. */
  @Test
  void firstUpdatesStartTheCountWithoutStart() {
    accept("e", 8, 7);
    assertTrue(delivered.isEmpty());
    fireTimers();
    assertEquals(List.of(7L, 8L), delivered);
    assertTrue(rangeCalls.isEmpty());
  }

  /** Verifies that duplicates (at or below the last delivered, or already held) are dropped. */
  @Test
  void duplicatesDropped() {
    sequencer.startAt("e", 0);
    accept("e", 1, 2, 2, 1, 4, 4, 3, 3, 4);
    assertEquals(seqs(1, 4), delivered);
    assertTrue(rangeCalls.isEmpty());
  }

  /** Verifies that an update ahead of its predecessor is held and released in order once the predecessor arrives, without a store read. */
  @Test
  void outOfOrderHeldAndReleased() {
    sequencer.startAt("e", 0);
    accept("e", 1, 4, 3);
    assertEquals(List.of(1L), delivered);
    assertEquals(List.of(HOLD_MS), timerDelays);
    accept("e", 2);
    assertEquals(seqs(1, 4), delivered);
    fireTimers();
    assertTrue(rangeCalls.isEmpty(), "nothing to fill");
    assertEquals(seqs(1, 4), delivered);
  }

  /** Verifies that a gap still open when the hold expires is filled from the store, delivered in order before what was held. */
  @Test
  void gapFilledFromStoreInOrder() {
    sequencer.startAt("e", 0);
    accept("e", 1, 5, 4);
    fireTimers();
    RangeCall call = onlyRangeCall();
    assertEquals(1, call.after());
    assertEquals(3, call.until());
    call.answer().complete(updates(2, 3));
    assertEquals(seqs(1, 5), delivered);
    assertEquals(1, gapFills);
    assertTrue(losses.isEmpty());
  }

  /** Verifies that an update arriving live while its gap is being filled is not delivered twice. */
  @Test
  void liveArrivalDuringFillNotDuplicated() {
    sequencer.startAt("e", 0);
    accept("e", 1, 4);
    fireTimers();
    RangeCall call = onlyRangeCall();
    accept("e", 2, 3, 5);
    assertEquals(List.of(1L), delivered, "nothing overtakes the fill");
    call.answer().complete(updates(2, 3));
    assertEquals(seqs(1, 5), delivered);
  }

  /** Verifies that when the store no longer has the missing range, onLoss is told how many were lost and delivery continues after it. */
  @Test
  void rangeGoneReportsLoss() {
    sequencer.startAt("e", 10);
    accept("e", 11, 15);
    fireTimers();
    onlyRangeCall().answer().complete(List.of());
    assertEquals(List.of(new Sequencer.Loss(LossCause.GAP, 3, new Position("e", 11))), losses, "resume after what was delivered");
    assertEquals(List.of(11L, 15L), delivered);
    accept("e", 16);
    assertEquals(List.of(11L, 15L, 16L), delivered);
  }

  /** Verifies that a failed fill is retried after a delay and then delivers the gap in order. */
  @Test
  void failedFillRetried() {
    sequencer.startAt("e", 0);
    accept("e", 1, 3);
    fireTimers();
    onlyRangeCall().answer().fail("store down");
    assertEquals(List.of(1L), delivered);
    assertTrue(losses.isEmpty());
    assertTrue(timerDelays.get(timerDelays.size() - 1) >= HOLD_MS);
    fireTimers();
    RangeCall retry = onlyRangeCall();
    assertEquals(1, retry.after());
    assertEquals(2, retry.until());
    retry.answer().complete(updates(2, 2));
    assertEquals(seqs(1, 3), delivered);
  }

  /**
   * Verifies that a new epoch restarts the count and is a declared loss (resume at the new epoch's start),
   * before its first update is delivered; held updates of the old epoch are dropped.
   */
  @Test
  void epochChangeRestartsCounting() {
    sequencer.startAt("e1", 10);
    accept("e1", 11, 13);
    assertEquals(List.of(11L), delivered);
    accept("e2", 1, 2);
    assertEquals(List.of("11", "loss@#e2:0", "1", "2"), events);
    assertEquals(List.of(new Sequencer.Loss(LossCause.EPOCH, 0, new Position("e2", 0))), losses);
    fireTimers();
    assertTrue(rangeCalls.isEmpty(), "no fill for the old epoch's gap");
    accept("e2", 3);
    assertEquals(List.of(11L, 1L, 2L, 3L), delivered);
  }

  /** Verifies that an update of a new epoch arriving while a fill of the old epoch is pending is delivered when that fill ends, without waiting for a later update. */
  @Test
  void epochChangeDuringFill() {
    sequencer.startAt("e1", 0);
    accept("e1", 1, 3);
    fireTimers();
    RangeCall stale = onlyRangeCall();
    accept("e2", 1);
    stale.answer().complete(updates(2, 2));
    assertEquals(List.of(1L, 1L), delivered, "the old epoch's fill is discarded; the new epoch's first update is out");
    assertEquals(List.of("1", "loss@#e2:0", "1"), events);
  }

  /** Verifies that a lost tail is fetched only after two head observations ahead of what was delivered. */
  @Test
  void headObservedFillsLostTailAfterTwoObservations() {
    sequencer.startAt("e", 0);
    accept("e", 1);
    sequencer.headObserved("e", 3);
    assertTrue(rangeCalls.isEmpty(), "one observation is not enough (the update may be in flight)");
    sequencer.headObserved("e", 3);
    RangeCall call = onlyRangeCall();
    assertEquals(1, call.after());
    assertEquals(3, call.until());
    call.answer().complete(updates(2, 3));
    assertEquals(seqs(1, 3), delivered);
    sequencer.headObserved("e", 3);
    sequencer.headObserved("e", 3);
    assertTrue(rangeCalls.isEmpty(), "nothing missing any more");
  }

  /** Verifies that a head observed ahead is not filled when the updates arrive on the bus before the second observation. */
  @Test
  void headObservedNoFillWhenCaughtUp() {
    sequencer.startAt("e", 0);
    accept("e", 1);
    sequencer.headObserved("e", 3);
    accept("e", 2, 3);
    sequencer.headObserved("e", 3);
    assertTrue(rangeCalls.isEmpty());
    assertEquals(seqs(1, 3), delivered);
  }

  /** Verifies that an empty store epoch and the epoch already left behind never trigger a fill. */
  @Test
  void headObservedEmptyOrRetiredEpochIgnored() {
    sequencer.startAt("e1", 0);
    accept("e1", 1);
    sequencer.headObserved("", 0);
    sequencer.headObserved("", 0);
    accept("e2", 1);
    sequencer.headObserved("e1", 5);
    sequencer.headObserved("e1", 5);
    assertTrue(rangeCalls.isEmpty());
  }

  /** Verifies that a new epoch seen only through the head (the bus lost its updates) is caught up from the store. */
  @Test
  void headObservedNewEpochFillsFromTheStore() {
    sequencer.startAt("e1", 0);
    accept("e1", 1);
    sequencer.headObserved("e2", 3);
    sequencer.headObserved("e2", 3);
    RangeCall call = onlyRangeCall();
    assertEquals(0, call.after());
    assertEquals(3, call.until());
    call.answer().complete(updates(1, 3));
    assertEquals(List.of(1L, 1L, 2L, 3L), delivered, "e1's update, then all of e2's from the store");
    assertEquals(List.of("1", "loss@#e2:0", "1", "2", "3"), events, "the loss is declared before e2 is delivered");
    accept("e2", 3, 4);
    assertEquals(List.of(1L, 1L, 2L, 3L, 4L), delivered, "e2's 3 was the last delivered");
  }

  /** Verifies that the first epoch (after an empty store or an unknown position) is no loss: nothing was being delivered. */
  @Test
  void firstEpochIsNoLoss() {
    sequencer.startAt("", 0);
    accept("e1", 1);
    accept("e1", 2);
    assertEquals(seqs(1, 2), delivered);
    assertTrue(losses.isEmpty());
  }

  /** Verifies that a late message from any recently left epoch is dropped, not taken for yet another epoch. */
  @Test
  void lateMessagesOfRetiredEpochsIgnored() {
    sequencer.startAt("e1", 0);
    accept("e1", 1);
    accept("e2", 1);
    accept("e3", 1);
    accept("e1", 2);
    accept("e2", 2);
    sequencer.headObserved("e1", 5);
    sequencer.headObserved("e1", 5);
    assertEquals(List.of(1L, 1L, 1L), delivered);
    assertEquals(2, losses.size(), "e1 to e2, e2 to e3: " + losses);
    accept("e3", 2);
    assertEquals(List.of(1L, 1L, 1L, 2L), delivered);
  }

  /** Verifies that a fill refused because the store left the epoch is retried, and the new epoch then caught up from the head. */
  @Test
  void fillInALeftEpochRetriedUntilTheNewEpochIsSeen() {
    sequencer.startAt("e1", 0);
    accept("e1", 1, 3);
    fireTimers();
    onlyRangeCall().answer().fail(new EpochChangedException("e1", "e2"));
    fireTimers();
    onlyRangeCall().answer().fail(new EpochChangedException("e1", "e2"));
    assertTrue(losses.isEmpty(), "not declared until the new epoch is seen");
    sequencer.headObserved("e2", 0);
    assertEquals(List.of(new Sequencer.Loss(LossCause.EPOCH, 0, new Position("e2", 0))), losses);
    accept("e2", 1);
    assertEquals(List.of(1L, 1L), delivered);
  }

  /** Verifies that the store's word of a new epoch is a declared loss at once, and of the current or a left one nothing. */
  @Test
  void epochObservedByTheStore() {
    sequencer.epochObserved("e1");
    assertTrue(losses.isEmpty(), "not counting yet");
    sequencer.startAt("e1", 4);
    sequencer.epochObserved("e1");
    sequencer.epochObserved("");
    assertTrue(losses.isEmpty());
    sequencer.epochObserved("e2");
    assertEquals(List.of(new Sequencer.Loss(LossCause.EPOCH, 0, new Position("e2", 0))), losses);
    sequencer.epochObserved("e1");
    sequencer.epochObserved("e2");
    assertEquals(1, losses.size());
    accept("e2", 1);
    assertEquals(List.of(1L), delivered);
  }
}
