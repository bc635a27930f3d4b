package io.quicksilver.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/**
 * Protocol details an independent black-box suite checks: HEAD on the hub URL, {@code retry=0}, the security
 * headers of every response, a draft-08 publish over the topic limit.
 */
@Timeout(60)
class ProtocolDetailsTest {

  private static final String ISSUER = "https://app.example";

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_MAX_TOPICS", "3", "QS_DEFAULT_ISSUER", ISSUER));

  private static HttpResponse<String> send(String method, URI uri, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    return Http.send(b.build());
  }

  /** Verifies that HEAD on the hub URL answers as GET does (200 text/event-stream, cursor headers), without a body or a stream. */
  @Test
  void headAnswersLikeGet() {
    HttpResponse<String> head = send("HEAD", hub.hub("?topic=urn:x"), Map.of());
    assertEquals(200, head.statusCode());
    assertEquals("text/event-stream", head.headers().firstValue("Content-Type").orElse(""));
    assertEquals("", head.body());
    String id = Http.publish(hub, Tokens.publisher("*"), "topic", "urn:x", "data", "d");
    HttpResponse<String> withCursor = send("HEAD", hub.hub("?topic=urn:x"), Map.of("Last-Event-ID", id));
    assertEquals(id, withCursor.headers().firstValue("Last-Event-ID").orElse(""));
    HttpResponse<String> unknown = send("HEAD", hub.hub("?topic=urn:x"), Map.of("Last-Event-ID", "nope"));
    assertEquals("earliest", unknown.headers().firstValue("Mercure-Last-Event-ID").orElse(""));
    assertEquals(400, send("HEAD", hub.hub(""), Map.of()).statusCode(), "no selector: as GET");
  }

  /** Verifies that {@code retry=0} emits no {@code retry:} line, as the reference hub. */
  @Test
  void retryZeroIsNotSent() {
    String topic = "urn:quicksilver:retry:" + UUID.randomUUID();
    try (SseClient stream = SseClient.open(hub.hub("?topic=" + topic))) {
      Http.publish(hub, Tokens.publisher("*"), "topic", topic, "data", "zero", "retry", "0");
      Http.publish(hub, Tokens.publisher("*"), "topic", topic, "data", "five", "retry", "5");
      SseClient.Event zero = stream.next();
      assertEquals("zero", zero.data());
      assertNull(zero.retry());
      assertEquals(5L, stream.next().retry());
    }
  }

  /** Verifies that every response carries nosniff and DENY: streams, answers, errors, probes, refusals by Vert.x itself. */
  @Test
  void securityHeadersEverywhere() {
    String token = Tokens.publisher("*");
    List<HttpResponse<String>> responses = List.of(
        send("HEAD", hub.hub("?topic=urn:x"), Map.of()),
        Http.post(hub.hub(""), token, Http.form("topic", "urn:x", "data", "d")),
        Http.post(hub.hub(""), token, Http.form("data", "no topic")),
        Http.post(hub.hub(""), null, Http.form("topic", "urn:x")),
        Http.get(hub.uri("/no/such/path"), Map.of()),
        send("DELETE", hub.hub(""), Map.of()),
        Http.get(hub.uri("/healthz"), Map.of()),
        Http.get(hub.uri("/readyz"), Map.of()),
        Http.get(hub.uri("/metrics"), Map.of()),
        Http.get(hub.hub("?topic=" + "x".repeat(200 * 1024)), Map.of()));
    for (HttpResponse<String> r : responses) {
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), r.request().method() + " " + r.statusCode());
      assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), r.request().method() + " " + r.statusCode());
    }
    assertEquals(414, responses.get(responses.size() - 1).statusCode());
    // the hub closes the connection after a request Vert.x refuses: a client must not send its next request on it
    assertEquals("close", responses.get(responses.size() - 1).headers().firstValue("Connection").orElse(""));
    try (SseClient stream = SseClient.open(hub.hub("?topic=urn:x"))) {
      assertEquals("nosniff", stream.header("X-Content-Type-Options"));
      assertEquals("DENY", stream.header("X-Frame-Options"));
    }
  }

  /** Verifies that a draft-08 publish with more topics than the limit answers 413 (a classic one keeps its 400). */
  @Test
  void draft08TooManyTopicsIs413() {
    String access = Tokens.accessToken(ISSUER, "http://127.0.0.1:" + hub.port() + "/.well-known/mercure", "publish", "*");
    String four = Http.form("topic", "urn:a", "topic", "urn:b", "topic", "urn:c", "topic", "urn:d");
    assertEquals(413, Http.post(hub.hub(""), access, four).statusCode());
    assertEquals(400, Http.post(hub.hub(""), Tokens.publisher("*"), four).statusCode());
    HttpResponse<String> longTopic = Http.post(hub.hub(""), Tokens.publisher("*"), Http.form("topic", "urn:" + "x".repeat(5000)));
    assertEquals(413, longTopic.statusCode(), longTopic.body());
    assertTrue(longTopic.body().contains("longer than"), longTopic.body());
  }
}
