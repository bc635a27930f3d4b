package io.quicksilver.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Await;
import io.quicksilver.support.H2Client;
import io.quicksilver.support.Http;
import io.quicksilver.support.TestCertificates;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;



/**
 * The hub's own TLS listener: HTTP/2 and HTTP/1.1 by ALPN, SSE over HTTP/2 with the delivery guarantees of
 * HTTP/1.1 (fan-out to streams sharing a connection, heartbeats, replay, slow-stream detection, drain), the
 * certificate reloaded when its files change, and cleartext HTTP/2 only when it is turned on.
 */
@Timeout(120)
class TlsHttp2Test {

  @TempDir
  static Path dir;

  private static TestCertificates.Pair certificate;

  private static TestHub tlsHub(Map<String, String> env) {
    if (certificate == null) {
      certificate = TestCertificates.create(dir, "hub");
    }
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("QS_TLS_CERT", certificate.cert().toString());
    all.put("QS_TLS_KEY", certificate.key().toString());
    return TestHub.start(all);
  }

  private static String topicQuery(String topic) {
    return "/.well-known/mercure?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
  }

  /** Verifies that twelve streams over one HTTP/2 connection to the TLS listener each receive one update, and that HTTP/1.1 is offered too. */
  @Test
  void twelveStreamsOverOneConnection() throws Exception {
    String topic = "https://example.com/h2/" + UUID.randomUUID();
    try (TestHub hub = tlsHub(Map.of()); H2Client client = H2Client.tls(hub.port())) {
      List<H2Client.Stream> streams = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        H2Client.Stream s = client.open(topicQuery(topic), Map.of());
        assertEquals(200, s.status());
        assertEquals(HttpVersion.HTTP_2, s.version());
        assertEquals("text/event-stream", s.header("Content-Type"));
        streams.add(s);
      }
      for (H2Client.Stream s : streams) {
        assertSame(streams.get(0).connection(), s.connection(), "every stream shares one connection");
      }
      H2Client.Answer published = client.publish(Tokens.publisher("*"), Http.form("topic", topic, "data", "to all twelve"));
      assertEquals(200, published.status(), published.body());
      assertEquals(HttpVersion.HTTP_2, published.version());
      for (H2Client.Stream s : streams) {
        H2Client.Event e = s.next(Duration.ofSeconds(10));
        assertEquals("to all twelve", e.data());
        assertEquals(published.body(), e.id());
      }

      HttpResponse<String> h1 = trustingClient(HttpClient.Version.HTTP_1_1).send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + hub.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, h1.statusCode());
      assertEquals(HttpClient.Version.HTTP_1_1, h1.version());
      assertThrows(Exception.class, () -> HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/healthz")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()), "no cleartext on the TLS listener");
    }
  }

  /** Verifies that an HTTP/2 stream that stops reading is reset alone, while another stream on its connection receives everything. */
  @Test
  void slowStreamIsResetAlone() {
    String topic = "https://example.com/h2-slow/" + UUID.randomUUID();
    try (TestHub hub = tlsHub(Map.of("QS_DISPATCH_TIMEOUT", "1s", "QS_SUBSCRIBER_BUFFER", "1MiB"));
         H2Client client = H2Client.tls(hub.port())) {
      H2Client.Stream slow = client.open(topicQuery(topic), Map.of());
      H2Client.Stream reader = client.open(topicQuery(topic), Map.of());
      slow.pause();
      String data = "x".repeat(8 * 1024);
      int n = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!slow.awaitFinish(Duration.ofMillis(50)) && System.nanoTime() < deadline) {
        for (int i = 0; i < 5; i++, n++) {
          assertEquals(200, client.publish(Tokens.publisher("*"), Http.form("topic", topic, "id", "u" + n, "data", data)).status());
        }
        for (H2Client.Event e : reader.drain()) {
          assertEquals(data, e.data());
        }
      }
      assertTrue(slow.awaitFinish(Duration.ofSeconds(5)), "the paused stream was dropped");
      assertFalse(slow.endedNormally(), "dropped by a reset, not ended");
      assertNotNull(slow.error());
      String control = "control-" + UUID.randomUUID();
      assertEquals(200, client.publish(Tokens.publisher("*"), Http.form("topic", topic, "id", control, "data", "after")).status());
      H2Client.Event last = reader.next(Duration.ofSeconds(10));
      while (!control.equals(last.id())) {
        last = reader.next(Duration.ofSeconds(10));
      }
      assertFalse(reader.awaitFinish(Duration.ZERO), "the other stream on the connection stays open");
      assertSame(slow.connection(), reader.connection());
    }
  }

  /** Verifies heartbeats, replay after a cursor and a drain that ends streams normally, over HTTP/2. */
  @Test
  void heartbeatReplayAndDrain() {
    String topic = "https://example.com/h2-life/" + UUID.randomUUID();
    try (TestHub hub = tlsHub(Map.of("QS_HEARTBEAT", "200ms")); H2Client client = H2Client.tls(hub.port())) {
      String first = client.publish(Tokens.publisher("*"), Http.form("topic", topic, "data", "one")).body();
      client.publish(Tokens.publisher("*"), Http.form("topic", topic, "data", "two"));
      H2Client.Stream resumed = client.open(topicQuery(topic), Map.of("Last-Event-ID", first));
      assertEquals(first, resumed.header("Last-Event-ID"));
      assertEquals("two", resumed.next(Duration.ofSeconds(10)).data(), "replayed after the cursor");
      Await.until(resumed::comments, c -> c >= 3, Duration.ofSeconds(10), c -> "heartbeats seen: " + c);

      hub.hub().drain(Duration.ofMillis(300)).toCompletionStage().toCompletableFuture().join();
      assertTrue(resumed.awaitFinish(Duration.ofSeconds(5)), "the drain ended the stream");
      assertTrue(resumed.endedNormally(), "ended with END_STREAM, so EventSource reconnects: " + resumed.error());
      H2Client.Stream late = client.open(topicQuery(topic), Map.of());
      assertEquals(200, late.status(), "a subscription during the drain gets a stream that ends at once");
      assertTrue(late.awaitFinish(Duration.ofSeconds(5)));
      assertTrue(late.endedNormally());
    }
  }

  /** Verifies that new connections get the certificate written over the old files (as cert-manager renews it), and old ones keep working. */
  @Test
  void certificateReloadedWhenFilesChange() throws Exception {
    TestCertificates.Pair served = TestCertificates.create(dir, "rotating");
    TestCertificates.Pair renewed = TestCertificates.create(dir, "renewed");
    try (TestHub hub = TestHub.start(Map.of("QS_TLS_CERT", served.cert().toString(), "QS_TLS_KEY", served.key().toString(),
        "QS_TLS_RELOAD", "100ms")); H2Client before = H2Client.tls(hub.port())) {
      assertEquals(served.certificate().getSerialNumber(), presented(hub.port()));
      assertEquals(200, before.send(HttpMethod.GET, "/healthz", Map.of(), null).status());
      TestCertificates.install(renewed, served);
      BigInteger expected = renewed.certificate().getSerialNumber();
      Await.until(() -> presented(hub.port()), expected::equals, Duration.ofSeconds(15), s -> "still serving serial " + s);
      assertEquals(200, before.send(HttpMethod.GET, "/healthz", Map.of(), null).status(), "the open connection keeps working");
    }
  }

  /** Verifies that cleartext HTTP/2 (prior knowledge) is served only with http.h2c on, streams included. */
  @Test
  void h2cOnlyWhenAsked() {
    String topic = "https://example.com/h2c/" + UUID.randomUUID();
    try (TestHub hub = TestHub.start(Map.of("QS_H2C", "true")); H2Client client = H2Client.cleartext(hub.port())) {
      H2Client.Stream s = client.open(topicQuery(topic), Map.of());
      assertEquals(HttpVersion.HTTP_2, s.version());
      client.publish(Tokens.publisher("*"), Http.form("topic", topic, "data", "h2c"));
      assertEquals("h2c", s.next(Duration.ofSeconds(10)).data());
    }
    try (TestHub hub = TestHub.start(); H2Client client = H2Client.cleartext(hub.port())) {
      assertThrows(IllegalStateException.class, () -> client.send(HttpMethod.GET, "/healthz", Map.of(), null));
      assertEquals(200, Http.get(hub.uri("/healthz"), Map.of()).statusCode(), "HTTP/1.1 as ever");
    }
  }

  /** The serial number of the certificate a new TLS connection to the port is shown. */
  private static BigInteger presented(int port) {
    try (SSLSocket socket = (SSLSocket) TestCertificates.trustingAll().getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpClient trustingClient(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).sslContext(TestCertificates.trustingAll()).connectTimeout(Duration.ofSeconds(5)).build();
  }
}
