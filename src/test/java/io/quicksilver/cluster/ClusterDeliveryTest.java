package io.quicksilver.cluster;

import static io.quicksilver.cluster.Feed.assertSameSequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.cluster.Feed.Sent;
import io.quicksilver.cluster.Feed.Sub;
import io.quicksilver.support.ClusterNodes;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



@Tag("cluster")
@Timeout(240)
class ClusterDeliveryTest {

  private static final int UPDATES = 5000;
  private static final String ITEMS = "https://example.com/items/";
  private static final String TEMPLATE = "https://example.com/items/{n}";

  /**
   * Verifies that updates published concurrently on three nodes reach every subscriber on every node exactly
   * once each when they match its selectors and token, all in one global order (the order of the Redis stream).
   */
  @Test
  void everyMatchingUpdateReachesEverySubscriberOnceInOneGlobalOrder() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<Sub> subs = new ArrayList<>();
    try (RedisServer redis = RedisServer.start(); ClusterNodes cluster = ClusterNodes.start(3, redis, Map.of());
         Feed.Publisher publisher = new Feed.Publisher(16)) {
      for (int n = 0; n < 3; n++) {
        String node = "node " + n + " ";
        subs.add(new Sub(node + "* anonymous", "*", null, u -> !u.priv()));
        subs.add(new Sub(node + "template anonymous", TEMPLATE, null, u -> u.topic().startsWith(ITEMS) && !u.priv()));
        subs.add(new Sub(node + "exact anonymous", ITEMS + 3, null, u -> u.topic().equals(ITEMS + 3) && !u.priv()));
        subs.add(new Sub(node + "* with token *", "*", Tokens.subscriber("*"), u -> true));
        subs.add(new Sub(node + "template with token items/1", TEMPLATE, Tokens.subscriber(ITEMS + 1),
            u -> u.topic().startsWith(ITEMS) && (!u.priv() || u.topic().equals(ITEMS + 1))));
        for (int k = subs.size() - 5; k < subs.size(); k++) {
          subs.get(k).open(cluster.node(n).hub(""), null);
        }
      }

      String token = Tokens.publisher("*");
      for (int i = 0; i < UPDATES; i++) {
        // every 7th goes to a topic outside the template; every 5th is private
        String topic = (i % 7 == 6 ? "https://example.com/other/" : ITEMS) + (i % 10);
        publisher.post(cluster.node(i % 3).hub(""), token, new Sent("urn:test:" + run + ":" + i, topic, i % 5 == 4, "data " + i));
      }
      publisher.awaitIdle(Duration.ofSeconds(120));
      assertEquals(Map.of(), publisher.failures(), "every publish is acknowledged");
      assertEquals(UPDATES, publisher.ackedCount());

      // a last public update every subscriber selects marks the end of each stream
      Sent end = new Sent("urn:test:" + run + ":end", ITEMS + 3, false, "end");
      publisher.post(cluster.node(0).hub(""), token, end);
      publisher.awaitIdle(Duration.ofSeconds(30));
      assertEquals(Map.of(), publisher.failures(), "the end marker is acknowledged");
      for (Sub s : subs) {
        s.takeUntil(end.id(), Duration.ofSeconds(60));
      }

      List<String> order = Feed.redisOrder(redis, cluster.redisPrefix());
      Set<String> expectedIds = new HashSet<>(publisher.acked());
      assertEquals(expectedIds, new HashSet<>(order), "Redis holds exactly the acknowledged updates");
      assertEquals(order.size(), expectedIds.size(), "Redis holds each update once");
      Map<String, Sent> sent = publisher.sent();
      for (Sub s : subs) {
        List<String> expected = order.stream().filter(id -> s.wants.test(sent.get(id))).toList();
        assertSameSequence(expected, s.ids, s.name);
        for (int k = 0; k < s.ids.size(); k++) {
          assertEquals(sent.get(s.ids.get(k)).data(), s.data.get(k), s.name + ": data of " + s.ids.get(k));
        }
      }
      // sanity of the scenario: the views differ
      assertTrue(subs.get(3).ids.size() > subs.get(0).ids.size() && subs.get(0).ids.size() > subs.get(1).ids.size()
          && subs.get(1).ids.size() > subs.get(2).ids.size());
    } finally {
      subs.forEach(Sub::close);
    }
  }
}
