package io.quicksilver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Await;
import io.quicksilver.support.ClusterNodes;
import io.quicksilver.support.Http;
import io.quicksilver.support.HubProcess;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/** Active subscriptions across a cluster: every node's API lists every node's subscriptions; a dead node's are announced ended and forgotten. */
@Tag("cluster")
@Timeout(180)
class ClusterSubscriptionsTest {

  private static final String OBSERVE = "/.well-known/mercure/subscriptions{/topic}{/subscriber}";
  private static final String PREFIX = "/.well-known/mercure/subscriptions";

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static JsonArray list(HubProcess node, String path) {
    HttpResponse<String> r = Http.get(node.uri(path), Map.of("Authorization", "Bearer " + Tokens.subscriber(OBSERVE)));
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getJsonArray("subscriptions");
  }

  /** Polls node's collection until the condition holds (bounded) and returns it. */
  private static JsonArray awaitList(HubProcess node, String path, Predicate<JsonArray> condition, Duration timeout, String what) {
    return Await.until(() -> list(node, path), condition, timeout, last -> what + "; last answer: " + last.encodePrettily());
  }

  private static Predicate<JsonArray> holds(String topic) {
    return a -> a.stream().anyMatch(o -> topic.equals(((JsonObject) o).getString("topic")));
  }

  /**
   * Verifies that a subscription on node B is listed, with its document and event, by node A; that once B is
   * killed, A announces the subscription's end ({@code active: false}) and its API forgets it.
   */
  @Test
  void subscriptionsOfAnotherNodeAndOfADeadOne() {
    String topic = "https://example.com/cluster/{selector}";
    JsonObject payload = new JsonObject().put("foo", "bar");
    String token = Tokens.hs256(TestHub.SUBSCRIBER_KEY, new JsonObject().put("mercure", new JsonObject().put("payload", payload)));
    try (RedisServer redis = RedisServer.start();
         ClusterNodes cluster = ClusterNodes.start(2, redis, Map.of("QS_SUBSCRIPTIONS", "true"))) {
      HubProcess a = cluster.node(0);
      HubProcess b = cluster.node(1);
      try (SseClient observer = SseClient.open(a.hub(Feed.topicQuery(OBSERVE)), Map.of("Authorization", "Bearer " + Tokens.subscriber(OBSERVE)))) {
        assertEquals(200, observer.status(), observer.errorBody());
        try (SseClient subject = SseClient.open(b.hub(Feed.topicQuery(topic)), Map.of("Authorization", "Bearer " + token))) {
          assertEquals(200, subject.status(), subject.errorBody());
          JsonArray all = awaitList(a, PREFIX, holds(topic), Duration.ofSeconds(20), "node A lists node B's subscription");
          JsonObject doc = all.stream().map(JsonObject.class::cast).filter(o -> topic.equals(o.getString("topic"))).findFirst().orElseThrow();
          String subscriber = doc.getString("subscriber");
          assertEquals(PREFIX + "/" + q(topic) + "/" + q(subscriber), doc.getString("id"));
          assertEquals("Subscription", doc.getString("type"));
          assertEquals(true, doc.getBoolean("active"));
          assertEquals(payload, doc.getJsonObject("payload"));
          assertEquals(1, list(a, PREFIX + "/" + q(topic)).size());
          HttpResponse<String> item = Http.get(a.uri(doc.getString("id")), Map.of("Authorization", "Bearer " + Tokens.subscriber(OBSERVE)));
          assertEquals(200, item.statusCode(), item.body());
          assertEquals(subscriber, new JsonObject(item.body()).getString("subscriber"));

          // the event of B's subscription reaches A's observer (private, through the shared history)
          JsonObject event = null;
          for (int i = 0; i < 20 && event == null; i++) {
            JsonObject e = new JsonObject(observer.next(Duration.ofSeconds(10)).data());
            if (subscriber.equals(e.getString("subscriber"))) {
              event = e;
            }
          }
          assertEquals(doc.copy().put("@context", "https://mercure.rocks/"), event);

          b.kill();
          // the survivor announces the end of the dead node's subscription, which the dead node could not
          JsonObject ended = null;
          for (int i = 0; i < 20 && ended == null; i++) {
            JsonObject e = new JsonObject(observer.next(Duration.ofSeconds(30)).data());
            if (subscriber.equals(e.getString("subscriber")) && !e.getBoolean("active")) {
              ended = e;
            }
          }
          assertEquals(doc.copy().put("@context", "https://mercure.rocks/").put("active", false), ended);
          awaitList(a, PREFIX, holds(topic).negate(), Duration.ofSeconds(30), "node A forgets the dead node's subscription");
          assertEquals(404, Http.get(a.uri(doc.getString("id")), Map.of("Authorization", "Bearer " + Tokens.subscriber(OBSERVE))).statusCode());
          assertTrue(holds(OBSERVE).test(list(a, PREFIX)), "node A still lists its own subscription");
        }
      }
    }
  }
}
