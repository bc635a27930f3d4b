package io.quicksilver.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Await;
import io.quicksilver.support.DeliveryContract;
import io.quicksilver.support.Http;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.ResumingSubscriber;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/**
 * A real hub over HTTP with its history in a private Redis: durability, outages, flushes, restarts, a Redis
 * that goes backwards and one that stalls. The fault tests check the delivery contract on every publish:
 * every update answered 200 reaches the open subscriber, live or after a reconnection the hub asked for by
 * ending the stream; no update answered 503 is ever delivered.
 */
@Timeout(120)
class RedisHubTest {

  private static final String TOPIC = "https://example.com/books/1";
  private static final Duration WAIT = Duration.ofSeconds(20);
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
        "QS_REDIS_PREFIX", prefix,
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
   * live ones open, readiness reports the store degraded (and drops only where the operator asked for it); when Redis
   * is back (empty: a new epoch) the stream ends with a cursor whose reconnection is answered earliest, and the
   * updates published since reach the subscriber.
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

    assertTrue(sub.awaitEnd(Duration.ofSeconds(10)), "the history was lost: the stream ends");
    assertEquals(List.of(), sub.drain(), "nothing refused during the outage was dispatched");
    String cursor = sub.lastEventId();
    assertTrue(cursor.startsWith("#"), "the stream's last id is the hub's cursor: " + cursor);
    SseClient resumed = subscribe(hub, Map.of("Last-Event-ID", cursor));
    assertEquals("earliest", resumed.header("Last-Event-ID"), "the loss is declared");
    SseClient.Event next = resumed.next(Duration.ofSeconds(10));
    assertEquals("urn:test:control", next.lastEventId(), "what was published since the loss is replayed");
    assertEquals("control", next.data());
    awaitValue(() -> readyz(strict), 200, Duration.ofSeconds(10));
    assertTrue(Http.get(hub.uri("/readyz"), Map.of()).body().contains("\"status\":\"UP\""));
    assertEquals(List.of(), resumed.drain());
  }

  /**
   * Verifies that after FLUSHALL an open stream ends with the hub's cursor (a declared loss), whose
   * reconnection is answered earliest and replays the updates published since; an old cursor gets earliest
   * and no replay; sequences restart.
   */
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
    String fresh = publish(hub, "urn:test:post-1", "post 1");
    assertEquals("1", redis.cli("HGET", key("ids"), fresh), "sequences restart");
    assertTrue(old.awaitEnd(Duration.ofSeconds(10)), "the stream open across the flush ends");
    assertEquals(List.of(), old.drain(), "nothing of the new epoch before the end");
    SseClient resumed = subscribe(hub, Map.of("Last-Event-ID", old.lastEventId()));
    assertEquals("earliest", resumed.header("Last-Event-ID"));
    assertEquals(fresh, resumed.next(Duration.ofSeconds(10)).lastEventId(), "the new epoch is replayed to the resumed stream");

    SseClient late = subscribe(hub, Map.of("Last-Event-ID", ids.get(1)));
    assertEquals("earliest", late.header("Last-Event-ID"), "an old cursor is unknown in the new epoch");
    SseClient current = subscribe(hub, Map.of("Last-Event-ID", fresh));
    assertEquals(fresh, current.header("Last-Event-ID"));

    String second = publish(hub, "urn:test:post-2", "post 2");
    for (SseClient c : List.of(resumed, late, current)) {
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

  private ResumingSubscriber resuming(TestHub hub) {
    ResumingSubscriber s = ResumingSubscriber.open(hub.hub("?topic=" + TOPIC), Map.of());
    closing.push(s);
    return s;
  }

  private static List<String> publishAll(DeliveryContract contract, TestHub hub, String prefix, int n) {
    for (int i = 1; i <= n; i++) {
      assertEquals(200, contract.publish(hub.hub(""), "urn:test:" + prefix + i), prefix + i);
    }
    return contract.answered(200);
  }

  /**
   * Verifies that a Redis restored from an older snapshot (a1–a5 saved, b1–b5 lost) does not hide the
   * updates that follow: the hub sees the sequence go backwards, starts a new epoch, ends the stream, and
   * c1–c5 reach the subscriber.
   */
  @Test
  void snapshotRestoreRewind() {
    TestHub hub = hub(Map.of());
    ResumingSubscriber sub = resuming(hub);
    DeliveryContract contract = new DeliveryContract(TOPIC);
    publishAll(contract, hub, "a", 5);
    assertEquals("OK", redis.cli("SAVE"));
    publishAll(contract, hub, "b", 5);
    sub.awaitAll(contract.answered(200), WAIT);

    redis.shutdownNoSave();
    redis.startProcess(); // from dump.rdb: a1–a5 only, the counter back at 5
    for (int i = 1; i <= 5; i++) {
      // the hub may not have reconnected yet: 503, retried
      assertEquals(200, contract.publishUntilAccepted(hub.hub(""), "urn:test:c" + i, WAIT));
    }
    contract.verify(hub.hub(""), WAIT, sub);
    assertTrue(sub.answers().contains("earliest"), "the loss was declared: " + sub.answers());
  }

  /**
   * Verifies that FLUSHALL with a subscriber open and publishers running loses nothing silently: updates
   * published before, around and after the flush are delivered live or replayed after the hub ended the
   * stream (the reconnection is answered earliest).
   */
  @Test
  void flushAllWithSubscriberOpen() {
    TestHub hub = hub(Map.of());
    ResumingSubscriber sub = resuming(hub);
    DeliveryContract contract = new DeliveryContract(TOPIC);
    publishAll(contract, hub, "before", 5);
    assertEquals("OK", redis.cli("FLUSHALL"));
    for (int i = 1; i <= 10; i++) {
      contract.publish(hub.hub(""), "urn:test:after" + i);
    }
    assertEquals(List.of(), contract.answered(503), "Redis stayed up: nothing refused");
    contract.verify(hub.hub(""), WAIT, sub);
    assertTrue(sub.answers().contains("earliest"), "the loss was declared: " + sub.answers());
  }

  /**
   * Verifies the contract while Redis stalls below, around and past the 500 ms deadline (CLIENT PAUSE, then
   * DEBUG SLEEP) with three publishers running: each publish answers 200 (delivered), 503 (never delivered) or
   * 504; and measures what publishers see.
   */
  @Test
  void stallsAroundTheDeadline() throws Exception {
    TestHub hub = hub(Map.of("QS_REDIS_TIMEOUT", "500ms"));
    ResumingSubscriber sub = resuming(hub);
    DeliveryContract contract = new DeliveryContract(TOPIC);
    publishAll(contract, hub, "warm", 3);
    List<String> seen = new ArrayList<>();
    for (int stallMs : new int[] {300, 600, 1500}) {
      for (boolean sleep : new boolean[] {false, true}) {
        String name = (sleep ? "sleep" : "pause") + stallMs + "-";
        Thread stall = new Thread(() -> {
          if (sleep) {
            redis.cli("DEBUG", "SLEEP", String.valueOf(stallMs / 1000.0));
          } else {
            redis.cli("CLIENT", "PAUSE", String.valueOf(stallMs), "ALL");
          }
        });
        stall.start();
        List<Thread> publishers = new ArrayList<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + (stallMs + 300) * 1_000_000L;
        for (int p = 0; p < 3; p++) {
          int publisher = p;
          Thread t = new Thread(() -> {
            sleep(publisher * stallMs / 3); // staggered: some start while Redis is known unresponsive
            for (int i = 0; i < 20 && System.nanoTime() < end; i++) {
              long t0 = System.nanoTime();
              contract.publish(hub.hub(""), "urn:test:" + name + publisher + "-" + i);
              latencies.add((System.nanoTime() - t0) / 1_000_000);
              sleep(50);
            }
          });
          publishers.add(t);
          t.start();
        }
        stall.join(10_000);
        for (Thread t : publishers) {
          t.join(30_000);
        }
        seen.add(name + " " + summary(contract, name) + " max " + latencies.stream().mapToLong(Long::longValue).max().orElse(0) + " ms");
      }
    }
    contract.verify(hub.hub(""), WAIT, sub);
    System.out.println("what publishers saw (deadline 500 ms): " + seen);
  }

  /**
   * Verifies the shutdown order: once the hub is closing, publishes get 503 with Retry-After while an append
   * already in flight (Redis holding it) finishes and is answered 200; only then does the hub stop.
   */
  @Test
  void shutdownFinishesInFlightPublishes() throws Exception {
    TestHub hub = hub(Map.of("QS_REDIS_TIMEOUT", "2s"));
    publishUntilAccepted(hub, "urn:test:warm", "warm", WAIT);
    assertEquals("OK", redis.cli("CLIENT", "PAUSE", "5000", "WRITE"));
    CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(
        () -> post(hub, "topic", TOPIC, "id", "urn:test:in-flight", "data", "in flight"));
    Await.until(() -> redis.cli("CLIENT", "LIST"), list -> list.lines().anyMatch(l -> l.contains("flags=b") && l.contains("cmd=eval")),
        WAIT, list -> "the append never reached Redis: " + list);

    CompletableFuture<Void> closed = hub.hub().close().toCompletionStage().toCompletableFuture();
    HttpResponse<String> refused = Await.until(() -> post(hub, "topic", TOPIC, "id", "urn:test:refused", "data", "refused"),
        r -> r.statusCode() == 503, WAIT, r -> "not refused while closing: " + r.statusCode());
    assert503(refused);
    assertFalse(closed.isDone(), "the hub waits for the append in flight");

    assertEquals("OK", redis.cli("CLIENT", "UNPAUSE"));
    HttpResponse<String> answered = inFlight.get(20, TimeUnit.SECONDS);
    assertEquals(200, answered.statusCode(), answered.body());
    assertEquals("urn:test:in-flight", answered.body());
    closed.get(20, TimeUnit.SECONDS);
    assertNotEquals("", redis.cli("HGET", key("ids"), "urn:test:in-flight"), "stored");
    assertEquals("", redis.cli("HGET", key("ids"), "urn:test:refused"), "refused: not stored");
  }

  /** Counts the answers to the updates whose id contains {@code name}, by status. */
  private static String summary(DeliveryContract contract, String name) {
    Map<Integer, Integer> counts = new java.util.TreeMap<>();
    contract.outcomes().forEach((id, status) -> {
      if (id.contains(name)) {
        counts.merge(status, 1, Integer::sum);
      }
    });
    return counts.toString();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
