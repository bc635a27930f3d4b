package io.quicksilver.auth;

import static io.quicksilver.auth.AccessTokensTest.HUB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.ProtocolMode;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;




/** Which rules read a request's token (classic or draft-08) in each protocol mode, and the error codes each answers with. */
class AuthorizerDispatchTest {

  private static final String APP = "https://app.example.com";
  private static final String BOOK1 = "https://example.com/books/1";
  private static final String DEFAULT_ISSUER = "urn:hub:default";

  /** A classic token (HS256, the classic key) granting publish on everything. */
  private static final String CLASSIC = Tokens.token("HS256", new JsonObject().put("sub", "u1")
      .put("mercure", new JsonObject().put("publish", new JsonArray().add("*"))));
  /** Issuer A's publisher access token (ES256) granting publish on BOOK1. */
  private static final String ACCESS = Tokens.access("ES256", AccessTokensTest.claims());
  /** An access token of the default issuer, signed with the classic key, that also carries a classic claim. */
  private static final String DEFAULT_ACCESS = Tokens.access("HS256", AccessTokensTest.claims().put("iss", DEFAULT_ISSUER)
      .put("mercure", new JsonObject().put("publish", new JsonArray().add("*"))));

  private static Authorizer authorizer(ProtocolMode mode, Role role) {
    List<TrustedIssuer> issuers = new ArrayList<>(AccessTokensTest.ISSUERS);
    issuers.add(TrustedIssuer.of(DEFAULT_ISSUER, Verifiers.key("HS256"), Verifiers.key("HS256")));
    return new Authorizer(role, Verifiers.verifier("HS256"), new AccessTokens(issuers, Verifiers::verifier), mode, List.of(APP));
  }

  private static Authorizer publishers(ProtocolMode mode) {
    return authorizer(mode, Role.PUBLISHER);
  }

  private static RequestCredentials header(String token) {
    return Verifiers.credentials("Bearer " + token, null, null, null, null);
  }

  private static RequestCredentials cookie(String token, String origin) {
    return Verifiers.credentials(null, null, token, origin, null);
  }

  private static RequestCredentials query(String token) {
    return Verifiers.credentials(null, token, null, null, null);
  }

  private static MercureClaims claims(ProtocolMode mode, RequestCredentials credentials, boolean draft08Request) {
    return Verifiers.claims(publishers(mode), credentials, draft08Request, HUB);
  }

  private static ProtocolException refused(ProtocolMode mode, RequestCredentials credentials, boolean draft08Request) {
    return assertThrows(ProtocolException.class, () -> claims(mode, credentials, draft08Request));
  }

  private static void refusedWith(String bearerError, int status, ProtocolMode mode, RequestCredentials credentials, boolean draft08Request) {
    ProtocolException e = refused(mode, credentials, draft08Request);
    assertEquals(status, e.status(), e.reason());
    assertEquals(bearerError, e.bearerError(), e.reason());
  }

  private static String expired() {
    return Tokens.access("ES256", AccessTokensTest.claims().put("exp", 1));
  }

  /** Verifies that in both mode a classic token is read by the classic rules and an at+jwt token by the draft-08 rules. */
  @ParameterizedTest
  @CsvSource({"false", "true"})
  void bothModeDispatchesByTyp(boolean draft08Request) {
    MercureClaims classic = claims(ProtocolMode.BOTH, header(CLASSIC), draft08Request);
    assertFalse(classic.draft08());
    assertEquals("u1", classic.subject());
    assertTrue(classic.mayPublishAll(List.of("https://anything.example/x")));
    MercureClaims access = claims(ProtocolMode.BOTH, header(ACCESS), draft08Request);
    assertTrue(access.draft08());
    assertTrue(access.mayPublishAll(List.of(BOOK1)));
    assertFalse(access.mayPublishAll(List.of("https://anything.example/x")));
  }

  /** Verifies that the default issuer's access tokens verify with the classic key and are read by the draft-08 rules only. */
  @Test
  void defaultIssuerUsesClassicKey() {
    MercureClaims c = claims(ProtocolMode.BOTH, header(DEFAULT_ACCESS), false);
    assertTrue(c.draft08());
    assertFalse(c.mayPublishAll(List.of("https://anything.example/x")), "the mercure claim of an access token grants nothing");
  }

