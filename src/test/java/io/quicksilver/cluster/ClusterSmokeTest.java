package io.quicksilver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quicksilver.support.ClusterNodes;
import io.quicksilver.support.Http;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("cluster")
@Timeout(120)
class ClusterSmokeTest {

  /** Verifies that an update published on one node reaches a subscriber on another. */
  @Test
  void updateCrossesNodes() {
    try (RedisServer redis = RedisServer.start(); ClusterNodes cluster = ClusterNodes.start(2, redis, Map.of());
         SseClient sub = SseClient.open(cluster.node(1).hub("?topic=*"))) {
      HttpResponse<String> r = Http.post(cluster.node(0).hub(""), Tokens.publisher("*"), Http.form("topic", "https://example.com/x", "data", "across"));
      assertEquals(200, r.statusCode(), r.body());
      SseClient.Event e = sub.next();
      assertEquals("across", e.data());
      assertEquals(r.body(), e.lastEventId());
    }
  }

  /**
   * Verifies that nodes on different network transports make one cluster, as in a rollout from nodes where io_uring is
   * refused (NIO) to nodes where it is allowed: live updates cross both ways, and a stream that left the io_uring node
   * and resumes on the NIO node with {@code Last-Event-ID} gets what it missed.
   */
  @Test
  void nodesOnDifferentTransportsShareUpdates() {
    try (RedisServer redis = RedisServer.start();
         ClusterNodes cluster = ClusterNodes.start(2, redis, Map.of(), i -> Map.of("QS_TRANSPORT", i == 0 ? "nio" : "auto"))) {
      assertTrue(cluster.node(0).log().contains("network transport: nio"), cluster.node(0).log());
      assumeTrue(cluster.node(1).log().contains("network transport: io_uring"), "io_uring is refused here: both nodes run on NIO");
      String first;
      try (SseClient onUring = SseClient.open(cluster.node(1).hub("?topic=*"))) {
        HttpResponse<String> r = Http.post(cluster.node(0).hub(""), Tokens.publisher("*"), Http.form("topic", "https://example.com/t", "data", "from nio"));
        assertEquals(200, r.statusCode(), r.body());
        SseClient.Event e = onUring.next();
        assertEquals("from nio", e.data());
        first = e.lastEventId();
      }
      HttpResponse<String> missed;
      try (SseClient liveOnNio = SseClient.open(cluster.node(0).hub("?topic=*"))) {
        missed = Http.post(cluster.node(1).hub(""), Tokens.publisher("*"), Http.form("topic", "https://example.com/t", "data", "from io_uring"));
        assertEquals(200, missed.statusCode(), missed.body());
        assertEquals("from io_uring", liveOnNio.next().data());
      }
      try (SseClient onNio = SseClient.open(cluster.node(0).hub("?topic=*"), Map.of("Last-Event-ID", first))) {
        SseClient.Event e = onNio.next(Duration.ofSeconds(10));
        assertEquals("from io_uring", e.data(), "the update published while the stream was away");
        assertEquals(missed.body(), e.lastEventId());
      }
    }
  }
}
