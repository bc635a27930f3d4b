package io.quicksilver.demo.alerts;

import static io.quicksilver.support.RedisFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.RedisFixture;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/** Fired alerts are kept per user, newest first and bounded, in memory and in Redis (across a new store on the same Redis). */
@Timeout(60)
class FiredAlertsTest {

  private static RedisFixture redis;

  @BeforeAll
  static void start() {
    redis = RedisFixture.start(Redis::createClient);
  }

  @AfterAll
  static void stop() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  private static void check(AlertStore store, AlertStore reopened) throws Exception {
    for (int i = 1; i <= AlertStore.FIRED_KEPT + 5; i++) {
      await(store.recordFired("alice", new JsonObject().put("alertId", "a" + i)));
    }
    await(store.recordFired("bob", new JsonObject().put("alertId", "b1")));
    List<String> expected = IntStream.rangeClosed(6, AlertStore.FIRED_KEPT + 5).map(i -> AlertStore.FIRED_KEPT + 11 - i)
        .mapToObj(i -> "a" + i).toList();
    assertEquals(expected, await(reopened.fired("alice")).stream().map(j -> j.getString("alertId")).toList());
    assertEquals(List.of("b1"), await(reopened.fired("bob")).stream().map(j -> j.getString("alertId")).toList());
    assertEquals(List.of(), await(reopened.fired("carol")));
  }

  /** Verifies the in-memory store. */
  @Test
  void inMemory() throws Exception {
    AlertStore store = AlertStore.inMemory();
    check(store, store);
  }

  /** Verifies the Redis store, read back through another store on the same key (another node, or after a restart). */
  @Test
  void inRedis() throws Exception {
    check(AlertStore.redis(redis.client(), "test:alerts"), AlertStore.redis(redis.client(), "test:alerts"));
  }
}
