package io.quicksilver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.TestHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A drain started from a thread outside Vert.x (the SIGTERM handler's) completes on an idle node at once, every time:
 * its polling timer once failed on its first run when that run came before Vert.x had recorded the timer, leaving the
 * drain, and the process's exit, waiting forever.
 */
@Timeout(60)
class DrainSignalTest {

  @Test
  void drainsStartedOutsideVertxCompleteOnAnIdleNode() throws Exception {
    try (TestHub hub = TestHub.start(Map.of())) {
      List<CompletableFuture<Void>> drains = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        drains.add(drained);
        Thread thread = new Thread(() -> hub.hub().drain(Duration.ofSeconds(30)).onComplete(ar -> drained.complete(null)),
            "signal-" + i);
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join(5_000);
      }
      long started = System.nanoTime();
      for (CompletableFuture<Void> drained : drains) {
        drained.get(10, TimeUnit.SECONDS);
      }
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(tookMillis < 10_000, "every drain of an idle node completed well within its 30 s window: " + tookMillis + " ms");
      assertEquals(List.of(), hub.takeBlockedEvents());
    }
  }
}
