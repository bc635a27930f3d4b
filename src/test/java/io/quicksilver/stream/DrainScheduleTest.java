package io.quicksilver.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.auth.MercureClaims;
import io.quicksilver.mercure.TopicSelector;
import io.quicksilver.metrics.CloseReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A drain closes a registry's streams one at a time, spread over its window, from one timer at a time. */
@Timeout(30)
class DrainScheduleTest {

  /** One-shot timers run by the test, each once its delay has passed. */
  private static final class Timers implements Sequencer.Timers {
    final Map<Long, Runnable> pending = new HashMap<>();
    final Map<Long, Long> dueNanos = new HashMap<>();
    private long next;

    @Override
    public long schedule(long delayMillis, Runnable task) {
      pending.put(next, task);
      dueNanos.put(next, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis));
      return next++;
    }

    @Override
    public void cancel(long id) {
      pending.remove(id);
    }

    /** Runs the one pending timer when it is due. */
    void fire() throws InterruptedException {
      assertEquals(1, pending.size(), "one timer at a time");
      long id = pending.keySet().iterator().next();
      long wait = dueNanos.get(id) - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      pending.remove(id).run();
    }
  }

  /** Verifies that the i-th of n streams ends no sooner than i/(n+1) of the window, in order, and that one timer does it all. */
  @Test
  void streamsEndSpreadOverTheWindowFromOneTimer() throws InterruptedException {
    Timers timers = new Timers();
    List<CloseReason> reasons = new ArrayList<>();
    SubscriberRegistry registry = new SubscriberRegistry(1 << 20, reasons::add, Runnable::run, timers);
    List<RecordingSink> sinks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RecordingSink sink = new RecordingSink();
      Subscriber s = new Subscriber(List.of(TopicSelector.of("*")), MercureClaims.ANONYMOUS, sink,
          1 << 20, TimeUnit.SECONDS.toNanos(5));
      registry.add(s);
      s.startLive();
      sinks.add(sink);
    }

    long start = System.nanoTime();
    registry.drain(400);
    assertEquals(1, timers.pending.size());
    assertFalse(sinks.get(0).ended, "the first stream ends after a quarter of the window, not at once");
    int ended = 0;
    while (ended < sinks.size()) {
      timers.fire();
      int now = (int) sinks.stream().filter(s -> s.ended).count();
      assertTrue(now > ended, "each timer ends a stream");
      ended = now;
    }
    assertEquals(0, timers.pending.size(), "no timer left once every stream ended");
    for (int i = 0; i < sinks.size(); i++) {
      long afterMillis = TimeUnit.NANOSECONDS.toMillis(sinks.get(i).endedAtNanos - start);
      assertTrue(afterMillis >= 100L * (i + 1), "stream " + i + " ended after " + afterMillis + " ms");
    }
    assertEquals(List.of(CloseReason.DRAIN, CloseReason.DRAIN, CloseReason.DRAIN), reasons);
  }
}
