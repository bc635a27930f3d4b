package io.quicksilver.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubEndpoint;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/** Cross-origin access: an allowlist with credentials (QS_CORS_ORIGINS="https://app.example.com"), and {@code *} without. */
@Timeout(60)
class CorsTest {

  private static final String ALLOWED = "https://app.example.com";
  private static final String OTHER = "https://evil.example.net";

  @RegisterExtension
  static final HubExtension listed = HubExtension.withEnv(Map.of("QS_CORS_ORIGINS", ALLOWED));
  @RegisterExtension
  static final HubExtension any = HubExtension.withEnv(Map.of("QS_CORS_ORIGINS", "*"));

  private static HttpResponse<String> preflight(HubEndpoint hub, String origin, String method, String requestHeaders) {
    HttpRequest.Builder b = HttpRequest.newBuilder(hub.hub(""))
        .timeout(Duration.ofSeconds(15))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method);
    if (requestHeaders != null) {
      b.header("Access-Control-Request-Headers", requestHeaders);
    }
    return Http.send(b.build());
  }

  private static Optional<String> header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name);
  }

  private static Set<String> list(HttpResponse<?> r, String name) {
    return r.headers().allValues(name).stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(s -> s.trim().toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }

  /** Verifies that a preflight from an allowed origin is answered 204 with the origin echoed, credentials, methods and headers. */
  @Test
  void preflightFromAllowedOrigin() {
    HttpResponse<String> r = preflight(listed, ALLOWED, "POST", "authorization, content-type");
    assertEquals(204, r.statusCode());
    assertEquals(Optional.of(ALLOWED), header(r, "Access-Control-Allow-Origin"));
    assertEquals(Optional.of("true"), header(r, "Access-Control-Allow-Credentials"));
    assertTrue(list(r, "Access-Control-Allow-Methods").containsAll(Set.of("get", "post")), r.headers().toString());
    assertTrue(list(r, "Access-Control-Allow-Headers").containsAll(Set.of("authorization", "last-event-id", "content-type")),
        r.headers().toString());
    assertTrue(list(r, "Vary").contains("origin"), "responses that depend on Origin say so");
  }

  /** Verifies that a preflight for the subscribe method (GET with Last-Event-ID) from an allowed origin is allowed. */
  @Test
  void preflightForGetWithLastEventId() {
    HttpResponse<String> r = preflight(listed, ALLOWED, "GET", "last-event-id");
    assertEquals(204, r.statusCode());
    assertEquals(Optional.of(ALLOWED), header(r, "Access-Control-Allow-Origin"));
    assertTrue(list(r, "Access-Control-Allow-Headers").contains("last-event-id"));
  }

  /** Verifies that a preflight from a disallowed origin gets no Access-Control-Allow-* headers. */
  @Test
  void preflightFromDisallowedOrigin() {
    HttpResponse<String> r = preflight(listed, OTHER, "POST", "authorization");
    assertTrue(r.statusCode() < 500, "answered: " + r.statusCode());
    assertEquals(Optional.empty(), header(r, "Access-Control-Allow-Origin"));
    assertEquals(Optional.empty(), header(r, "Access-Control-Allow-Credentials"));
    assertEquals(Optional.empty(), header(r, "Access-Control-Allow-Methods"));
  }

  /** Verifies that an origin that only starts like the allowed one is not allowed. */
  @Test
  void lookalikeOriginIsNotAllowed() {
    HttpResponse<String> r = preflight(listed, ALLOWED + ".evil.net", "POST", null);
    assertEquals(Optional.empty(), header(r, "Access-Control-Allow-Origin"));
  }

  /** Verifies that an actual publish from an allowed origin carries the echoed origin and credentials, and a disallowed one none. */
  @Test
  void publishResponsesCarryCorsHeadersForAllowedOriginOnly() {
    HttpResponse<String> ok = Http.post(listed.hub(""), Tokens.publisher("*"), Http.form("topic", "urn:cors:1"), Map.of("Origin", ALLOWED));
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(Optional.of(ALLOWED), header(ok, "Access-Control-Allow-Origin"));
    assertEquals(Optional.of("true"), header(ok, "Access-Control-Allow-Credentials"));

    HttpResponse<String> other = Http.post(listed.hub(""), Tokens.publisher("*"), Http.form("topic", "urn:cors:1"), Map.of("Origin", OTHER));
    assertEquals(200, other.statusCode(), other.body());
    assertEquals(Optional.empty(), header(other, "Access-Control-Allow-Origin"));
    assertEquals(Optional.empty(), header(other, "Access-Control-Allow-Credentials"));
  }

  /** Verifies that an error answer to an allowed origin still carries the CORS headers so the page can read it. */
  @Test
  void errorResponsesCarryCorsHeaders() {
    HttpResponse<String> r = Http.post(listed.hub(""), null, Http.form("topic", "urn:cors:1"), Map.of("Origin", ALLOWED));
    assertEquals(401, r.statusCode());
    assertEquals(Optional.of(ALLOWED), header(r, "Access-Control-Allow-Origin"));
  }

  /** Verifies that a subscription stream opened from an allowed origin carries the echoed origin and credentials. */
  @Test
  void subscribeStreamCarriesCorsHeaders() {
    try (SseClient sse = SseClient.open(listed.hub("?topic=urn:cors:sub"), Map.of("Origin", ALLOWED))) {
      assertEquals(200, sse.status());
      assertEquals(ALLOWED, sse.header("Access-Control-Allow-Origin"));
      assertEquals("true", sse.header("Access-Control-Allow-Credentials"));
    }
  }

  /** Verifies that with * configured a preflight gets Access-Control-Allow-Origin: * and never Access-Control-Allow-Credentials. */
  @Test
  void wildcardPreflightHasNoCredentials() {
    HttpResponse<String> r = preflight(any, OTHER, "POST", "authorization");
    assertEquals(204, r.statusCode());
    assertEquals(Optional.of("*"), header(r, "Access-Control-Allow-Origin"));
    assertEquals(Optional.empty(), header(r, "Access-Control-Allow-Credentials"));
    assertTrue(list(r, "Access-Control-Allow-Headers").contains("authorization"));
  }

  /** Verifies that with * configured actual responses (publish and subscribe) carry * and never credentials. */
  @Test
  void wildcardResponsesHaveNoCredentials() {
    HttpResponse<String> r = Http.post(any.hub(""), Tokens.publisher("*"), Http.form("topic", "urn:cors:2"), Map.of("Origin", ALLOWED));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(Optional.of("*"), header(r, "Access-Control-Allow-Origin"));
    assertFalse(header(r, "Access-Control-Allow-Credentials").isPresent());
    try (SseClient sse = SseClient.open(any.hub("?topic=urn:cors:sub"), Map.of("Origin", OTHER))) {
      assertEquals(200, sse.status());
      assertEquals("*", sse.header("Access-Control-Allow-Origin"));
      assertEquals(null, sse.header("Access-Control-Allow-Credentials"));
    }
  }
}
