package io.quicksilver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Await;
import io.quicksilver.support.ClusterNodes;
import io.quicksilver.support.Http;
import io.quicksilver.support.HubProcess;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.Tokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/** The price of sharing history in Redis: without it a cluster node runs but cannot take updates. */
@Tag("cluster")
@Timeout(120)
class RedisDownAtStartTest {

  /**
   * Verifies that cluster nodes started while Redis is down (readiness told to require it) still start, answer not ready (503) and refuse
   * publishes with 503, then become ready once Redis is up and deliver updates published concurrently through
   * both nodes to subscribers on both, once each, in the global order.
   */
  @Test
  void nodesStartUnreadyWithoutRedisAndBecomeReadyWhenItStarts() {
    try (RedisServer redis = RedisServer.start()) {
      redis.stop();
      try (ClusterNodes cluster = ClusterNodes.start(2, redis, Map.of("QS_READINESS_REQUIRE_REDIS", "true"))) {
        HubProcess a = cluster.node(0);
        HubProcess b = cluster.node(1);
        for (HubProcess node : cluster.nodes()) {
          assertEquals(200, Http.get(node.uri("/healthz"), Map.of()).statusCode(), "alive");
          HttpResponse<String> ready = Http.get(node.uri("/readyz"), Map.of());
          assertEquals(503, ready.statusCode(), ready.body());
        }
        HttpResponse<String> refused = Http.post(a.hub(""), Tokens.publisher("*"),
            Http.form("topic", "https://example.com/down", "data", "lost"));
        assertEquals(503, refused.statusCode(), refused.body());

        redis.startProcess();
        for (HubProcess node : cluster.nodes()) {
          awaitReady(node, Duration.ofSeconds(30));
        }
        // the first updates after Redis is back, published concurrently through both nodes, reach subscribers on both
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        String topic = "https://example.com/after/" + run;
        java.util.List<Feed.Sub> subs = java.util.List.of(
            new Feed.Sub("subscriber on A", topic, null, u -> true).open(a.hub(""), null),
            new Feed.Sub("subscriber on B", topic, null, u -> true).open(b.hub(""), null));
        try (Feed.Publisher publisher = new Feed.Publisher(16)) {
          for (int i = 0; i < 300; i++) {
            publisher.post(cluster.node(i % 2).hub(""), Tokens.publisher("*"), new Feed.Sent("urn:test:" + run + ":" + i, topic, false, "d" + i));
          }
          publisher.awaitIdle(Duration.ofSeconds(60));
          assertEquals(Map.of(), publisher.failures(), "every publish is acknowledged");
          java.util.List<String> order = Feed.redisOrder(redis, cluster.redisPrefix()).stream()
              .filter(id -> id.startsWith("urn:test:" + run + ":")).toList();
          assertEquals(300, order.size());
          for (Feed.Sub s : subs) {
            s.takeUntil(order.get(order.size() - 1), Duration.ofSeconds(30));
            Feed.assertSameSequence(order, s.ids, s.name);
          }
        } finally {
          subs.forEach(Feed.Sub::close);
        }
      }
    }
  }

  /** Polls {@code /readyz} until it answers 200 (bounded). */
  private static void awaitReady(HubProcess node, Duration timeout) {
    Await.until(() -> Http.get(node.uri("/readyz"), Map.of()), r -> r.statusCode() == 200, timeout,
        last -> "not ready within " + timeout + ": " + last.statusCode() + " " + last.body() + "\n" + node.log());
  }
}
