package io.quicksilver.support;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Bounded polling for tests: the one place that waits for a condition another process or thread makes true. */
public final class Await {

  private static final long POLL_MS = 20;

  private Await() {
  }

  /**
   * Polls {@code probe} until {@code done} holds for what it returns, and returns that; fails after
   * {@code timeout} with {@code failure} applied to the last probe.
   */
  public static <T> T until(Supplier<T> probe, Predicate<T> done, Duration timeout, Function<T, String> failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure.apply(last));
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      last = probe.get();
    }
    return last;
  }
}
