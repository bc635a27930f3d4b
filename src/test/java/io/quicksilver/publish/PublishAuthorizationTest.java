package io.quicksilver.publish;

import static io.quicksilver.publish.Watcher.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;



/** Publisher authorization (classic protocol, "Authorization" and "Publishers"). */
@Timeout(60)
class PublishAuthorizationTest extends WatchedHubTest {

  private static final String TOPIC = "https://example.com/books/1";

  @RegisterExtension
  static final HubExtension HUB = HubExtension.standard();

  private static JsonObject publishAll() {
    return new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray(List.of("*"))));
  }

  private static String body() {
    return Http.form("topic", TOPIC, "data", "should not be dispatched");
  }

  static Stream<Arguments> invalidTokens() {
    long now = Instant.now().getEpochSecond();
    return Stream.of(
        Arguments.of("invalid signature", Tokens.hs256("another-secret-that-is-long-enough-too!", publishAll())),
        Arguments.of("tampered claims", tamper(Tokens.publisher(TOPIC))),
        Arguments.of("expired", Tokens.hs256(TestHub.PUBLISHER_KEY, publishAll().put("exp", now - 60))),
        Arguments.of("nbf in the future", Tokens.hs256(TestHub.PUBLISHER_KEY, publishAll().put("nbf", now + 3600))),
        Arguments.of("alg none", Tokens.none(publishAll())),
        Arguments.of("alg none with the signature of a valid token", noneWithSignature()),
        Arguments.of("signed with the subscriber key", Tokens.hs256(TestHub.SUBSCRIBER_KEY, publishAll())),
        Arguments.of("HS512 with the publisher key", Tokens.hmac("HS512", TestHub.PUBLISHER_KEY,
            new JsonObject().put("alg", "HS512").put("typ", "JWT"), publishAll())),
        Arguments.of("not a JWT", "not-a-token"),
        Arguments.of("two parts", Tokens.b64("{\"alg\":\"HS256\"}") + "." + Tokens.b64("{}")));
  }

  /** A valid token whose claims were swapped for broader ones. */
  private static String tamper(String token) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + Tokens.b64(publishAll().encode()) + "." + parts[2];
  }

  /** An alg-none header glued to a valid token's claims and signature. */
  private static String noneWithSignature() {
    String[] parts = Tokens.publisher("*").split("\\.");
    return Tokens.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2];
  }

  /** Verifies that a publication without any token is refused with 401 and not dispatched. */
  @Test
  void refusesWithoutToken() {
    HttpResponse<String> r = Http.post(hub.hub(""), null, body());
    assertRefused(401, r);
    watcher.assertNothingDispatched();
  }

  /** Verifies that each invalid token is refused with 401, its reason never echoes the token, and nothing is dispatched. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidTokens")
  void refusesInvalidToken(String name, String token) {
    HttpResponse<String> r = Http.post(hub.hub(""), token, body());
    assertRefused(401, r, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that an Authorization header that is not a Bearer token is refused with 401 and nothing is dispatched. */
  @Test
  void refusesNonBearerHeader() {
    String token = Tokens.publisher("*");
    HttpResponse<String> r = Http.post(hub.hub(""), null, body(), Map.of("Authorization", "Basic " + token));
    assertRefused(401, r, token);
    watcher.assertNothingDispatched();
  }

  static Stream<Arguments> forbiddenTokens() {
    return Stream.of(
        Arguments.of("no mercure claim", Tokens.hs256(TestHub.PUBLISHER_KEY, new JsonObject().put("sub", "x"))),
        Arguments.of("mercure without publish", Tokens.hs256(TestHub.PUBLISHER_KEY,
            new JsonObject().put("mercure", new JsonObject().put("subscribe", new JsonArray(List.of("*")))))),
        Arguments.of("publish: []", Tokens.publisher()),
        Arguments.of("publish for another topic", Tokens.publisher("https://example.com/authors/1")),
        Arguments.of("template not matching", Tokens.publisher("https://example.com/authors/{id}")));
  }

  /** Verifies that a valid token without the right to publish to the topic is refused with 403 and nothing is dispatched. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("forbiddenTokens")
  void refusesTokenWithoutPublishRight(String name, String token) {
    HttpResponse<String> r = Http.post(hub.hub(""), token, body());
    assertRefused(403, r, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that a token covering only some topics of an update is refused with 403 and nothing is dispatched, not even to the allowed topic. */
  @Test
  void refusesTokenCoveringSomeTopics() {
    String token = Tokens.publisher(TOPIC);
    HttpResponse<String> r = Http.post(hub.hub(""), token,
        Http.form("topic", TOPIC, "topic", "https://example.com/secret/2", "data", "x"));
    assertRefused(403, r, token);
    HttpResponse<String> alternate = Http.post(hub.hub(""), token,
        Http.form("topic", "https://example.com/secret/2", "topic", TOPIC, "data", "x"));
    assertRefused(403, alternate, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that a URI-template publish selector allows a matching topic. */
  @Test
  void templateSelectorAllowsMatchingTopic() {
    String token = Tokens.publisher("https://example.com/books/{id}");
    HttpResponse<String> r = Http.post(hub.hub(""), token, Http.form("topic", "https://example.com/books/42", "data", "t"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
    watcher.assertNothingDispatched();
  }

  /** Verifies that a token whose selectors together cover every topic of an update allows it. */
  @Test
  void selectorsTogetherCoveringAllTopicsAllow() {
    String token = Tokens.publisher("https://example.com/books/{id}", "https://example.com/authors/1");
    HttpResponse<String> r = Http.post(hub.hub(""), token,
        Http.form("topic", "https://example.com/books/7", "topic", "https://example.com/authors/1"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that a token with exp and nbf around now is accepted. */
  @Test
  void acceptsTokenWithinItsValidity() {
    long now = Instant.now().getEpochSecond();
    String token = Tokens.hs256(TestHub.PUBLISHER_KEY, publishAll().put("exp", now + 3600).put("nbf", now - 60).put("iat", now));
    HttpResponse<String> r = Http.post(hub.hub(""), token, Http.form("topic", TOPIC, "data", "v"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that a valid Authorization header wins over an invalid authorization query parameter. */
  @Test
  void validHeaderWinsOverInvalidQuery() {
    HttpResponse<String> r = Http.post(hub.hub("?authorization=garbage.token.value"), Tokens.publisher("*"), Http.form("topic", TOPIC));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that an invalid Authorization header is refused with 401 even with a valid query token, and nothing is dispatched. */
  @Test
  void invalidHeaderIsNotRescuedByValidQuery() {
    String valid = Tokens.publisher("*");
    String invalid = Tokens.hs256("another-secret-that-is-long-enough-too!", publishAll());
    HttpResponse<String> r = Http.post(hub.hub("?authorization=" + enc(valid)), invalid, body());
    assertRefused(401, r, invalid, valid);
    watcher.assertNothingDispatched();
  }

  /** Verifies that a valid authorization query parameter alone is accepted. */
  @Test
  void queryTokenAloneIsAccepted() {
    HttpResponse<String> r = Http.post(hub.hub("?authorization=" + enc(Tokens.publisher("*"))), null, Http.form("topic", TOPIC));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that an invalid query token is refused with 401 even with a valid cookie, and nothing is dispatched. */
  @Test
  void invalidQueryIsNotRescuedByCookie() {
    String invalid = Tokens.hs256("another-secret-that-is-long-enough-too!", publishAll());
    HttpResponse<String> r = Http.post(hub.hub("?authorization=" + enc(invalid)), null, body(),
        Map.of("Cookie", "mercureAuthorization=" + Tokens.publisher("*")));
    assertRefused(401, r, invalid);
    watcher.assertNothingDispatched();
  }

  /** Verifies that two Authorization headers are refused even when both carry valid tokens: the hub never picks one. */
  @Test
  void twoAuthorizationHeadersRefused() {
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(hub.hub(""))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "Bearer " + Tokens.publisher("*"))
        .header("Authorization", "Bearer " + Tokens.publisher(TOPIC))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body()))
        .build();
    assertEquals(401, Http.send(request).statusCode());
    watcher.assertNothingDispatched();
  }

  /** Verifies that a token with the deprecated namespaced claim "https://mercure.rocks/" publishes like one with "mercure". */
  @Test
  void namespacedClaimPublishes() {
    String token = Tokens.hs256(TestHub.PUBLISHER_KEY, new JsonObject().put("https://mercure.rocks/",
        new JsonObject().put("publish", new JsonArray().add(TOPIC))));
    HttpResponse<String> r = Http.post(hub.hub(""), token, body());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that exp null or a string, and a claim array of 1001 selectors, are 401 and nothing is dispatched. */
  @Test
  void malformedClaimsRefused() {
    JsonArray many = new JsonArray();
    for (int i = 0; i <= 1000; i++) {
      many.add("https://example.com/" + i);
    }
    for (JsonObject claims : List.of(publishAll().putNull("exp"), publishAll().put("exp", "9999999999"),
        new JsonObject().put("mercure", new JsonObject().put("publish", many.copy().add("*"))))) {
      String token = Tokens.hs256(TestHub.PUBLISHER_KEY, claims);
      assertRefused(401, Http.post(hub.hub(""), token, body()), token);
    }
    watcher.assertNothingDispatched();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
