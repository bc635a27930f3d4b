package io.quicksilver.cluster;

import static io.quicksilver.cluster.Feed.assertSameSequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.bus.Addresses;
import io.quicksilver.cluster.Feed.Sub;
import io.quicksilver.config.ConfigLoader;
import io.quicksilver.server.Hub;
import io.quicksilver.support.Await;
import io.quicksilver.support.ClusterNodes;
import io.quicksilver.support.Http;
import io.quicksilver.support.HubProcess;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;




/** The event bus is a best-effort path: what it loses or delays, the sequencer recovers from Redis. */
@Tag("cluster")
@Timeout(180)
class BusLossTest {

  private static final String TOKEN = Tokens.publisher("*");

  /**
   * Verifies that a subscriber on a node that was frozen (SIGSTOP) while another node published receives
   * every update once, in order, after the node resumes.
   */
  @Test
  void frozenNodeDeliversEverythingOnceInOrderAfterResuming() {
    String topic = "https://example.com/frozen/" + UUID.randomUUID();
    int n = 100;
    try (RedisServer redis = RedisServer.start(); ClusterNodes cluster = ClusterNodes.start(2, redis, Map.of())) {
      HubProcess a = cluster.node(0);
      HubProcess b = cluster.node(1);
      Sub sub = new Sub("subscriber on B", topic, null, u -> true).open(b.hub(""), null);
      try {
        String warmUp = publish(a.hub(""), topic, "warm-up");
        sub.takeUntil(warmUp, Duration.ofSeconds(20));

        List<String> ids = new ArrayList<>();
        b.pause();
        try {
          for (int i = 0; i < n; i++) {
            ids.add(publish(a.hub(""), topic, "d" + i));
          }
        } finally {
          b.resume();
        }
        sub.takeUntil(ids.get(n - 1), Duration.ofSeconds(30));
        String end = publish(a.hub(""), topic, "end");
        sub.takeUntil(end, Duration.ofSeconds(30));

        List<String> expected = new ArrayList<>();
        expected.add(warmUp);
        expected.addAll(ids);
        expected.add(end);
        assertSameSequence(expected, sub.ids, sub.name);
      } finally {
        sub.close();
      }
    }
  }

  /**
   * Verifies that a subscriber on a node frozen past the cluster's heartbeat timeout (the other node suspects
   * it and may drop it from the cluster, so the bus may no longer reach it) still receives every update once,
   * in order: those published while it was frozen and those published after it resumed.
   */
  @Test
  void nodeFrozenPastTheHeartbeatTimeoutCatchesUpFromTheStore() {
    String topic = "https://example.com/expelled/" + UUID.randomUUID();
    try (RedisServer redis = RedisServer.start(); ClusterNodes cluster = ClusterNodes.start(2, redis, Map.of())) {
      HubProcess a = cluster.node(0);
      HubProcess b = cluster.node(1);
      Sub sub = new Sub("subscriber on B", topic, null, u -> true).open(b.hub(""), null);
      List<String> ids = new ArrayList<>();
      try {
        b.pause();
        try {
          for (int i = 0; i < 20; i++) {
            ids.add(publish(a.hub(""), topic, "frozen " + i));
          }
          // past the heartbeat timeout: whichever node is master, A stops trusting B (and may drop it)
          awaitLog(a, "Suspecting Member", Duration.ofSeconds(30));
          for (int i = 0; i < 20; i++) {
            ids.add(publish(a.hub(""), topic, "expelled " + i));
          }
        } finally {
          b.resume();
        }
        for (int i = 0; i < 20; i++) {
          ids.add(publish(a.hub(""), topic, "resumed " + i));
        }
        sub.takeUntil(ids.get(ids.size() - 1), Duration.ofSeconds(60));
        assertSameSequence(ids, sub.ids, sub.name);
      } finally {
        sub.close();
      }
    }
  }

  /** Waits (bounded) until a node's log contains {@code text}. */
  private static void awaitLog(HubProcess node, String text, Duration timeout) {
    Await.until(node::log, log -> log.contains(text), timeout,
        log -> "the node did not log \"" + text + "\" within " + timeout + ":\n" + log);
  }

  /**
   * Verifies that when node B's event bus drops every third update message, a subscriber on B still
   * receives every update once, in order (gaps are filled from Redis).
   */
  @Test
  void droppedBusMessagesAreFilledFromTheStore() throws Exception {
    String topic = "https://example.com/dropped/" + UUID.randomUUID();
    int n = 300;
    try (RedisServer redis = RedisServer.start()) {
      int portA = RedisServer.freePort();
      int portB = RedisServer.freePort();
      String name = "qs-test-" + UUID.randomUUID().toString().substring(0, 8);
      Map<String, String> shared = Map.of(
          "QS_CLUSTER", "true",
          "QS_CLUSTER_HOST", "127.0.0.1",
          "QS_CLUSTER_MEMBERS", "127.0.0.1:" + portA + " 127.0.0.1:" + portB,
          "QS_CLUSTER_NAME", name,
          "QS_REDIS_URL", redis.url(),
          "QS_REDIS_PREFIX", name);
      Hub a = startHub(shared, portA);
      Hub b = null;
      Sub sub = null;
      try {
        b = startHub(shared, portB);
        AtomicInteger updates = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        b.vertx().eventBus().addInboundInterceptor(ctx -> {
          if (Addresses.UPDATES.equals(ctx.message().address()) && updates.incrementAndGet() % 3 == 0) {
            dropped.incrementAndGet();
            return; // dropped: never delivered to the consumer
          }
          ctx.next();
        });
        URI hubA = URI.create("http://127.0.0.1:" + a.port() + "/.well-known/mercure");
        sub = new Sub("subscriber on B", topic, null, u -> true)
            .open(URI.create("http://127.0.0.1:" + b.port() + "/.well-known/mercure"), null);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          ids.add(publish(hubA, topic, "d" + i));
        }
        sub.takeUntil(ids.get(n - 1), Duration.ofSeconds(30));
        assertSameSequence(ids, sub.ids, sub.name);
        assertTrue(dropped.get() >= n / 3 - 1, "the interceptor dropped messages (" + dropped.get() + ")");
      } finally {
        if (sub != null) {
          sub.close();
        }
        if (b != null) {
          b.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        a.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static Hub startHub(Map<String, String> shared, int clusterPort) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(shared);
    env.put("QS_CLUSTER_PORT", String.valueOf(clusterPort));
    return Hub.start(ConfigLoader.load(TestHub.baseEnv(env), null)).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  private static String publish(URI hub, String topic, String data) {
    HttpResponse<String> r = Http.post(hub, TOKEN, Http.form("topic", topic, "data", data));
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }
}
