package io.quicksilver.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Await;
import io.quicksilver.support.Http;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real hub over HTTP with its history in a private Redis: durability, outages, flushes, restarts and a slow Redis. */
@Timeout(120)
class RedisHubTest {

  private static final String TOPIC = "https://example.com/books/1";
  private static final String PUBLISHER = Tokens.publisher("*");

  private RedisServer redis;
  private String prefix;
  /** Hubs and streams to close after the test, newest first. */
  private final Deque<AutoCloseable> closing = new ArrayDeque<>();

  @BeforeEach
  void startRedis() {
    redis = RedisServer.start();
    prefix = "qs-hub-test-" + UUID.randomUUID();
  }

  @AfterEach
  void stopAll() throws Exception {
    while (!closing.isEmpty()) {
      closing.pop().close();
    }
    redis.stop();
  }

  private TestHub hub(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "QS_REDIS_URL", redis.url(),
        "QS_REDIS_STREAM", prefix,
        "QS_HISTORY_SIZE", "1000",
        "QS_REDIS_TIMEOUT", "1s"));
    env.putAll(extra);
    TestHub hub = TestHub.start(env);
    closing.push(hub);
    return hub;
  }

  private TestHub hub() {
    return hub(Map.of());
  }

  private SseClient subscribe(TestHub hub, Map<String, String> headers) {
    SseClient client = SseClient.open(hub.hub("?topic=*"), headers);
    closing.push(client);
    assertEquals(200, client.status(), client.errorBody());
    return client;
  }

  private static HttpResponse<String> post(TestHub hub, String... pairs) {
    return Http.post(hub.hub(""), PUBLISHER, Http.form(pairs));
  }

  private static String publish(TestHub hub, String id, String data) {
    return Http.publish(hub, PUBLISHER, "topic", TOPIC, "id", id, "data", data);
  }

  /** Publishes until the hub answers 200 (bounded in count and time); every other answer must be a 503 with Retry-After. */
  private static HttpResponse<String> publishUntilAccepted(TestHub hub, String id, String data, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
      HttpResponse<String> r = post(hub, "topic", TOPIC, "id", id, "data", data);
      statuses.add(r.statusCode());
      if (r.statusCode() == 200) {
        return r;
      }
      assert503(r);
      Thread.sleep(100);
    }
    throw new AssertionError("no 200 within " + timeout + "; got " + statuses);
  }

  private static int readyz(TestHub hub) {
    return Http.get(hub.uri("/readyz"), Map.of()).statusCode();
  }

  /** Polls until the supplier gives the expected value; bounded by count and time. */
  private static <T> T awaitValue(Supplier<T> supplier, T expected, Duration timeout) throws InterruptedException {
    return Await.until(supplier, expected::equals, timeout, last -> "expected " + expected + " within " + timeout + ", last " + last);
  }

  private String key(String name) {
    return "{" + prefix + "}:" + name;
  }

  private static void assert503(HttpResponse<String> r) {
    assertEquals(503, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Retry-After").isPresent(), "Retry-After on a 503");
  }

  /** Verifies that a publish answers 200 only once the update is in Redis (stream and id index checked right after the 200). */
  @Test
  void publishAnswers200OnlyOnceStored() {
    TestHub hub = hub();
    for (int i = 1; i <= 10; i++) {
      String id = "urn:test:stored-" + i;
      assertEquals(id, publish(hub, id, "payload " + i));
      assertEquals(String.valueOf(i), redis.cli("HGET", key("ids"), id), "index entry of " + id);
      assertEquals(String.valueOf(i), redis.cli("XLEN", key("stream")));
      String entry = redis.cli("XRANGE", key("stream"), i + "-0", i + "-0");
      assertTrue(entry.contains(id) && entry.contains("payload " + i), entry);
    }
  }

  /**
   * Verifies that with Redis down publishes get 503 with Retry-After and dispatch nothing, streams stay open and new
   * live ones open, readiness reports the store degraded (and drops only where the operator asked for it), and all
   * recover when Redis is back.
   */
  @Test
  void redisOutageAndRecovery() throws Exception {
    TestHub hub = hub();
    TestHub strict = hub(Map.of("QS_READINESS_REQUIRE_REDIS", "true"));
    SseClient sub = subscribe(hub, Map.of());
    String before = publish(hub, "urn:test:before", "before");
    assertEquals(before, sub.next(Duration.ofSeconds(10)).lastEventId());
    assertEquals(200, readyz(hub));
    assertEquals(200, readyz(strict));

    redis.stop();
    for (int i = 0; i < 5; i++) {
      assert503(post(hub, "topic", TOPIC, "id", "urn:test:during-" + i, "data", "during outage " + i));
    }
    awaitValue(() -> readyz(strict), 503, Duration.ofSeconds(10));
    HttpResponse<String> degraded = Http.get(hub.uri("/readyz"), Map.of());
    assertEquals(200, degraded.statusCode(), "live streams are still served: the pod stays in the Service");
    assertTrue(degraded.body().contains("\"status\":\"DEGRADED\"") && degraded.body().contains("\"store\":\"DOWN\""), degraded.body());
    subscribe(hub, Map.of());
    assertFalse(sub.ended(), "open streams stay open while Redis is down");

    redis.startProcess();
    HttpResponse<String> control = publishUntilAccepted(hub, "urn:test:control", "control", Duration.ofSeconds(20));
    assertEquals("urn:test:control", control.body());

    SseClient.Event next = sub.next(Duration.ofSeconds(10));
    assertEquals("urn:test:control", next.lastEventId(), "nothing refused during the outage was dispatched");
    assertEquals("control", next.data());
    assertFalse(sub.ended());
    awaitValue(() -> readyz(strict), 200, Duration.ofSeconds(10));
    assertTrue(Http.get(hub.uri("/readyz"), Map.of()).body().contains("\"status\":\"UP\""));
    assertEquals(List.of(), sub.drain());
  }

  /** Verifies that after FLUSHALL an old cursor gets Last-Event-ID: earliest and no replay, and new updates reach old and new subscribers live. */
  @Test
  void flushedRedisStartsAfresh() throws Exception {
    TestHub hub = hub();
    SseClient old = subscribe(hub, Map.of());
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      ids.add(publish(hub, "urn:test:pre-" + i, "pre " + i));
    }
    assertEquals(ids, old.next(3, Duration.ofSeconds(10)).stream().map(SseClient.Event::lastEventId).toList());

    assertEquals("OK", redis.cli("FLUSHALL"));
    SseClient resumed = subscribe(hub, Map.of("Last-Event-ID", ids.get(0)));
    assertEquals("earliest", resumed.header("Last-Event-ID"));

    String fresh = publish(hub, "urn:test:post-1", "post 1");
    assertEquals("1", redis.cli("HGET", key("ids"), fresh), "sequences restart");
    assertEquals(fresh, old.next(Duration.ofSeconds(10)).lastEventId(), "a stream opened before the flush gets new updates");
    SseClient.Event first = resumed.next(Duration.ofSeconds(10));
    assertEquals(fresh, first.lastEventId(), "no replay of pre-flush updates");

    SseClient late = subscribe(hub, Map.of("Last-Event-ID", ids.get(1)));
    assertEquals("earliest", late.header("Last-Event-ID"), "an old cursor stays unknown in the new epoch");
    SseClient current = subscribe(hub, Map.of("Last-Event-ID", fresh));
    assertEquals(fresh, current.header("Last-Event-ID"));

    String second = publish(hub, "urn:test:post-2", "post 2");
    for (SseClient c : List.of(old, resumed, late, current)) {
      assertEquals(second, c.next(Duration.ofSeconds(10)).lastEventId());
      assertEquals(List.of(), c.drain());
    }
  }

  /** Verifies that a hub restarted on the same Redis and prefix replays updates published before the restart: the exact suffix after the cursor. */
  @Test
  void restartedHubReplaysHistory() throws Exception {
    TestHub first = hub();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      ids.add(publish(first, "urn:test:r-" + i, "r " + i));
    }
    closing.remove(first);
    first.close();

    TestHub second = hub();
    SseClient sub = subscribe(second, Map.of("Last-Event-ID", ids.get(1)));
    assertEquals(ids.get(1), sub.header("Last-Event-ID"));
    List<SseClient.Event> replay = sub.next(3, Duration.ofSeconds(10));
    assertEquals(ids.subList(2, 5), replay.stream().map(SseClient.Event::lastEventId).toList());
    assertEquals(List.of("r 3", "r 4", "r 5"), replay.stream().map(SseClient.Event::data).toList());

    String control = publish(second, "urn:test:r-6", "r 6");
    assertEquals(control, sub.next(Duration.ofSeconds(10)).lastEventId(), "nothing between the replay and the next live update");
    assertEquals("6", redis.cli("HGET", key("ids"), control), "the sequence continues across the restart");
  }

  /** Verifies that an earliest replay holds exactly the newest history-size updates, the newest included, even while Redis holds a few more. */
  @Test
  void earliestReplayReachesNewest() throws Exception {
    TestHub hub = hub(Map.of("QS_HISTORY_SIZE", "200"));
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 201; i++) { // 200 + slack 2: Redis still holds all 201
      ids.add(publish(hub, "urn:test:e-" + i, "e " + i));
    }
    assertEquals("201", redis.cli("XLEN", key("stream")));
    SseClient sub = subscribe(hub, Map.of("Last-Event-ID", "earliest"));
    assertEquals("earliest", sub.header("Last-Event-ID"));
    List<SseClient.Event> replay = sub.next(200, Duration.ofSeconds(20));
    assertEquals(ids.subList(1, 201), replay.stream().map(SseClient.Event::lastEventId).toList());
    String control = publish(hub, "urn:test:e-202", "e 202");
    assertEquals(control, sub.next(Duration.ofSeconds(10)).lastEventId());
  }

  /** Verifies that a Redis stalled past QS_REDIS_TIMEOUT makes publish answer 503 within a bounded time, not hang, and publishing resumes after. */
  @Test
  void slowRedisAnswers503() throws Exception {
    TestHub hub = hub(Map.of("QS_REDIS_TIMEOUT", "300ms"));
    // a cold connection on a loaded machine may miss the short deadline: warm up with bounded retries
    publishUntilAccepted(hub, "urn:test:s-1", "s 1", Duration.ofSeconds(20));
    // DEBUG SLEEP is disabled by default in Redis 7; CLIENT PAUSE stalls every other client the same way
    assertEquals("OK", redis.cli("CLIENT", "PAUSE", "3000", "ALL"));
    long t0 = System.nanoTime();
    HttpResponse<String> r = post(hub, "topic", TOPIC, "id", "urn:test:s-2", "data", "s 2");
    long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    assert503(r);
    assertTrue(ms < 2500, "answered after " + ms + " ms (deadline 300 ms, Redis paused 3 s)");

    publishUntilAccepted(hub, "urn:test:s-3", "s 3", Duration.ofSeconds(20));
    assertNotEquals("", redis.cli("HGET", key("ids"), "urn:test:s-3"));
  }
}
