package io.quicksilver.bench;

import java.time.Instant;

/**
 * Wall-clock time in epoch nanoseconds with {@link System#nanoTime()} resolution.
 *
 * <p>Anchored once per process on {@link Instant#now()} (microsecond precision on Linux), then advanced
 * with the monotonic clock, so that every process of a multi-process run stamps and reads the same time
 * scale (to within the anchors' few microseconds) and no process sees time go backwards.
 */
public final class Clock {

  private static final long ANCHOR_EPOCH_NANOS;
  private static final long ANCHOR_MONO;

  static {
    Instant now = Instant.now();
    ANCHOR_MONO = System.nanoTime();
    ANCHOR_EPOCH_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private Clock() {
  }

  /** Now, in nanoseconds since the epoch. */
  public static long nowNanos() {
    return ANCHOR_EPOCH_NANOS + (System.nanoTime() - ANCHOR_MONO);
  }
}
