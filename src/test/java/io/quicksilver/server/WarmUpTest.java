package io.quicksilver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.config.ConfigLoader;
import io.quicksilver.config.HubConfig;
import io.quicksilver.support.TestHub;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WarmUpTest {

  private static final HubConfig CONFIG = ConfigLoader.load(TestHub.baseEnv(Map.of()), null);

  @Test
  void publishesAndOpensStreamsOnAPrivateHubWithinItsBudget() throws Exception {
    long started = System.nanoTime();
    WarmUp.Result result = WarmUp.run(CONFIG, Duration.ofSeconds(2)).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(result.publishes() > 0, "the private hub accepted the warm-up's publishes: " + result);
    assertTrue(result.streams() > 0, "streams were opened and closed: " + result);
    // the budget bounds the clients' work; the private hub's start and close come on top
    assertTrue(tookMillis < 30_000, "the warm-up ended, in " + tookMillis + " ms");
  }

  @Test
  void aZeroBudgetDoesNothing() throws Exception {
    WarmUp.Result result = WarmUp.run(CONFIG, Duration.ZERO).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(new WarmUp.Result(0, 0), result);
  }
}
