package io.quicksilver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.ClusterNodes;
import io.quicksilver.support.Http;
import io.quicksilver.support.HubProcess;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.SseClient;
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
   * Verifies that cluster nodes started while Redis is down still start, answer not ready (503) and refuse
   * publishes with 503, then become ready and deliver across nodes once Redis is up.
   */
  @Test
  void nodesStartUnreadyWithoutRedisAndBecomeReadyWhenItStarts() {
    try (RedisServer redis = RedisServer.start()) {
      redis.stop();
      try (ClusterNodes cluster = ClusterNodes.start(2, redis, Map.of())) {
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
        try (SseClient sub = SseClient.open(b.hub(Feed.topicQuery("https://example.com/up")))) {
          HttpResponse<String> r = Http.post(a.hub(""), Tokens.publisher("*"),
              Http.form("topic", "https://example.com/up", "data", "stored"));
          assertEquals(200, r.statusCode(), r.body());
          SseClient.Event e = sub.next(Duration.ofSeconds(20));
          assertEquals(r.body(), e.lastEventId());
          assertEquals("stored", e.data());
        }
      }
    }
  }

  /** Polls {@code /readyz} until it answers 200 (bounded). */
  private static void awaitReady(HubProcess node, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> last;
    do {
      last = Http.get(node.uri("/readyz"), Map.of());
      if (last.statusCode() == 200) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("not ready within " + timeout + ": " + last.statusCode() + " " + last.body() + "\n" + node.log());
  }
}
