package io.quicksilver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.ProtocolException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Turning request credentials into claims, with the origin check for cookie credentials. */
class AuthorizerTest {

  private static final String APP = "https://app.example.com";
  private static final String TOKEN = Jws.token("HS256",
      new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray().add("*"))));
  private static final String BAD_TOKEN = TOKEN.substring(0, TOKEN.length() - 2) + "xx";

  private static Authorizer authorizer(String... origins) {
    return new Authorizer(new JwtVerifier(Jws.key("HS256"), Clock.systemUTC()), List.of(origins));
  }

  private static RequestCredentials cookie(String origin, String referer) {
    return new RequestCredentials(null, null, TOKEN, origin, referer);
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
    MercureClaims claims = authorizer(APP, "https://other.example").claims(cookie(origin, referer), true);
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
    assertEquals(403, status(() -> authorizer(APP).claims(cookie(origin, referer), true)));
  }

  /** Verifies that `*` allows a cookie from any origin, but an Origin or Referer is still needed. */
  @Test
  void wildcardAllowsAnyOrigin() {
    assertNotNull(authorizer("*").claims(cookie("https://anything.example", null), true));
    assertNotNull(authorizer("*").claims(cookie(null, "https://anything.example/p"), true));
    assertEquals(403, status(() -> authorizer("*").claims(cookie(null, null), true)));
  }

  /** Verifies that no origin is needed when the caller does not ask for the check (e.g. subscribing). */
  @Test
  void cookieWithoutOriginCheck() {
    assertNotNull(authorizer().claims(cookie(null, null), false));
    assertNotNull(authorizer().claims(cookie("https://evil.example", null), false));
  }

  /** Verifies that header and query tokens skip the origin check. */
  @Test
  void headerAndQuerySkipOriginCheck() {
    Authorizer a = authorizer(APP);
    assertNotNull(a.claims(new RequestCredentials("Bearer " + TOKEN, null, null, "https://evil.example", null), true));
    assertNotNull(a.claims(new RequestCredentials(null, TOKEN, null, null, null), true));
    assertNotNull(a.claims(new RequestCredentials(null, TOKEN, TOKEN, "https://evil.example", null), true));
  }

  /** Verifies that a request without credentials yields no claims. */
  @Test
  void noCredentials() {
    assertNull(authorizer(APP).claims(new RequestCredentials(null, null, null, null, null), true));
  }

  /** Verifies that an invalid token is refused with 401, and a valid lower-priority one is not used instead. */
  @Test
  void invalidTokenRefused() {
    Authorizer a = authorizer(APP);
    assertEquals(401, status(() -> a.claims(new RequestCredentials("Bearer " + BAD_TOKEN, TOKEN, TOKEN, APP, null), false)));
    assertEquals(401, status(() -> a.claims(new RequestCredentials(null, BAD_TOKEN, TOKEN, APP, null), false)));
    assertEquals(401, status(() -> a.claims(new RequestCredentials(null, null, BAD_TOKEN, APP, null), true)));
    assertEquals(401, status(() -> a.claims(new RequestCredentials("Basic x", TOKEN, null, null, null), true)));
  }

  /** Verifies that the text form of credentials never holds the tokens. */
  @Test
  void credentialsToStringHidesTokens() {
    assertFalse(new RequestCredentials("Bearer " + TOKEN, TOKEN, TOKEN, APP, null).toString().contains(TOKEN));
  }
}
