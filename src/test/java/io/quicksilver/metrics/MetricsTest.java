package io.quicksilver.metrics;

import static io.quicksilver.support.Topics.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Await;
import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.quicksilver.support.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/** {@code /metrics}: the hub's meters move with what happens, labels stay bounded, access can be restricted. */
@Timeout(120)
class MetricsTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.standard();

  /** Scrapes until the condition holds (bounded), and returns that scrape. */
  private static Scrape scrapeUntil(URI metrics, Predicate<Scrape> condition, String what) {
    return Await.until(() -> Scrape.of(metrics), condition, Duration.ofSeconds(10), s -> what + "; last scrape:\n" + s.text());
  }

  /** Verifies that subscribes, publishes (accepted and refused), replays and disconnects move the hub's, Vert.x's and the JVM's meters by exactly what happened. */
  @Test
  void metersMoveWithTraffic() {
    URI metrics = hub.uri("/metrics");
    String topic = "https://example.com/metrics/" + UUID.randomUUID();
    String token = Tokens.publisher("*");
    Scrape before = Scrape.of(metrics);
    assertTrue(before.value("jvm_memory_used_bytes", "area", "heap") > 0, "JVM heap gauge");
    assertTrue(before.has("quicksilver_store_append_seconds_bucket"), "append latency histogram");

    List<String> ids = new ArrayList<>();
    try (SseClient live = SseClient.open(hub.hub("?topic=" + enc(topic)))) {
      assertEquals(200, live.status());
      for (int i = 0; i < 3; i++) {
        ids.add(Http.publish(hub, token, "topic", topic, "data", "m" + i));
      }
      for (String id : ids) {
        assertEquals(id, live.next().lastEventId());
      }
      Scrape after = scrapeUntil(metrics, s -> delta(before, s, "quicksilver_deliveries_total") >= 3, "three deliveries counted");
      assertEquals(1, delta(before, after, "mercure_subscribers_connected"), "connected gauge");
      assertEquals(1, delta(before, after, "mercure_subscribers_total"), "subscribers counter");
      assertEquals(3, delta(before, after, "mercure_updates_total"), "updates counter");
      assertEquals(3, delta(before, after, "quicksilver_deliveries_total"), "deliveries counter");
      assertEquals(3, delta(before, after, "quicksilver_store_append_seconds_count"), "append latency count");
      assertEquals(3, delta(before, after, "quicksilver_store_append_seconds_bucket", "le", "+Inf"), "append latency +Inf bucket");
      assertEquals(3, delta(before, after, "vertx_http_server_requests_total", "method", "POST", "code", "200"), "Vert.x HTTP server requests");

      // refused publishes, one per reason
      Scrape beforeRefusals = after;
      assertEquals(401, Http.post(hub.hub(""), null, Http.form("topic", topic, "data", "x")).statusCode());
      assertEquals(400, Http.post(hub.hub(""), token, Http.form("data", "no topic")).statusCode());
      assertEquals(403, Http.post(hub.hub(""), Tokens.publisher("https://example.com/other"), Http.form("topic", topic, "data", "x")).statusCode());
      assertEquals(415, Http.post(hub.hub(""), token, "topic=x", Map.of("Content-Type", "text/plain")).statusCode());
      Scrape refused = scrapeUntil(metrics, s -> delta(beforeRefusals, s, "quicksilver_publish_rejections_total") >= 4, "four rejections counted");
      assertEquals(1, delta(beforeRefusals, refused, "quicksilver_publish_rejections_total", "reason", "unauthorized"));
      assertEquals(1, delta(beforeRefusals, refused, "quicksilver_publish_rejections_total", "reason", "bad_request"));
      assertEquals(1, delta(beforeRefusals, refused, "quicksilver_publish_rejections_total", "reason", "forbidden"));
      assertEquals(1, delta(beforeRefusals, refused, "quicksilver_publish_rejections_total", "reason", "unsupported_media_type"));
      assertEquals(4, delta(beforeRefusals, refused, "quicksilver_publish_rejections_total"));
      assertEquals(0, delta(beforeRefusals, refused, "mercure_updates_total"), "refused publishes are no updates");
      assertEquals(1, delta(beforeRefusals, refused, "vertx_http_server_requests_total", "method", "POST", "code", "401"));
      assertEquals(1, delta(beforeRefusals, refused, "vertx_http_server_requests_total", "method", "POST", "code", "403"));

      // a replay
      try (SseClient replaying = SseClient.open(hub.hub("?topic=" + enc(topic)), Map.of("Last-Event-ID", ids.get(0)))) {
        assertEquals(200, replaying.status());
        assertEquals(ids.get(0), replaying.header("Last-Event-ID"));
        assertEquals(ids.get(1), replaying.next().lastEventId());
        assertEquals(ids.get(2), replaying.next().lastEventId());
        Scrape replayed = scrapeUntil(metrics, s -> delta(refused, s, "quicksilver_replays_total") >= 1, "replay counted");
        assertEquals(1, delta(refused, replayed, "quicksilver_replays_total"));
        assertEquals(1, delta(refused, replayed, "mercure_subscribers_total"));
        assertEquals(2, delta(before, replayed, "mercure_subscribers_connected"));
      }
    }
    // both streams closed by the client: accounted asynchronously
    Scrape gone = scrapeUntil(metrics, s -> delta(before, s, "quicksilver_subscribers_disconnected_total", "reason", "client_gone") >= 2
        && delta(before, s, "mercure_subscribers_connected") == 0, "two disconnects counted");
    assertEquals(2, delta(before, gone, "quicksilver_subscribers_disconnected_total", "reason", "client_gone"));
    assertEquals(2, delta(before, gone, "quicksilver_subscribers_disconnected_total"), "no other disconnect reason moved");
    assertEquals(2, delta(before, gone, "mercure_subscribers_total"));
    assertEquals(0, delta(before, gone, "mercure_subscribers_connected"));
  }

  private static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

  /** Verifies that no label value in the scrape carries a topic, an update id or a subscriber id, whatever the traffic. */
  @Test
  void labelsNeverCarryTopicsOrSubscribers() {
    String marker = "zq" + UUID.randomUUID().toString().replace("-", "");
    String topic = "https://example.com/" + marker + "/books/1";
    String template = "https://example.com/" + marker + "/books/{id}";
    String observerSelector = "/.well-known/mercure/subscriptions{/topic}{/subscriber}";
    List<String> secrets = new ArrayList<>(List.of(marker));
    try (TestHub h = TestHub.start(Map.of("QS_SUBSCRIPTIONS", "true"));
         SseClient exact = SseClient.open(h.hub("?topic=" + enc(topic)));
         SseClient templated = SseClient.open(h.hub("?topic=" + enc(template) + "&topic=" + enc(topic)))) {
      assertEquals(200, exact.status());
      assertEquals(200, templated.status());
      String id = Http.publish(h, Tokens.publisher("*"), "topic", topic, "data", marker, "private", "on");
      secrets.add(id);
      String pub = Http.publish(h, Tokens.publisher("*"), "topic", topic, "data", "public " + marker);
      secrets.add(pub);
      assertEquals(pub, exact.next().lastEventId());
      assertEquals(pub, templated.next().lastEventId());
      assertEquals(403, Http.post(h.hub(""), Tokens.publisher("https://example.com/nope"), Http.form("topic", topic, "data", "x")).statusCode());
      assertEquals(400, Http.post(h.hub(""), Tokens.publisher("*"), Http.form("topic", topic, "retry", "x" + marker)).statusCode());
      try (SseClient replay = SseClient.open(h.hub("?topic=" + enc(topic)), Map.of("Last-Event-ID", id))) {
        assertEquals(pub, replay.next().lastEventId());
      }
      try (SseClient unknownCursor = SseClient.open(h.hub("?topic=" + enc(topic)), Map.of("Last-Event-ID", "urn:" + marker))) {
        assertEquals("earliest", unknownCursor.header("Last-Event-ID"));
      }
      // the subscriber ids, from the subscriptions API
      HttpResponse<String> list = Http.get(h.uri("/.well-known/mercure/subscriptions"),
          Map.of("Authorization", "Bearer " + Tokens.subscriber(observerSelector)));
      assertEquals(200, list.statusCode(), list.body());
      JsonArray subscriptions = new JsonObject(list.body()).getJsonArray("subscriptions");
      assertFalse(subscriptions.isEmpty());
      for (Object o : subscriptions) {
        String subscriber = ((JsonObject) o).getString("subscriber");
        secrets.add(subscriber);
        secrets.add(subscriber.substring("urn:uuid:".length()));
      }
      Http.send(HttpRequest.newBuilder(h.uri("/.well-known/mercure/subscriptions/" + enc(topic))).GET().build());
      Http.get(h.uri("/" + marker), Map.of());

      Scrape scrape = Scrape.of(h.uri("/metrics"));
      for (String label : scrape.labelValues()) {
        for (String secret : secrets) {
          assertFalse(label.contains(secret), "label value " + label + " carries " + secret);
        }
      }
      for (String secret : secrets) {
        assertFalse(scrape.text().contains(secret), "the scrape carries " + secret);
        assertFalse(scrape.text().contains(enc(secret)), "the scrape carries " + enc(secret));
      }
    }
  }

  /** Verifies that the cluster-size gauge of a standalone hub reads 1, also after a garbage collection. */
  @Test
  void clusterMembersGaugeOfStandaloneHub() {
    System.gc();
    Scrape scrape = Scrape.of(hub.uri("/metrics"));
    assertEquals(1.0, scrape.value("quicksilver_cluster_members"), scrape.samples("quicksilver_cluster_members").toString());
  }

  /** Verifies that with QS_METRICS_TOKEN set, /metrics answers 401 without the bearer token or with a wrong one, and 200 with it. */
  @Test
  void metricsToken() {
    String secret = "metrics-" + UUID.randomUUID();
    try (TestHub h = TestHub.start(Map.of("QS_METRICS_TOKEN", secret))) {
      HttpResponse<String> none = Http.get(h.uri("/metrics"), Map.of());
      assertEquals(401, none.statusCode());
      assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      assertFalse(none.body().contains("mercure_"));
      assertEquals(401, Http.get(h.uri("/metrics"), Map.of("Authorization", "Bearer wrong")).statusCode());
      assertEquals(401, Http.get(h.uri("/metrics"), Map.of("Authorization", "Bearer " + secret + "x")).statusCode());
      assertEquals(401, Http.get(h.uri("/metrics?authorization=" + secret), Map.of()).statusCode());
      HttpResponse<String> ok = Http.get(h.uri("/metrics"), Map.of("Authorization", "Bearer " + secret));
      assertEquals(200, ok.statusCode());
      assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      Scrape scrape = Scrape.parse(ok.body());
      assertTrue(scrape.has("mercure_subscribers_connected"));
      assertFalse(ok.body().contains(secret), "the scrape never shows the token");
      assertEquals(200, Http.get(h.uri("/healthz"), Map.of()).statusCode(), "probes stay open");
    }
  }

  /** Verifies that with QS_METRICS_PORT set, /metrics is served on that port only: the hub's port answers 404 and the metrics port serves nothing else. */
  @Test
  void metricsOnTheirOwnPort() {
    int port = RedisServer.freePort();
    try (TestHub h = TestHub.start(Map.of("QS_METRICS_PORT", String.valueOf(port)))) {
      Scrape scrape = Scrape.of(URI.create("http://127.0.0.1:" + port + "/metrics"));
      assertTrue(scrape.has("mercure_updates_total"));
      assertTrue(scrape.has("jvm_memory_used_bytes"));
      assertEquals(404, Http.get(h.uri("/metrics"), Map.of()).statusCode());
      assertEquals(404, Http.get(URI.create("http://127.0.0.1:" + port + "/healthz"), Map.of()).statusCode());
      assertEquals(404, Http.post(URI.create("http://127.0.0.1:" + port + "/.well-known/mercure"), Tokens.publisher("*"),
          Http.form("topic", "https://example.com/x", "data", "x")).statusCode());
      assertEquals(200, Http.get(h.uri("/healthz"), Map.of()).statusCode());
    }
  }

  /** Verifies that with QS_METRICS=false, /metrics answers 404. */
  @Test
  void metricsDisabled() {
    try (TestHub h = TestHub.start(Map.of("QS_METRICS", "false"))) {
      assertEquals(404, Http.get(h.uri("/metrics"), Map.of()).statusCode());
      assertEquals(200, Http.get(h.uri("/healthz"), Map.of()).statusCode());
    }
  }
}