  /** Verifies that classic mode reads every token by the classic rules, at+jwt included, and answers without error codes. */
  @Test
  void classicModeReadsEveryTokenClassically() {
    MercureClaims c = claims(ProtocolMode.CLASSIC, header(DEFAULT_ACCESS), true);
    assertFalse(c.draft08());
    assertTrue(c.mayPublishAll(List.of("https://anything.example/x")));
    refusedWith(null, 401, ProtocolMode.CLASSIC, header(ACCESS), true);
    refusedWith(null, 401, ProtocolMode.CLASSIC, Verifiers.credentials("Basic x", null, null, null, null), true);
    refusedWith(null, 403, ProtocolMode.CLASSIC, cookie(CLASSIC, "https://evil.example"), true);
    assertFalse(claims(ProtocolMode.CLASSIC, query(CLASSIC), true).draft08());
  }

  /** Verifies that draft-08 mode accepts access tokens and refuses any other token as invalid_token. */
  @Test
  void draft08ModeRefusesClassicTokens() {
    assertTrue(claims(ProtocolMode.DRAFT_08, header(ACCESS), false).draft08());
    refusedWith("invalid_token", 401, ProtocolMode.DRAFT_08, header(CLASSIC), false);
    refusedWith("invalid_token", 401, ProtocolMode.DRAFT_08, header(Tokens.token("HS256", Tokens.accessHeader("HS256").put("typ", "JWT"),
        AccessTokensTest.claims().put("iss", DEFAULT_ISSUER))), false);
    assertNull(claims(ProtocolMode.DRAFT_08, Verifiers.credentials(null, null, null, null, null), false));
  }

  /** Verifies that a malformed presentation on a draft-08 request is invalid_request: bad header scheme, empty token, unparsable JWS. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "BOTH|true|Basic dXNlcjpwYXNz", "BOTH|true|Bearer", "BOTH|true|Bearer    ", "BOTH|true|Bearer abc", "BOTH|true|Bearer a.b.c",
      "BOTH|true|Bearer e30.e30", "BOTH|true|Bearer e30.e30.e30.e30", "BOTH|true|Bearer e30.e30.!!",
      "DRAFT_08|false|Basic dXNlcjpwYXNz", "DRAFT_08|false|Bearer", "DRAFT_08|false|Bearer abc", "DRAFT_08|false|Bearer a.b.c"})
  void malformedPresentationIsInvalidRequest(ProtocolMode mode, boolean draft08Request, String authorization) {
    refusedWith("invalid_request", 400, mode, Verifiers.credentials(authorization, null, null, null, null), draft08Request);
  }

  /** Verifies that an unparsable cookie token on a draft-08 request is invalid_request too. */
  @Test
  void malformedCookieIsInvalidRequest() {
    refusedWith("invalid_request", 400, ProtocolMode.DRAFT_08, cookie("abc", APP), false);
  }

  /** Verifies that draft-08 requests never take a token from the URI query: invalid_request, whatever the token. */
  @ParameterizedTest
  @EnumSource(value = ProtocolMode.class, names = {"BOTH", "DRAFT_08"})
  void queryTokenRefusedOnDraft08Request(ProtocolMode mode) {
    refusedWith("invalid_request", 400, mode, query(ACCESS), true);
    refusedWith("invalid_request", 400, mode, query(CLASSIC), true);
    refusedWith("invalid_request", 400, mode, Verifiers.credentials("Bearer " + ACCESS, ACCESS, null, null, null), true);
  }

  /** Verifies that an at+jwt token in the query of a classic request is invalid_request, while classic tokens keep working there. */
  @Test
  void accessTokenInQueryRefused() {
    refusedWith("invalid_request", 400, ProtocolMode.BOTH, query(ACCESS), false);
    assertFalse(claims(ProtocolMode.BOTH, query(CLASSIC), false).draft08());
  }

  /** Verifies that a cookie from a refused origin is invalid_request on draft-08 requests and for at+jwt tokens, 403 otherwise. */
  @Test
  void refusedOriginCodes() {
    refusedWith("invalid_request", 400, ProtocolMode.BOTH, cookie(CLASSIC, "https://evil.example"), true);
    refusedWith("invalid_request", 400, ProtocolMode.DRAFT_08, cookie(ACCESS, null), false);
    refusedWith("invalid_request", 400, ProtocolMode.BOTH, cookie(ACCESS, "https://evil.example"), false);
    refusedWith(null, 403, ProtocolMode.BOTH, cookie(CLASSIC, "https://evil.example"), false);
    assertTrue(claims(ProtocolMode.BOTH, cookie(ACCESS, APP), false).draft08());
  }

