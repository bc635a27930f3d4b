package io.quicksilver.cluster;

import io.quicksilver.support.RedisServer;
import io.quicksilver.support.SseClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Helpers shared by the cluster tests: concurrent publishing with a bounded number of requests in flight,
 * reading streams up to a known id, the global order as Redis holds it, and sequence comparisons that say
 * where two id lists part.
 */
final class Feed {

  private Feed() {
  }

  /** One update a test sent: its id, single topic, privacy and data. */
  record Sent(String id, String topic, boolean priv, String data) {
  }

  /** A subscription under test: a name for messages, what it selects, and the streams it has read so far. */
  static final class Sub {
    final String name;
    final Predicate<Sent> wants;
    final String selector;
    final String token;
    SseClient client;
    /** Ids received, across every connection, in arrival order. */
    final List<String> ids = new ArrayList<>();
    /** Data received, parallel to {@link #ids}. */
    final List<String> data = new ArrayList<>();

    Sub(String name, String selector, String token, Predicate<Sent> wants) {
      this.name = name;
      this.selector = selector;
      this.token = token;
      this.wants = wants;
    }

    /** Opens the stream on a hub URL, with {@code Last-Event-ID} when {@code lastEventId} is not null. */
    Sub open(URI hubBase, String lastEventId) {
      Map<String, String> headers = new HashMap<>();
      if (token != null) {
        headers.put("Authorization", "Bearer " + token);
      }
      if (lastEventId != null) {
        headers.put("Last-Event-ID", lastEventId);
      }
      client = SseClient.open(URI.create(hubBase + "?topic=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)), headers);
      if (client.status() != 200) {
        throw new AssertionError(name + ": subscribe answered " + client.status() + ": " + client.errorBody());
      }
      return this;
    }

    /** Takes {@code n} events from the current stream. */
    void take(int n, Duration timeout) {
      for (SseClient.Event e : client.next(n, timeout)) {
        ids.add(e.lastEventId());
        data.add(e.data());
      }
    }

    /** Takes events from the current stream until the one with id {@code last}, inclusive. */
    void takeUntil(String last, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        SseClient.Event e;
        try {
          e = client.next(Duration.ofMillis(left));
        } catch (AssertionError timeoutOrEnd) {
          throw new AssertionError(name + ": " + timeoutOrEnd.getMessage() + " waiting for " + last + " after "
              + ids.size() + " events (last " + (ids.isEmpty() ? "none" : ids.get(ids.size() - 1)) + ")");
        }
        ids.add(e.lastEventId());
        data.add(e.data());
        if (e.lastEventId().equals(last)) {
          return;
        }
      }
    }

    /** Takes whatever a stream that has ended still holds (after {@code awaitEnd}). */
    void takeRest() {
      for (SseClient.Event e : client.drain()) {
        ids.add(e.lastEventId());
        data.add(e.data());
      }
    }

    String lastId() {
      return ids.isEmpty() ? null : ids.get(ids.size() - 1);
    }

    void close() {
      if (client != null) {
        client.close();
      }
    }
  }

  /** A selector's subscription URL-encoded for a query. */
  static String topicQuery(String selector) {
    return "?topic=" + URLEncoder.encode(selector, StandardCharsets.UTF_8);
  }

  /**
   * Posts updates with the JDK client, at most {@code limit} in flight, and records each outcome: the
   * status code, or -1 when the request failed without an answer. Never retries.
   */
  static final class Publisher implements AutoCloseable {
    private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "test-publisher");
      t.setDaemon(true);
      return t;
    });
    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .executor(pool)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    private final int limit;
    private final Semaphore inFlight;
    private final Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final AtomicInteger acked = new AtomicInteger();

    Publisher(int limit) {
      this.limit = limit;
      this.inFlight = new Semaphore(limit);
    }

    /** Posts one update (waits while {@code limit} are in flight). */
    void post(URI hub, String token, Sent update) {
      try {
        if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
          throw new AssertionError("publish requests stayed in flight for 60 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sent.put(update.id(), update);
      List<String> form = new ArrayList<>(List.of("id", update.id(), "topic", update.topic(), "data", update.data()));
      if (update.priv()) {
        form.addAll(List.of("private", "on"));
      }
      HttpRequest request = HttpRequest.newBuilder(hub)
          .timeout(Duration.ofSeconds(20))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.ofString(io.quicksilver.support.Http.form(form.toArray(String[]::new))))
          .build();
      client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, err) -> {
        int status = err != null ? -1 : r.statusCode();
        if (status == 200 && !update.id().equals(r.body())) {
          status = -2; // answered with another id: counts as not acknowledged, and fails the checks below
        }
        outcomes.put(update.id(), status);
        if (status == 200) {
          acked.incrementAndGet();
        }
        inFlight.release();
      });
    }

    /** Waits until no request is in flight. */
    void awaitIdle(Duration timeout) {
      try {
        if (!inFlight.tryAcquire(limit, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new AssertionError("publish requests still in flight after " + timeout);
        }
        inFlight.release(limit);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    int ackedCount() {
      return acked.get();
    }

    /** Ids answered 200 (with that id). */
    Set<String> acked() {
      return outcomes.entrySet().stream().filter(e -> e.getValue() == 200).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** Outcomes other than 200, counted by status. */
    Map<Integer, Long> failures() {
      return outcomes.values().stream().filter(s -> s != 200).collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    }

    Map<String, Sent> sent() {
      return sent;
    }

    int outcomes() {
      return outcomes.size();
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }

  /** Every id in Redis' stream, in sequence order (the global order). */
  static List<String> redisOrder(RedisServer redis, String prefix) {
    String out = redis.cli("EVAL",
        "local r = {} for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do r[#r + 1] = e[2][2] end return r",
        "1", "{" + prefix + "}:stream");
    if (out.isEmpty()) {
      return List.of();
    }
    return Arrays.asList(out.split("\n"));
  }

  /**
   * Asserts that {@code actual} is exactly {@code expected}; on a difference says where they part, which
   * ids are missing, which are extra and which repeat.
   */
  static void assertSameSequence(List<String> expected, List<String> actual, String what) {
    if (expected.equals(actual)) {
      return;
    }
    int i = 0;
    while (i < expected.size() && i < actual.size() && expected.get(i).equals(actual.get(i))) {
      i++;
    }
    Set<String> actualSet = new HashSet<>(actual);
    Set<String> expectedSet = new HashSet<>(expected);
    List<String> missing = expected.stream().filter(id -> !actualSet.contains(id)).toList();
    List<String> extra = actual.stream().filter(id -> !expectedSet.contains(id)).toList();
    Map<String, Integer> counts = new LinkedHashMap<>();
    actual.forEach(id -> counts.merge(id, 1, Integer::sum));
    List<String> repeated = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    throw new AssertionError(what + ": expected " + expected.size() + " ids, got " + actual.size()
        + "; first difference at index " + i
        + " (expected " + (i < expected.size() ? expected.get(i) : "end") + ", got " + (i < actual.size() ? actual.get(i) : "end") + ")"
        + "; missing " + missing.size() + " " + head(missing)
        + "; extra " + extra.size() + " " + head(extra)
        + "; repeated " + repeated.size() + " " + head(repeated));
  }

  private static List<String> head(List<String> ids) {
    return ids.size() <= 10 ? ids : ids.subList(0, 10);
  }
}
