package io.quicksilver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.ClusterNodes;
import io.quicksilver.support.Http;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import java.net.http.HttpResponse;
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
}
