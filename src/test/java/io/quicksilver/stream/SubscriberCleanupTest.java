package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.support.Topics.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.metrics.Scrape;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;




/** Subscribers that go away are forgotten without disturbing the hub or other subscribers. */
@Timeout(120)
class SubscriberCleanupTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.standard();

  /** The query of subscriber {@code i}: exact, template, *, several selectors, and some with a cursor. */
  private static SseClient openMixed(String base, int i) {
    String q = switch (i % 4) {
      case 0 -> topics(base + "books/1");
      case 1 -> topics(base + "books/{id}");
      case 2 -> topics("*");
      default -> topics(base + "books/1", base + "authors/{id}", base + "books/1");
    };
    return i % 5 == 0 ? SseClient.open(hub.hub(q), Map.of("Last-Event-ID", "earliest")) : SseClient.open(hub.hub(q));
  }

  /** Verifies that after 200 subscribers with mixed selectors connect and disconnect, the hub forgets them all, publishing works and a new subscriber receives. */
  @Test
  void manySubscribersConnectAndClose() {
    String base = "https://example.com/" + UUID.randomUUID() + "/";
    List<SseClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        clients.add(openMixed(base, i));
      }
      for (SseClient c : clients) {
        awaitOpen(c);
      }
      String before = Fixtures.publish(hub, base + "books/1", "before");
      for (SseClient c : clients) {
        SseClient.Event e;
        do {
          e = c.next();
        } while (!e.lastEventId().equals(before)); // earliest and * streams may see older updates first
      }
    } finally {
      clients.forEach(SseClient::close);
    }
    Fixtures.await(() -> connected() == 0, Duration.ofSeconds(10), "every closed stream forgotten");
    // publishing to topics whose subscribers are all gone
    for (int i = 0; i < 20; i++) {
      Fixtures.publish(hub, base + "books/1", "after " + i);
      Fixtures.publish(hub, base + "authors/" + i, "after " + i);
    }
    try (SseClient fresh = SseClient.open(hub.hub(topics(base + "books/1")))) {
      awaitOpen(fresh);
      String id = Fixtures.publish(hub, base + "books/1", "fresh");
      expectId(fresh, id);
    }
  }

  /** Verifies that subscribers churning (connecting and closing) during publishing do not disturb a steady subscriber, which receives every update in order, and are all forgotten. */
  @Test
  void churnDuringPublishing() throws Exception {
    String base = "https://example.com/" + UUID.randomUUID() + "/";
    String topic = base + "books/1";
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (SseClient steady = SseClient.open(hub.hub(topics(topic)))) {
      awaitOpen(steady);
      Future<Integer> churn = pool.submit(() -> {
        int n = 0;
        while (!stop.get() && n < 400) {
          try (SseClient c = openMixed(base, n)) {
            assertEquals(200, c.status());
          }
          n++;
        }
        return n;
      });
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ids.add(Fixtures.publish(hub, topic, "u" + i));
      }
      stop.set(true);
      int churned = churn.get(60, TimeUnit.SECONDS);
      for (String id : ids) {
        assertEquals(id, steady.next(Duration.ofSeconds(10)).lastEventId());
      }
      String last = Fixtures.publish(hub, topic, "last");
      expectId(steady, last);
      System.out.println("churn: " + churned + " subscribers opened and closed during 200 publishes");
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    Fixtures.await(() -> connected() == 0, Duration.ofSeconds(10), "every churned stream forgotten");
  }

  /** The streams the class's own hub holds: none but the tests', so none once a test has closed its own. */
  private static double connected() {
    return Scrape.of(hub.uri("/metrics")).value("mercure_subscribers_connected");
  }
}
