package io.quicksilver.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;



/** Routes other than publish and subscribe: wrong methods, unknown paths, health checks, and the error body. */
@Timeout(60)
class RoutingTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.standard();

  private static HttpResponse<String> request(String method, URI uri, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .method(method, HttpRequest.BodyPublishers.ofString(Http.form("topic", "urn:x")));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return Http.send(b.build());
  }

  /** Asserts a one-line text error body without stack trace or token. */
  static void assertOneLineError(HttpResponse<String> r, String token) {
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
    String body = r.body();
    assertTrue(body.endsWith("\n"), body);
    String line = body.substring(0, body.length() - 1);
    assertFalse(line.isBlank());
    assertFalse(line.contains("\n") || line.contains("\r"), body);
    assertFalse(line.contains("Exception") || line.contains("\tat "), body);
    if (token != null) {
      for (String part : token.split("\\.")) {
        assertFalse(body.contains(part), "the token is not echoed");
      }
    }
  }

  /** Verifies that methods other than GET, POST and OPTIONS on the hub URL are answered 405 with a one-line body. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"PUT", "DELETE", "PATCH"})
  void otherMethodsOnHubAre405(String method) {
    String token = Tokens.publisher("*");
    HttpResponse<String> r = request(method, hub.hub(""), token);
    assertEquals(405, r.statusCode(), r.body());
    String allow = r.headers().firstValue("Allow").orElse("");
    assertTrue(allow.contains("GET") && allow.contains("POST"), "a 405 names the allowed methods: " + allow);
    assertOneLineError(r, token);
  }

  /** Verifies that a wrong method on a health check is answered 405 naming GET, with a one-line body. */
  @Test
  void wrongMethodOnHealthCheckIs405() {
    HttpResponse<String> r = request("POST", hub.uri("/healthz"), null);
    assertEquals(405, r.statusCode(), r.body());
    assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
    assertOneLineError(r, null);
  }

  /** Verifies that an unknown path is answered 404 with a one-line body. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GET", "POST"})
  void unknownPathIs404(String method) {
    HttpResponse<String> r = request(method, hub.uri("/no/such/path"), null);
    assertEquals(404, r.statusCode(), r.body());
    assertOneLineError(r, null);
  }

  /** Verifies that a sub-path of the hub URL is not the hub (404). */
  @Test
  void hubSubPathIs404() {
    HttpResponse<String> r = Http.post(hub.uri("/.well-known/mercure/extra"), Tokens.publisher("*"), Http.form("topic", "urn:x"));
    assertEquals(404, r.statusCode(), r.body());
    assertOneLineError(r, null);
  }

  /** Verifies that /healthz and /readyz answer 200 with a JSON body whose status is UP. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/healthz", "/readyz"})
  void healthChecksAnswerJson(String path) {
    HttpResponse<String> r = Http.get(hub.uri(path), Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    assertEquals("UP", new JsonObject(r.body()).getString("status"));
  }

  /** Verifies that a 401 body is one line of text that never contains the presented token. */
  @Test
  void unauthorizedBodyNeverEchoesToken() {
    String token = Tokens.hs256("a-wrong-secret-that-is-long-enough-to-pass", new JsonObject().put("mercure", new JsonObject()));
    HttpResponse<String> r = request("POST", hub.hub("?authorization=" + token), token);
    assertEquals(401, r.statusCode());
    assertOneLineError(r, token);
    HttpResponse<String> q = request("POST", hub.hub("?authorization=" + token), null);
    assertEquals(401, q.statusCode());
    assertOneLineError(q, token);
  }

  /** Verifies that a 400 body is one line of text even when the refused value holds line breaks. */
  @Test
  void badRequestBodyIsOneLine() {
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), Http.form("topic", "a\r\nInjected: yes", "id", "x\ny"));
    assertEquals(400, r.statusCode());
    assertOneLineError(r, null);
  }

  /**
   * Verifies that a Host header the hub cannot use is a 400, never a 500 nor no answer: one Vert.x cannot parse (on
   * any path; its parser throws on a percent sign), or one that makes no valid hub URL where the hub derives its draft-08 resource identifier from it.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a b     | /healthz", "a b     | /.well-known/mercure?topic=a", "a b | /.well-known/mercure?match_urlpattern=/x/*",
      "a:99999 | /healthz", "a:99999 | /.well-known/mercure?match_urlpattern=/x/*",
      "[zz]    | /.well-known/mercure?match_urlpattern=/x/*",
      "%41     | /healthz", "a%41b | /.well-known/mercure?topic=a", "%zz | /healthz", "%41:80 | /.well-known/mercure?topic=a"})
  void unusableHostIs400(String host, String target) throws Exception {
    String answer = answer("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), host + " " + target + ": " + answer);
  }

  /** Writes a raw request on a connection of its own and reads the whole answer (the request says Connection: close). */
  private static String answer(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", hub.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  /** Verifies that a request with two Host headers is a 400 (RFC 9112, section 3.2), before any handler: a publish too. */
  @Test
  void twoHostHeadersAre400() throws Exception {
    String body = "topic=https://example.com/two-hosts&data=x";
    String answer = answer("POST /.well-known/mercure HTTP/1.1\r\nHost: a\r\nHost: b\r\nAuthorization: Bearer "
        + Tokens.publisher("*") + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
        + "\r\nConnection: close\r\n\r\n" + body);
    assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
    assertTrue(answer.endsWith("a valid Host header is required\n"), answer);
  }

  /** Verifies that a path with a percent sign that starts no escape is the hub's one-line 400, before the router. */
  @ParameterizedTest
  @ValueSource(strings = {"/%", "/healthz%", "/.well-known/mercure%zz?topic=a", "/.well-known/mercure/subscriptions/%zz",
      "/.well-known/mercure/subscriptions/%4"})
  void brokenEscapeInPathIs400(String target) throws Exception {
    String answer = answer("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
    assertTrue(answer.toLowerCase(Locale.ROOT).contains("content-type: text/plain"), answer);
    assertTrue(answer.endsWith("a percent sign in the path that starts no escape\n"), answer);
  }
}