  /** Verifies that a token failing validation is invalid_token on draft-08 requests, classic tokens included, and for at+jwt tokens. */
  @Test
  void failedValidationIsInvalidToken() {
    // a wrong signature in canonical base64url (a non-canonical one is a malformed token: invalid_request)
    int i = CLASSIC.length() - 5;
    String badClassic = CLASSIC.substring(0, i) + (CLASSIC.charAt(i) == 'A' ? 'B' : 'A') + CLASSIC.substring(i + 1);
    refusedWith("invalid_token", 401, ProtocolMode.BOTH, header(badClassic), true);
    refusedWith("invalid_token", 401, ProtocolMode.BOTH, header(expired()), false);
    refusedWith("invalid_token", 401, ProtocolMode.BOTH, header(expired()), true);
    refusedWith("invalid_token", 401, ProtocolMode.DRAFT_08, header(expired()), false);
    refusedWith("invalid_token", 401, ProtocolMode.BOTH, header(Tokens.token("HS256",
        new JsonObject().put("mercure", new JsonObject().put("publish", "not an array")))), true);
  }

  /** Verifies that classic requests keep their plain 401 for a malformed presentation or an invalid token in both mode. */
  @Test
  void classicRequestCodesUnchanged() {
    // a wrong signature in canonical base64url (a non-canonical one is a malformed token: invalid_request)
    int i = CLASSIC.length() - 5;
    String badClassic = CLASSIC.substring(0, i) + (CLASSIC.charAt(i) == 'A' ? 'B' : 'A') + CLASSIC.substring(i + 1);
    refusedWith(null, 401, ProtocolMode.BOTH, header(badClassic), false);
    refusedWith(null, 401, ProtocolMode.BOTH, Verifiers.credentials("Basic x", null, null, null, null), false);
    refusedWith(null, 401, ProtocolMode.BOTH, header("abc"), false);
    refusedWith(null, 401, ProtocolMode.BOTH, query(""), false);
  }

  /** Verifies that on draft-08 requests the Authorization header wins over the cookie, which is then ignored even when invalid. */
  @Test
  void headerWinsOverCookie() {
    assertTrue(claims(ProtocolMode.DRAFT_08, Verifiers.credentials("Bearer " + ACCESS, null, "garbage", null, null), false).draft08());
    refusedWith("invalid_token", 401, ProtocolMode.DRAFT_08, Verifiers.credentials("Bearer " + expired(), null, ACCESS, APP, null), false);
  }

  /** Verifies that the two-argument method reads classic requests as before, and without a resource identifier no access token is accepted. */
  @Test
  void twoArgumentMethod() {
    Authorizer a = publishers(ProtocolMode.BOTH);
    assertFalse(Verifiers.claims(a, header(CLASSIC), false, null).draft08());
    ProtocolException e = assertThrows(ProtocolException.class, () -> Verifiers.claims(a, header(ACCESS), false, null));
    assertEquals("invalid_token", e.bearerError());
  }

  /** Verifies that the authorizer's role selects the issuer's key: a publisher token is refused where a subscriber one is expected. */
  @Test
  void roleSelectsKey() {
    Authorizer subscribers = authorizer(ProtocolMode.BOTH, Role.SUBSCRIBER);
    assertEquals("invalid_token", assertThrows(ProtocolException.class,
        () -> Verifiers.claims(subscribers, header(ACCESS), true, HUB)).bearerError());
    assertTrue(Verifiers.claims(subscribers, header(Tokens.access("RS256", AccessTokensTest.claims())), true, HUB).draft08());
  }

  /** Verifies that the resource identifier given by the caller is the one aud must name. */
  @Test
  void resourceIdentifierFromCaller() {
    Authorizer a = publishers(ProtocolMode.BOTH);
    assertEquals("invalid_token", assertThrows(ProtocolException.class,
        () -> Verifiers.claims(a, header(ACCESS), true, "https://other.example/.well-known/mercure")).bearerError());
  }
}
