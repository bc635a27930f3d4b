package io.quicksilver.cluster;

import static io.quicksilver.cluster.Feed.assertSameSequence;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.cluster.Feed.Sent;
import io.quicksilver.cluster.Feed.Sub;
import io.quicksilver.support.ClusterNodes;
import io.quicksilver.support.Http;
import io.quicksilver.support.HubProcess;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.Tokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/** Three nodes shared by the tests; each test uses its own topic, so they do not see each other's updates. */
@Tag("cluster")
@Timeout(180)
class ReconnectAcrossNodesTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TOKEN = Tokens.publisher("*");

  private static RedisServer redis;
  private static ClusterNodes cluster;

  @BeforeAll
  static void startCluster() {
    redis = RedisServer.start();
    cluster = ClusterNodes.start(3, redis, Map.of());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** Verifies that a subscriber that left node C resumes on node C with exactly the updates it missed, then live ones. */
  @Test
  void resumesOnTheSameNodeWithExactlyTheMissedUpdates() {
    resumeOn(cluster.node(2));
  }

  /** Verifies that a subscriber that left node C resumes on node B with exactly the updates it missed, then live ones. */
  @Test
  void resumesOnAnotherNodeWithExactlyTheMissedUpdates() {
    resumeOn(cluster.node(1));
  }

  private void resumeOn(HubProcess resumeNode) {
    String topic = "https://example.com/reconnect/" + UUID.randomUUID();
    HubProcess a = cluster.node(0);
    Sub sub = new Sub("subscriber", topic, null, u -> true).open(cluster.node(2).hub(""), null);
    try {
      List<String> before = publish(a, topic, "before", 5);
      sub.take(5, WAIT);
      assertEquals(before, sub.ids, "updates before leaving");
      sub.close();

      List<String> missed = publish(a, topic, "missed", 7);
      sub.open(resumeNode.hub(""), before.get(4));
      assertEquals(before.get(4), sub.client.header("Last-Event-ID"), "the hub found the cursor");
      sub.take(7, WAIT);
      assertEquals(missed, sub.ids.subList(5, 12), "the missed updates, in order");

      List<String> live = publish(a, topic, "live", 3);
      sub.take(3, WAIT);
      List<String> expected = new ArrayList<>(before);
      expected.addAll(missed);
      expected.addAll(live);
      assertSameSequence(expected, sub.ids, "everything, once each, in order");
      assertEquals("live 2", sub.data.get(14));
    } finally {
      sub.close();
    }
  }

  /**
   * Verifies that a subscriber that leaves node C and resumes on node B while updates keep coming through
   * nodes A and B receives exactly the updates after its cursor, in the global order, replay and live
   * updates joined without a gap or a repeat.
   */
  @Test
  void resumesWhilePublishingContinues() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String topic = "https://example.com/reconnect/" + run;
    int total = 600;
    Sub sub = new Sub("subscriber", topic, null, u -> true).open(cluster.node(2).hub(""), null);
    try (Feed.Publisher publisher = new Feed.Publisher(4)) {
      CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < total; i++) {
          publisher.post(cluster.node(i % 2).hub(""), TOKEN, new Sent("urn:test:" + run + ":" + i, topic, false, "d" + i));
        }
        publisher.awaitIdle(Duration.ofSeconds(60));
      });
      sub.take(100, Duration.ofSeconds(60));
      sub.close();
      awaitAcked(publisher, 250, publishing);
      sub.open(cluster.node(1).hub(""), sub.lastId());
      assertEquals(sub.ids.get(99), sub.client.header("Last-Event-ID"), "the hub found the cursor");
      publishing.get(120, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(Map.of(), publisher.failures(), "every publish is acknowledged");

      String end = publish(cluster.node(0), topic, "end", 1).get(0);
      sub.takeUntil(end, Duration.ofSeconds(60));
      List<String> expected = Feed.redisOrder(redis, cluster.redisPrefix()).stream()
          .filter(id -> id.startsWith("urn:test:" + run + ":") || id.equals(end))
          .toList();
      assertEquals(total + 1, expected.size());
      assertSameSequence(expected, sub.ids, "the stream before and after resuming");
    } finally {
      sub.close();
    }
  }

  /** Waits (bounded) until {@code n} publishes are acknowledged, or publishing has ended. */
  private static void awaitAcked(Feed.Publisher publisher, int n, CompletableFuture<Void> publishing) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (publisher.ackedCount() < n && !publishing.isDone()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + publisher.ackedCount() + " publishes acknowledged within 60 s");
      }
      Thread.sleep(10);
    }
  }

  /** Publishes {@code n} updates on one node, one after the other, and returns their ids. */
  private static List<String> publish(HubProcess node, String topic, String data, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = Http.post(node.hub(""), TOKEN, Http.form("topic", topic, "data", data + " " + i));
      assertEquals(200, r.statusCode(), r.body());
      ids.add(r.body());
    }
    return ids;
  }
}
