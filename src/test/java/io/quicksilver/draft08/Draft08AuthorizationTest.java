package io.quicksilver.draft08;

import static io.quicksilver.support.Topics.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubEndpoint;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.quicksilver.support.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;



/**
 * Draft-08 authorization over HTTP, in {@code both} mode: access tokens (RFC 9068) with Mercure authorization
 * details, the RFC 6750 answers ("Error Responses"), trusted issuers, and draft-08 publish validation.
 */
@Timeout(60)
class Draft08AuthorizationTest {

  static final String ISSUER = "https://app.example";
  static final String OTHER_ISSUER = "https://auth.example";
  static final String DETAIL = "https://mercure.rocks/authorization-detail";
  private static final KeyPair OTHER_KEYS = ecKeys();

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_DEFAULT_ISSUER", ISSUER,
      "QS_TRUSTED_ISSUERS", new JsonArray().add(new JsonObject().put("issuer", OTHER_ISSUER)
          .put("subscriber_key", Tokens.pem(OTHER_KEYS.getPublic())).put("subscriber_alg", "ES256")).encode(),
      "QS_ANONYMOUS", "true"));

  private static KeyPair ecKeys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String resource(HubEndpoint h) {
    return "http://127.0.0.1:" + h.port() + "/.well-known/mercure";
  }

  static String metadata(HubEndpoint h) {
    return "http://127.0.0.1:" + h.port() + "/.well-known/oauth-protected-resource/.well-known/mercure";
  }

  /** The claims RFC 9068 requires, for this hub, with one Mercure detail. */
  static JsonObject claims(HubEndpoint h, String issuer, String action, String match, String matchType) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject topic = new JsonObject().put("match", match);
    if (matchType != null) {
      topic.put("match_type", matchType);
    }
    return new JsonObject().put("iss", issuer).put("aud", resource(h)).put("sub", "urn:uuid:" + UUID.randomUUID())
        .put("client_id", issuer).put("iat", now).put("exp", now + 300).put("jti", "urn:uuid:" + UUID.randomUUID())
        .put("authorization_details", new JsonArray().add(new JsonObject().put("type", DETAIL)
            .put("actions", new JsonArray().add(action)).put("topics", new JsonArray().add(topic))));
  }

  static String publisherToken(HubEndpoint h, String match) {
    return Tokens.accessToken(TestHub.PUBLISHER_KEY, claims(h, ISSUER, "publish", match, null));
  }

  static String subscriberToken(HubEndpoint h, String match, String matchType) {
    return Tokens.accessToken(TestHub.SUBSCRIBER_KEY, claims(h, ISSUER, "subscribe", match, matchType));
  }

  private static HttpResponse<String> publish(String token, String... pairs) {
    return Http.post(hub.hub(""), token, Http.form(pairs));
  }

  private static String challenge(HttpResponse<String> r) {
    return r.headers().firstValue("WWW-Authenticate").orElse(null);
  }

  /** Verifies that an access token with a publish grant publishes, and the update reaches a draft-08 subscriber. */
  @Test
  void accessTokenPublishes() {
    String t = Topics.unique("d8");
    try (SseClient sub = SseClient.open(hub.hub("?match=" + enc(t)))) {
      assertEquals(200, sub.status());
      HttpResponse<String> r = publish(publisherToken(hub, t), "topic", t, "data", "hello");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("hello", sub.next(Duration.ofSeconds(5)).data());
    }
  }

  /** Verifies that a publish without a token is a 401 whose challenge names the metadata document and carries no error code. */
  @Test
  void noTokenChallenge() {
    HttpResponse<String> r = publish(null, "topic", Topics.unique("d8"));
    assertEquals(401, r.statusCode());
    assertEquals("Bearer resource_metadata=\"" + metadata(hub) + "\"", challenge(r));
  }

  /** Verifies that a failed validation is a 401 invalid_token that does not say which check failed. */
  @Test
  void invalidTokenChallenge() {
    JsonObject expired = claims(hub, ISSUER, "publish", "*", null).put("exp", System.currentTimeMillis() / 1000 - 60);
    for (String token : new String[] {
        Tokens.accessToken(TestHub.PUBLISHER_KEY, expired),
        Tokens.accessToken(TestHub.PUBLISHER_KEY, claims(hub, ISSUER, "publish", "*", null).put("aud", "https://other.example/.well-known/mercure")),
        Tokens.accessToken(TestHub.PUBLISHER_KEY, claims(hub, "https://unknown.example", "publish", "*", null)),
        Tokens.accessToken(TestHub.SUBSCRIBER_KEY, claims(hub, ISSUER, "publish", "*", null))}) {
      HttpResponse<String> r = publish(token, "topic", Topics.unique("d8"));
      assertEquals(401, r.statusCode());
      assertEquals("Bearer resource_metadata=\"" + metadata(hub) + "\", error=\"invalid_token\"", challenge(r));
      assertEquals("invalid access token\n", r.body());
    }
  }

  /** Verifies that a valid token without the needed grant is a 403 insufficient_scope. */
  @Test
  void insufficientScopeChallenge() {
    HttpResponse<String> r = publish(publisherToken(hub, "https://example.com/granted"), "topic", Topics.unique("d8"));
    assertEquals(403, r.statusCode());
    assertEquals("Bearer resource_metadata=\"" + metadata(hub) + "\", error=\"insufficient_scope\"", challenge(r));
  }

  /** Verifies that a malformed presentation of an access token (query parameter, forbidden in draft-08) is a 400 invalid_request. */
  @Test
  void invalidRequestChallenge() {
    String t = Topics.unique("d8");
    HttpResponse<String> r = Http.post(hub.uri("/.well-known/mercure?authorization=" + publisherToken(hub, t)), null,
        Http.form("topic", t));
    assertEquals(400, r.statusCode());
    assertEquals("Bearer resource_metadata=\"" + metadata(hub) + "\", error=\"invalid_request\"", challenge(r));
  }

  /** Verifies that a cookie-borne access token from a refused origin is a 400 invalid_request (draft-08), not the classic 403. */
  @Test
  void cookieFromRefusedOrigin() {
    String t = Topics.unique("d8");
    HttpResponse<String> r = Http.post(hub.hub(""), null, Http.form("topic", t),
        Map.of("Cookie", "mercureAuthorization=" + publisherToken(hub, t), "Origin", "https://evil.example"));
    assertEquals(400, r.statusCode());
    assertTrue(challenge(r).endsWith("error=\"invalid_request\""), challenge(r));
  }

  /** Verifies draft-08 reserved-namespace resolution and field rules on publish: each is a 400, whatever the token grants. */
  @ParameterizedTest
  @ValueSource(strings = {
      "topic=/.well-known/%256Dercure/x",
      "topic=/.well-known/mercure/../mercure/x",
      "topic=mercure/x",
      "topic=",
      "topic=*",
      "topic=http://other.example/.well-known/mercure/subscriptions/x",
      "topic=/a&id=earliest",
      "topic=/a&id=%231",
      "topic=/a&type=mercure",
      "topic=/a&id=a%E2%80%8Bb",
  })
  void draft08PublishValidation(String body) {
    HttpResponse<String> r = Http.post(hub.hub(""), publisherToken(hub, "*"), body);
    assertEquals(400, r.statusCode(), body + ": " + r.body());
  }

  /**
   * Verifies that the draft-08-only refusals above that the classic protocol allows stay publishable with a
   * classic token (the classic rules apply to classic requests).
   */
  @ParameterizedTest
  @ValueSource(strings = {"topic=/a&id=a%E2%80%8Bb"})
  void classicTokenKeepsClassicRules(String body) {
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), body);
    assertEquals(200, r.statusCode(), body + ": " + r.body());
  }

  /** Verifies that the hub's namespace and the type of its events are refused whoever publishes (one rule for every generation). */
  @ParameterizedTest
  @ValueSource(strings = {"topic=mercure/x", "topic=/a&type=mercure"})
  void classicTokenCannotForgeHubEvents(String body) {
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), body);
    assertEquals(400, r.statusCode(), body + ": " + r.body());
  }

  /** Verifies that a private update reaches a subscriber whose URL-pattern grant covers it, and not an anonymous one (control update). */
  @Test
  void privateUpdateNeedsSubscribeGrant() {
    String base = "https://example.com/users/" + UUID.randomUUID();
    String granted = subscriberToken(hub, base + "/:id", "urlpattern");
    try (SseClient allowed = SseClient.open(hub.hub("?match_urlpattern=" + enc(base + "/*")), Map.of("Authorization", "Bearer " + granted));
         SseClient anonymous = SseClient.open(hub.hub("?match_urlpattern=" + enc(base + "/*")))) {
      assertEquals(200, allowed.status(), allowed.errorBody());
      assertEquals(200, anonymous.status());
      String token = publisherToken(hub, "*");
      HttpResponse<String> p = publish(token, "topic", base + "/alerts", "data", "secret", "private", "on");
      assertEquals(200, p.statusCode(), p.body());
      HttpResponse<String> c = publish(token, "topic", base + "/public", "data", "control");
      assertEquals(200, c.statusCode());
      assertEquals("secret", allowed.next(Duration.ofSeconds(5)).data());
      assertEquals("control", allowed.next(Duration.ofSeconds(5)).data());
      assertEquals("control", anonymous.next(Duration.ofSeconds(5)).data());
    }
  }

  /** Verifies that a further trusted issuer's token verifies with its own key only, never the default issuer's. */
  @Test
  void trustedIssuerUsesItsOwnKey() {
    String t = Topics.unique("d8");
    String own = Tokens.signedAccessToken("ES256", OTHER_KEYS.getPrivate(), claims(hub, OTHER_ISSUER, "subscribe", "*", null));
    try (SseClient sub = SseClient.open(hub.hub("?match=" + enc(t)), Map.of("Authorization", "Bearer " + own))) {
      assertEquals(200, sub.status(), sub.errorBody());
    }
    String borrowed = Tokens.accessToken(TestHub.SUBSCRIBER_KEY, claims(hub, OTHER_ISSUER, "subscribe", "*", null));
    HttpResponse<String> r = Http.get(hub.hub("?match=" + enc(t)), Map.of("Authorization", "Bearer " + borrowed));
    assertEquals(401, r.statusCode());
    assertTrue(challenge(r).endsWith("error=\"invalid_token\""), challenge(r));
  }

  /** Verifies that a subscriber presenting an invalid access token is refused with invalid_token rather than served as anonymous. */
  @Test
  void invalidSubscriberToken() {
    JsonObject noExp = claims(hub, ISSUER, "subscribe", "*", null);
    noExp.remove("exp");
    HttpResponse<String> r = Http.get(hub.hub("?match=a"), Map.of("Authorization", "Bearer " + Tokens.accessToken(TestHub.SUBSCRIBER_KEY, noExp)));
    assertEquals(401, r.statusCode());
    assertFalse(r.body().contains("exp"));
    assertTrue(challenge(r).endsWith("error=\"invalid_token\""), challenge(r));
  }
}
