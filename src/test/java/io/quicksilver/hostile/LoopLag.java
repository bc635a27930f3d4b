package io.quicksilver.hostile;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how long the hub's event loops are held: timers every {@value #PERIOD_MS} ms on contexts spread over
 * the event loops (a new context from a thread outside Vert.x is placed on the next loop), each noting how late it
 * fired. The worst lateness is the longest time some handler kept its loop.
 */
final class LoopLag implements AutoCloseable {

  private static final long PERIOD_MS = 5;

  private final Vertx vertx;
  private final List<Long> timers = new ArrayList<>();
  private final AtomicLong worstNanos = new AtomicLong();

  private LoopLag(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts probing every event loop ({@code contexts} probes, placed round-robin; twice the loops covers them). */
  static LoopLag watch(Vertx vertx, int contexts) {
    LoopLag lag = new LoopLag(vertx);
    for (int i = 0; i < contexts; i++) {
      Context context = vertx.getOrCreateContext();
      context.runOnContext(v -> {
        long[] expected = {System.nanoTime() + PERIOD_MS * 1_000_000};
        long id = vertx.setPeriodic(PERIOD_MS, t -> {
          long now = System.nanoTime();
          lag.worstNanos.accumulateAndGet(now - expected[0], Math::max);
          expected[0] = now + PERIOD_MS * 1_000_000;
        });
        synchronized (lag.timers) {
          lag.timers.add(id);
        }
      });
    }
    return lag;
  }

  /** Forgets what was seen so far. */
  void reset() {
    worstNanos.set(0);
  }

  /** The longest an event loop was held since the start (or the last reset), in milliseconds. */
  long worstMillis() {
    return worstNanos.get() / 1_000_000;
  }

  @Override
  public void close() {
    synchronized (timers) {
      timers.forEach(vertx::cancelTimer);
    }
  }
}
