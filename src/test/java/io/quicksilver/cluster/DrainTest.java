package io.quicksilver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.ClusterNodes;
import io.quicksilver.support.Http;
import io.quicksilver.support.HubProcess;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/** Graceful shutdown: SIGTERM drains a node's streams over the window, and its clients resume on another node losing nothing. */
@Tag("cluster")
@Timeout(240)
class DrainTest {

  private static final int STREAMS = 10;
  private static final Duration WINDOW = Duration.ofSeconds(3);

  /** One client: follows its stream on node A until it ends, then resumes on node B with its Last-Event-ID. */
  private static final class Follower implements Runnable {
    private final HubProcess b;
    private final String query;
    private final String first;
    private SseClient client;
    final List<String> received = new ArrayList<>();
    final CountDownLatch reconnected = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    volatile long endedAtNanos;
    volatile String resumeHeader;
    volatile String cursorSent;
    volatile int resumedAtIndex;
    volatile String marker;
    volatile Throwable error;

    Follower(SseClient onA, HubProcess b, String query, String first) {
      this.client = onA;
      this.b = b;
      this.query = query;
      this.first = first;
    }

    private void take() {
      for (SseClient.Event e : client.drain()) {
        received.add(e.lastEventId());
      }
    }

    @Override
    public void run() {
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!client.awaitEnd(Duration.ofMillis(100))) {
          take();
          if (System.nanoTime() > deadline) {
            throw new AssertionError("the stream on node A never ended");
          }
        }
        endedAtNanos = System.nanoTime();
        take();
        client.close();
        cursorSent = received.isEmpty() ? first : received.get(received.size() - 1);
        resumedAtIndex = received.size();
        client = SseClient.open(b.hub(query), Map.of("Last-Event-ID", cursorSent));
        assertEquals(200, client.status(), client.errorBody());
        resumeHeader = client.header("Last-Event-ID");
        reconnected.countDown();
        while (marker == null || !received.contains(marker)) {
          if (client.awaitEnd(Duration.ofMillis(100))) {
            take();
            if (marker != null && received.contains(marker)) {
              break;
            }
            throw new AssertionError("the stream on node B ended");
          }
          take();
          if (System.nanoTime() > deadline) {
            throw new AssertionError("the end marker never arrived");
          }
        }
      } catch (Throwable t) {
        error = t;
      } finally {
        client.close();
        reconnected.countDown();
        done.countDown();
      }
    }
  }

  /** Describes the duplicates a follower received, for the failure message. */
  private static String duplicates(Follower f) {
    Set<String> seen = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < f.received.size(); i++) {
      if (!seen.add(f.received.get(i))) {
        out.add(f.received.get(i) + " again at " + i + " (first at " + f.received.indexOf(f.received.get(i)) + ")");
      }
    }
    return out + "; resumed at index " + f.resumedAtIndex + " with cursor " + f.cursorSent + "; received around it "
        + f.received.subList(Math.max(0, f.resumedAtIndex - 3), Math.min(f.received.size(), f.resumedAtIndex + 4));
  }

  private static HttpResponse<String> publish(HubProcess node, String topic, String id) {
    return Http.post(node.hub(""), Tokens.publisher("*"), Http.form("topic", topic, "id", id, "data", id));
  }

  /** Verifies that on SIGTERM a node turns unready, ends new subscriptions at once, still publishes, ends its streams spread over the window and exits 0, while its clients resume on the other node losing nothing. */
  @Test
  void sigtermDrainsAndClientsResumeElsewhere() throws Exception {
    String topic = "https://example.com/drain/" + UUID.randomUUID();
    String query = Feed.topicQuery(topic);
    String run = "urn:drain:" + UUID.randomUUID() + ":";
    try (RedisServer redis = RedisServer.start();
         ClusterNodes cluster = ClusterNodes.start(2, redis, Map.of("QS_DRAIN_WINDOW", WINDOW.toSeconds() + "s"))) {
      HubProcess a = cluster.node(0);
      HubProcess b = cluster.node(1);
      assertEquals(200, Http.get(a.uri("/readyz"), Map.of()).statusCode());
      assertEquals(200, Http.get(b.uri("/readyz"), Map.of()).statusCode());

      List<SseClient> onA = new ArrayList<>();
      List<Follower> followers = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      try {
        for (int i = 0; i < STREAMS; i++) {
          SseClient c = SseClient.open(a.hub(query));
          onA.add(c);
          assertEquals(200, c.status(), c.errorBody());
        }
        String first = run + "first";
        assertEquals(200, publish(b, topic, first).statusCode());
        for (SseClient c : onA) {
          assertEquals(first, c.next(Duration.ofSeconds(10)).lastEventId(), "every stream on A is live");
        }
        for (SseClient c : onA) {
          Follower f = new Follower(c, b, query, first);
          followers.add(f);
          Thread t = new Thread(f, "drain-follower");
          t.setDaemon(true);
          threads.add(t);
          t.start();
        }

        // publishing continues on B throughout, each update with its own id
        List<String> acked = new CopyOnWriteArrayList<>();
        Set<String> attempted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
          for (int n = 0; n < 3000 && !stop.get(); n++) {
            String id = run + n;
            attempted.add(id);
            try {
              if (publish(b, topic, id).statusCode() == 200) {
                acked.add(id);
              }
              Thread.sleep(10); // pacing only
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            } catch (RuntimeException e) {
              // unknown outcome: not acknowledged
            }
          }
        });
        long pacingDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (acked.size() < 20 && System.nanoTime() < pacingDeadline) {
          Thread.sleep(20);
        }
        assertTrue(acked.size() >= 20, "publishing runs before SIGTERM");

        long sigterm = System.nanoTime();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> a.terminate(90));

        // readiness fails promptly
        long readyDeadline = System.nanoTime() + WINDOW.toNanos() / 2;
        int ready = Http.get(a.uri("/readyz"), Map.of()).statusCode();
        for (int i = 0; i < 500 && ready == 200 && System.nanoTime() < readyDeadline; i++) {
          Thread.sleep(10);
          ready = Http.get(a.uri("/readyz"), Map.of()).statusCode();
        }
        assertEquals(503, ready, "/readyz on the draining node");
        // a new subscription gets a stream that ends at once (EventSource reconnects, elsewhere, instead of giving
        // up as it does on a 503); publishing still works
        try (SseClient late = SseClient.open(a.hub(query))) {
          assertEquals(200, late.status(), late.errorBody());
          assertTrue(late.awaitEnd(Duration.ofSeconds(10)), "the stream ends at once");
          assertEquals(List.of(), late.drain());
        }
        String onDrainingNode = run + "via-a";
        attempted.add(onDrainingNode);
        assertEquals(200, publish(a, topic, onDrainingNode).statusCode(), "publish on the draining node");

        assertEquals(0, exit.get(120, TimeUnit.SECONDS), "exit status after SIGTERM; log:\n" + a.log());
        assertTrue(a.log().contains("drained"), a.log());
        for (Follower f : followers) {
          assertTrue(f.reconnected.await(60, TimeUnit.SECONDS), "reconnected");
          assertNull(f.error, () -> "follower failed: " + f.error);
        }

        // streams ended after SIGTERM, spread over the window (not all at once)
        long firstEnd = followers.stream().mapToLong(f -> f.endedAtNanos).min().orElseThrow();
        long lastEnd = followers.stream().mapToLong(f -> f.endedAtNanos).max().orElseThrow();
        assertTrue(firstEnd > sigterm, "streams end after SIGTERM");
        long spreadMs = (lastEnd - firstEnd) / 1_000_000;
        assertTrue(spreadMs >= WINDOW.toMillis() / 4, "stream ends spread over the drain window, spread was " + spreadMs + " ms");
        for (Follower f : followers) {
          assertEquals(f.cursorSent, f.resumeHeader, "node B found the cursor in the shared history");
        }

        // a little more publishing after everyone resumed, then an end marker
        int resumedAt = acked.size();
        long moreDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (acked.size() < resumedAt + 20 && System.nanoTime() < moreDeadline) {
          Thread.sleep(20);
        }
        stop.set(true);
        publisher.get(60, TimeUnit.SECONDS);
        assertTrue(acked.size() >= resumedAt + 20, "publishing continued on B");
        String marker = run + "end";
        attempted.add(marker);
        assertEquals(200, publish(b, topic, marker).statusCode());
        for (Follower f : followers) {
          f.marker = marker;
        }
        for (Follower f : followers) {
          assertTrue(f.done.await(60, TimeUnit.SECONDS), "follower finished");
          assertNull(f.error, () -> "follower failed: " + f.error);
        }

        // every acknowledged update exactly once, in publish order; nothing else
        for (Follower f : followers) {
          assertEquals(f.received.size(), new HashSet<>(f.received).size(), () -> "no duplicates: " + duplicates(f));
          assertTrue(attempted.containsAll(f.received), "only updates that were published");
          List<String> ackedSeen = f.received.stream().filter(acked::contains).toList();
          assertEquals(acked, ackedSeen, "every acknowledged update from B, in order");
          assertTrue(f.received.contains(onDrainingNode), "the update published on the draining node");
          assertEquals(marker, f.received.get(f.received.size() - 1));
        }
      } finally {
        onA.forEach(SseClient::close);
        for (Thread t : threads) {
          t.interrupt();
        }
      }
    }
  }
}
