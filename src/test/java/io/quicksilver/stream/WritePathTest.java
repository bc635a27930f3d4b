package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.support.Topics.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quicksilver.metrics.Scrape;
import io.quicksilver.support.Await;
import io.quicksilver.support.H2Client;
import io.quicksilver.support.Http;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestCertificates;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Topics;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.transport.Transport;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which write path a real stream takes, as {@code quicksilver_streams_started_total{writes}} counts it: HTTP/1.1
 * streams, cleartext or over TLS, are written straight to their socket ({@link DirectSink}); HTTP/2 streams,
 * over TLS or cleartext, through Vert.x's response. The HTTP/1.1 cases fail when the direct path can no longer be
 * set up (a Vert.x update that renames the pipeline's handlers) rather than let the hub fall back unseen.
 */
@Timeout(120)
class WritePathTest {

  private static final String STARTED = "quicksilver_streams_started_total";

  @TempDir
  static Path dir;

  /** Verifies that an HTTP/1.1 stream is written directly, and a cleartext HTTP/2 one through the response. */
  @Test
  void cleartext() {
    try (TestHub hub = TestHub.start(Map.of("QS_H2C", "true"))) {
      Supplier<Scrape> metrics = () -> Scrape.of(hub.uri("/metrics"));
      String topic = Topics.unique("path");
      try (SseClient h1 = SseClient.open(hub.hub(topics(topic)))) {
        awaitOpen(h1);
        expectStarted(metrics, 1, 0);
        expectId(h1, Fixtures.publish(hub, topic, "direct"));
      }
      try (H2Client client = H2Client.cleartext(hub.port())) {
        H2Client.Stream h2 = client.open("/.well-known/mercure" + topics(topic), Map.of());
        assertEquals(HttpVersion.HTTP_2, h2.version());
        expectStarted(metrics, 1, 1);
        String id = Fixtures.publish(hub, topic, "through the response");
        assertEquals(id, h2.next(Duration.ofSeconds(10)).id());
      }
    }
  }

  /** Verifies that over TLS an HTTP/1.1 stream is written directly (through the TLS handler), an HTTP/2 one through the response. */
  @Test
  void tls() throws Exception {
    TestCertificates.Pair certificate = TestCertificates.create(dir, "hub");
    try (TestHub hub = TestHub.start(Map.of("QS_TLS_CERT", certificate.cert().toString(), "QS_TLS_KEY", certificate.key().toString()));
         H2Client client = H2Client.tls(hub.port())) {
      Supplier<Scrape> metrics = () -> Scrape.parse(client.send(HttpMethod.GET, "/metrics", Map.of(), null).body());
      String topic = Topics.unique("path-tls");
      String query = "/.well-known/mercure" + topics(topic);
      H2Client.Stream h2 = client.open(query, Map.of());
      assertEquals(HttpVersion.HTTP_2, h2.version());
      expectStarted(metrics, 0, 1);

      HttpClient h1Client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(TestCertificates.trustingAll()).connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<InputStream> h1 = h1Client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + hub.port() + query))
          .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader body = new BufferedReader(new InputStreamReader(h1.body(), StandardCharsets.UTF_8))) {
        assertEquals(HttpClient.Version.HTTP_1_1, h1.version());
        assertEquals(":", body.readLine(), "the opening comment");
        expectStarted(metrics, 1, 1);
        String id = client.publish(Fixtures.PUBLISHER, Http.form("topic", topic, "data", "over TLS")).body();
        assertEquals(id, h2.next(Duration.ofSeconds(10)).id());
        String line = body.readLine();
        while (line != null && !line.startsWith("id: ")) {
          line = body.readLine();
        }
        assertEquals("id: " + id, line, "the directly written event arrives through TLS");
      }
    }
  }

  /**
   * Verifies that on each network transport an HTTP/1.1 stream is written directly and gets its event: NIO, and
   * io_uring where this kernel allows it (what {@code auto} takes then, and the test suite with it).
   */
  @ParameterizedTest
  @ValueSource(strings = {"nio", "io_uring"})
  void eachTransport(String transport) {
    assumeTrue(transport.equals("nio") || Transport.IO_URING.available(), "io_uring is not available here");
    try (TestHub hub = TestHub.start(Map.of("QS_TRANSPORT", transport))) {
      assertEquals(transport, hub.hub().transport());
      String topic = Topics.unique("transport");
      try (SseClient h1 = SseClient.open(hub.hub(topics(topic)))) {
        awaitOpen(h1);
        expectStarted(() -> Scrape.of(hub.uri("/metrics")), 1, 0);
        expectId(h1, Fixtures.publish(hub, topic, "on " + transport));
      }
    }
  }

  /** Waits until the hub counts this many streams started on each path. */
  private static void expectStarted(Supplier<Scrape> metrics, int direct, int response) {
    Await.until(metrics, s -> s.value(STARTED, "writes", "direct") == direct && s.value(STARTED, "writes", "response") == response,
        Duration.ofSeconds(10), s -> "expected " + direct + " direct and " + response + " response streams; scraped:\n"
            + s.samples(STARTED));
  }
}
