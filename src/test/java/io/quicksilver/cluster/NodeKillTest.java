package io.quicksilver.cluster;

import static io.quicksilver.cluster.Feed.assertSameSequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.cluster.Feed.Sent;
import io.quicksilver.cluster.Feed.Sub;
import io.quicksilver.support.ClusterNodes;
import io.quicksilver.support.HubProcess;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



@Tag("cluster")
@Timeout(240)
class NodeKillTest {

  private static final String ITEMS = "https://example.com/items/";
  private static final int BEFORE_KILL = 800;
  private static final int AFTER_KILL = 1000;

  private volatile boolean killed;
  private volatile boolean stop;

  /**
   * Verifies that when one of three nodes is killed (SIGKILL) while publishers keep posting, every
   * acknowledged update is in Redis, and every subscriber (those of the dead node resuming on a survivor with
   * their last id) receives each update of the global order it selects exactly once, in order.
   */
  @Test
  void acknowledgedUpdatesSurviveANodeKillOnceEachInOrder() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String token = Tokens.publisher("*");
    List<Sub> subs = new ArrayList<>();
    try (RedisServer redis = RedisServer.start(); ClusterNodes cluster = ClusterNodes.start(3, redis, Map.of());
         Feed.Publisher publisher = new Feed.Publisher(8)) {
      HubProcess victim = cluster.node(2);
      for (int n = 0; n < 3; n++) {
        subs.add(new Sub("node " + n + " * with token *", "*", Tokens.subscriber("*"), u -> true)
            .open(cluster.node(n).hub(""), null));
        subs.add(new Sub("node " + n + " template anonymous", ITEMS + "{n}", null, u -> !u.priv())
            .open(cluster.node(n).hub(""), null));
      }
      Sent warmUp = new Sent("urn:test:" + run + ":warm-up", ITEMS + 0, false, "warm-up");
      publisher.post(cluster.node(0).hub(""), token, warmUp);
      for (Sub s : subs) {
        s.takeUntil(warmUp.id(), Duration.ofSeconds(20));
      }

      CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 100_000 && !stop; i++) {
          HubProcess node = killed ? cluster.node(i % 2) : cluster.node(i % 3);
          publisher.post(node.hub(""), token, new Sent("urn:test:" + run + ":" + i, ITEMS + (i % 10), i % 5 == 4, "d" + i));
        }
      });
      awaitAcked(publisher, BEFORE_KILL, publishing);
      victim.kill();
      killed = true;
      int ackedAtKill = publisher.ackedCount();

      List<Sub> orphans = subs.subList(4, 6);
      for (int k = 0; k < orphans.size(); k++) {
        Sub s = orphans.get(k);
        assertTrue(s.client.awaitEnd(Duration.ofSeconds(10)), s.name + " sees its stream end");
        s.takeRest();
        s.open(cluster.node(k % 2).hub(""), s.lastId());
        assertEquals(s.lastId(), s.client.header("Last-Event-ID"), s.name + ": the survivor found the cursor");
      }

      awaitAcked(publisher, ackedAtKill + AFTER_KILL, publishing);
      stop = true;
      publishing.get(60, TimeUnit.SECONDS);
      publisher.awaitIdle(Duration.ofSeconds(60));

      Sent end = new Sent("urn:test:" + run + ":end", ITEMS + 0, false, "end");
      publisher.post(cluster.node(0).hub(""), token, end);
      publisher.awaitIdle(Duration.ofSeconds(30));
      assertTrue(publisher.acked().contains(end.id()), "the end marker is acknowledged");
      for (Sub s : subs) {
        s.takeUntil(end.id(), Duration.ofSeconds(60));
      }

      List<String> order = Feed.redisOrder(redis, cluster.redisPrefix());
      Set<String> stored = new HashSet<>(order);
      assertEquals(order.size(), stored.size(), "Redis holds each update once");
      assertEquals(String.valueOf(order.size()), redis.cli("HLEN", "{" + cluster.redisPrefix() + "}:ids"), "the id index matches the stream");
      Set<String> lost = new HashSet<>(publisher.acked());
      lost.removeAll(stored);
      assertEquals(Set.of(), lost, "acknowledged updates missing from Redis");
      Map<String, Sent> sent = publisher.sent();
      assertTrue(sent.keySet().containsAll(stored), "Redis holds only updates that were sent");

      for (Sub s : subs) {
        List<String> expected = order.stream().filter(id -> s.wants.test(sent.get(id))).toList();
        assertSameSequence(expected, s.ids, s.name);
      }
    } finally {
      stop = true;
      subs.forEach(Sub::close);
    }
  }

  /** Waits (bounded) until {@code n} publishes are acknowledged. */
  private static void awaitAcked(Feed.Publisher publisher, int n, CompletableFuture<Void> publishing) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (publisher.ackedCount() < n) {
      if (publishing.isDone() || System.nanoTime() > deadline) {
        throw new AssertionError("only " + publisher.ackedCount() + " of " + n + " publishes acknowledged"
            + (publishing.isDone() ? " when publishing ended" : " within 90 s") + "; failures " + publisher.failures());
      }
      Thread.sleep(10);
    }
  }
}
