package io.quicksilver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.ProtocolMode;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;




/** Turning request credentials into claims, with the origin check for cookie credentials. */
class AuthorizerTest {

  private static final String APP = "https://app.example.com";
  private static final String TOKEN = Tokens.token("HS256",
      new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray().add("*"))));
  private static final String BAD_TOKEN = TOKEN.substring(0, TOKEN.length() - 2) + "xx";

  private static Authorizer authorizer(String... origins) {
    return Verifiers.classic(Role.PUBLISHER, List.of(origins));
  }

  private static Authorizer subscribers() {
    return Verifiers.classic(Role.SUBSCRIBER, List.of());
  }

  private static RequestCredentials cookie(String origin, String referer) {
    return Verifiers.credentials(null, null, TOKEN, origin, referer);
  }

  private static MercureClaims claims(Authorizer authorizer, RequestCredentials credentials) {
    return Verifiers.claims(authorizer, credentials, false, null);
  }

  private static int status(Runnable r) {
    return assertThrows(ProtocolException.class, r::run).status();
  }

  /** Verifies that a cookie credential from an allowed Origin, or else an allowed Referer origin, is accepted when the origin is checked. */
  @ParameterizedTest
  @CsvSource(nullValues = "NULL", value = {
      "https://app.example.com,      NULL",
      "HTTPS://APP.EXAMPLE.COM,      NULL",
      "https://app.example.com,      https://evil.example/page",
      "NULL,                         https://app.example.com/page?x=1#f",
      "NULL,                         https://app.example.com",
      "'',                           https://app.example.com/page",
      "null,                         https://app.example.com/page"})
  void cookieFromAllowedOrigin(String origin, String referer) {
    MercureClaims claims = claims(authorizer(APP, "https://other.example"), cookie(origin, referer));
    assertTrue(claims.mayPublishAll(List.of("https://example.com/x")));
  }

  /** Verifies that a cookie credential is refused with 403 without an Origin or Referer, or from a refused origin. */
  @ParameterizedTest
  @CsvSource(nullValues = "NULL", value = {
      "NULL,                         NULL",
      "'',                           ''",
      "null,                         NULL",
      "https://evil.example,         NULL",
      "https://evil.example,         https://app.example.com/page",
      "http://app.example.com,       NULL",
      "https://app.example.com:8443, NULL",
      "https://app.example.com.evil.example, NULL",
      "NULL,                         https://evil.example/page",
      "NULL,                         /relative/page",
      "NULL,                         'not a url'",
      "NULL,                         https://app.example.com:8443/page"})
  void cookieFromRefusedOrigin(String origin, String referer) {
    assertEquals(403, status(() -> claims(authorizer(APP), cookie(origin, referer))));
  }

  /** Verifies that `*` allows a cookie from any origin, but an Origin or Referer is still needed. */
  @Test
  void wildcardAllowsAnyOrigin() {
    assertNotNull(claims(authorizer("*"), cookie("https://anything.example", null)));
    assertNotNull(claims(authorizer("*"), cookie(null, "https://anything.example/p")));
    assertEquals(403, status(() -> claims(authorizer("*"), cookie(null, null))));
  }

  /** Verifies that no origin is needed when the caller does not ask for the check (e.g. subscribing). */
  @Test
  void cookieWithoutOriginCheck() {
    assertNotNull(claims(subscribers(), cookie(null, null)));
    assertNotNull(claims(subscribers(), cookie("https://evil.example", null)));
  }

  /** Verifies that header and query tokens skip the origin check. */
  @Test
  void headerAndQuerySkipOriginCheck() {
    Authorizer a = authorizer(APP);
    assertNotNull(claims(a, Verifiers.credentials("Bearer " + TOKEN, null, null, "https://evil.example", null)));
    assertNotNull(claims(a, Verifiers.credentials(null, TOKEN, null, null, null)));
    assertNotNull(claims(a, Verifiers.credentials(null, TOKEN, TOKEN, "https://evil.example", null)));
  }

  /** Verifies that a request without credentials yields no claims. */
  @Test
  void noCredentials() {
    assertNull(claims(authorizer(APP), Verifiers.credentials(null, null, null, null, null)));
  }

  /** Verifies that an invalid token is refused with 401, and a valid lower-priority one is not used instead. */
  @Test
  void invalidTokenRefused() {
    Authorizer a = authorizer(APP);
    assertEquals(401, status(() -> claims(a, Verifiers.credentials("Bearer " + BAD_TOKEN, TOKEN, TOKEN, APP, null))));
    assertEquals(401, status(() -> claims(a, Verifiers.credentials(null, BAD_TOKEN, TOKEN, APP, null))));
    assertEquals(401, status(() -> claims(a, Verifiers.credentials(null, null, BAD_TOKEN, APP, null))));
    assertEquals(401, status(() -> claims(a, Verifiers.credentials("Basic x", TOKEN, null, null, null))));
  }

  /** Verifies that two Authorization headers are refused, whichever of them is valid: the hub never picks one. */
  @Test
  void twoAuthorizationHeadersRefused() {
    RequestCredentials two = new RequestCredentials("Bearer " + TOKEN, null, null, null, null, 2);
    assertEquals(401, status(() -> claims(authorizer(APP), two)));
    Authorizer both = new Authorizer(Role.PUBLISHER, Verifiers.verifier("HS256"), new AccessTokens(List.of(), Verifiers::verifier),
        io.quicksilver.mercure.ProtocolMode.BOTH, List.of());
    ProtocolException e = assertThrows(ProtocolException.class, () -> Verifiers.claims(both, two, true, null));
    assertEquals(400, e.status());
    assertEquals("invalid_request", e.bearerError());
  }

  /** Verifies that the deprecated namespaced claim "https://mercure.rocks/" is read like "mercure", which wins when both are present. */
  @Test
  void namespacedClaim() {
    String namespaced = Tokens.token("HS256", new JsonObject().put("https://mercure.rocks/",
        new JsonObject().put("publish", new JsonArray().add("https://example.com/{id}"))));
    MercureClaims claims = claims(authorizer(APP), Verifiers.credentials("Bearer " + namespaced, null, null, null, null));
    assertTrue(claims.mayPublishAll(List.of("https://example.com/1")));
    String both = Tokens.token("HS256", new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray().add("https://a.example/x")))
        .put("https://mercure.rocks/", new JsonObject().put("publish", new JsonArray().add("*"))));
    MercureClaims mercure = claims(authorizer(APP), Verifiers.credentials("Bearer " + both, null, null, null, null));
    assertFalse(mercure.mayPublishAll(List.of("https://example.com/1")));
  }

  /** Verifies that mercure.publish or mercure.subscribe arrays of more than 1000 selectors make the token invalid (401). */
  @Test
  void oversizedClaimArraysRefused() {
    JsonArray many = new JsonArray();
    for (int i = 0; i <= 1000; i++) {
      many.add("https://example.com/" + i);
    }
    for (String key : List.of("publish", "subscribe")) {
      String token = Tokens.token("HS256", new JsonObject().put("mercure", new JsonObject().put(key, many)));
      assertEquals(401, status(() -> claims(authorizer(APP), Verifiers.credentials("Bearer " + token, null, null, null, null))));
    }
    JsonArray thousand = new JsonArray(many.getList().subList(0, 1000));
    String ok = Tokens.token("HS256", new JsonObject().put("mercure", new JsonObject().put("publish", thousand)));
    assertNotNull(claims(authorizer(APP), Verifiers.credentials("Bearer " + ok, null, null, null, null)));
  }

  /** Verifies that the text form of credentials never holds the tokens. */
  @Test
  void credentialsToStringHidesTokens() {
    assertFalse(Verifiers.credentials("Bearer " + TOKEN, TOKEN, TOKEN, APP, null).toString().contains(TOKEN));
  }
}
