package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.support.Topics.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;




/**
 * The replay → live hand-over under concurrent publishing: a subscriber that connects with a cursor while
 * 8 threads publish 1000 updates must see every later update of its topic exactly once, in the order the
 * hub assigned, which a {@code *} subscriber connected before everything observes.
 */
@Timeout(300)
class ReplayRaceTest {

  private static final int THREADS = 8;
  private static final int BURST = 1000;
  private static final int PRE = 20;

  /** A replay of about a thousand updates is written in one event-loop task, which a busy machine stretches past 500 ms. */
  @RegisterExtension
  static final HubExtension hub = HubExtension.standard().tolerating(java.time.Duration.ofSeconds(2));
  /** Sees every update since the hub started, in hub order. */
  private static SseClient watcher;
  private static final List<SseClient.Event> watched = new ArrayList<>();

  @BeforeAll
  static void watch() {
    watcher = SseClient.open(hub.hub(topics("*")));
    awaitOpen(watcher);
  }

  @AfterAll
  static void unwatch() {
    watcher.close();
  }

  /** Reads the watcher up to and including the marker. */
  private static void watchUntil(String marker) {
    SseClient.Event e;
    do {
      e = watcher.next(Duration.ofSeconds(20));
      watched.add(e);
    } while (!e.lastEventId().equals(marker));
  }

  /** Reads a stream up to and including the marker. */
  private static List<String> readUntil(SseClient sub, String marker) {
    List<String> ids = new ArrayList<>();
    SseClient.Event e;
    do {
      e = sub.next(Duration.ofSeconds(20));
      ids.add(e.lastEventId());
    } while (!e.lastEventId().equals(marker));
    return ids;
  }

  // cursorKind "pre": the cursor is pre-burst update #preIndex; "burst": the newest id whose publish had
  // completed when connecting. connectAfter: how many burst publishes complete before connecting.
  /** Verifies that a subscriber connecting with a cursor (and one with earliest) during a concurrent burst of 1000 publishes gets every later update of its topic once, in hub order. */
  @ParameterizedTest(name = "cursor {0}#{1}, connect after {2}")
  @CsvSource({"pre, 4, 0", "pre, 19, 150", "burst, -1, 400", "burst, -1, 850"})
  void cursorDuringConcurrentBurst(String cursorKind, int preIndex, int connectAfter) throws Exception {
    String tag = UUID.randomUUID().toString();
    String topic = "https://example.com/race/" + tag;
    String otherTopic = topic + "/other";
    String token = Fixtures.PUBLISHER;

    List<String> pre = new ArrayList<>();
    for (int i = 0; i < PRE; i++) {
      pre.add(Http.publish(hub, token, "topic", i % 3 == 0 ? otherTopic : topic, "data", tag + " pre " + i));
    }

    AtomicInteger next = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicReference<String> newest = new AtomicReference<>();
    ConcurrentLinkedQueue<String> published = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    SseClient sub = null;
    SseClient fromEarliest = null;
    String cursor;
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < THREADS; w++) {
        workers.add(pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < BURST) {
            String id = Http.publish(hub, token, "topic", i % 4 == 0 ? otherTopic : topic, "data", tag + " burst " + i);
            published.add(id);
            newest.set(id);
            completed.incrementAndGet();
          }
          return null;
        }));
      }
      Fixtures.await(() -> completed.get() >= connectAfter, Duration.ofSeconds(120), connectAfter + " publishes");
      cursor = cursorKind.equals("pre") ? pre.get(preIndex) : newest.get();
      sub = SseClient.open(hub.hub(topics(topic)), Map.of("Last-Event-ID", cursor));
      int atConnect = completed.get();
      fromEarliest = SseClient.open(hub.hub(topics(topic) + "&lastEventID=earliest"));
      int atSecondConnect = completed.get();
      for (Future<?> f : workers) {
        f.get(120, TimeUnit.SECONDS);
      }
      assertEquals(BURST, published.size());
      // diagnostics only: how far the burst was when each subscriber connected (not asserted: timing)
      System.out.printf("race %s: cursor subscriber connected after %d/%d publishes, earliest subscriber after %d%n",
          cursorKind + "#" + connectAfter, atConnect, BURST, atSecondConnect);
      String marker = Http.publish(hub, token, "topic", topic, "data", tag + " marker");

      watchUntil(marker);
      Set<String> roundIds = new HashSet<>();
      for (SseClient.Event e : watched) {
        if (e.data().startsWith(tag + " ")) {
          roundIds.add(e.lastEventId());
        }
      }
      assertEquals(PRE + BURST + 1, roundIds.size(), "the watcher saw every update of this round once");

      // the updates of `topic` in hub order, and those after the cursor
      List<String> ofTopic = new ArrayList<>();
      List<String> afterCursor = new ArrayList<>();
      boolean passed = false;
      for (SseClient.Event e : watched) {
        if (!e.data().startsWith(tag + " ")) {
          continue;
        }
        boolean onTopic = isOnTopic(e.data());
        if (onTopic) {
          ofTopic.add(e.lastEventId());
        }
        if (passed && onTopic) {
          afterCursor.add(e.lastEventId());
        }
        if (e.lastEventId().equals(cursor)) {
          passed = true;
        }
      }
      assertTrue(passed, "the cursor is among the updates the watcher saw");

      assertEquals("text/event-stream", sub.header("Content-Type"));
      assertEquals(cursor, sub.header("Last-Event-ID"));
      List<String> got = readUntil(sub, marker);
      assertSameSequence(afterCursor, got);

      assertEquals("earliest", fromEarliest.header("Last-Event-ID"));
      List<String> all = readUntil(fromEarliest, marker);
      assertSameSequence(ofTopic, all);
    } finally {
      pool.shutdownNow();
      if (sub != null) {
        sub.close();
      }
      if (fromEarliest != null) {
        fromEarliest.close();
      }
    }
  }

  /** Which topic an update of this round went to, from its data ({@code <tag> pre i} or {@code <tag> burst i}). */
  private static boolean isOnTopic(String data) {
    String[] parts = data.split(" ");
    if (parts[1].equals("marker")) {
      return true;
    }
    int i = Integer.parseInt(parts[2]);
    return parts[1].equals("pre") ? i % 3 != 0 : i % 4 != 0;
  }

  private static void assertSameSequence(List<String> expected, List<String> got) {
    Set<String> seen = new HashSet<>();
    for (String id : got) {
      assertTrue(seen.add(id), () -> "duplicate " + id + " at index " + got.indexOf(id));
    }
    for (int i = 0; i < Math.min(expected.size(), got.size()); i++) {
      if (!expected.get(i).equals(got.get(i))) {
        int at = i;
        throw new AssertionError("first difference at index " + at + " of " + expected.size() + ": expected "
            + expected.get(at) + " got " + got.get(at) + (seen.contains(expected.get(at)) ? " (expected id comes later: reordered)" : " (expected id missing: gap)"));
      }
    }
    assertEquals(expected.size(), got.size(), "same number of updates");
  }
}
