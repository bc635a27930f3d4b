package io.quicksilver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.TopicSelector;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;



/** Draft-08 access token validation ("Token Validation") and authorization details ("Authorization Details", "Topic Matcher List", "Payloads"). */
class AccessTokensTest {

  /** Now, in epoch seconds: vertx-auth-jwt checks time claims against the system clock. */
  static final long NOW = Instant.now().getEpochSecond();
  static final String HUB = "https://hub.example.com/.well-known/mercure";
  static final String ISSUER_A = "https://a.example.com";
  static final String ISSUER_B = "https://b.example.com";
  static final String DETAIL = "https://mercure.rocks/authorization-detail";
  private static final String BOOK1 = "https://example.com/books/1";
  private static final String BOOK2 = "https://example.com/books/2";

  /** Issuer B's own key pair: its tokens must never verify under issuer A's identity, nor A's under B's. */
  static final KeyPair B_PAIR = ecPair();

  /** A publishes (ES256) and subscribes (RS256); B only publishes (its own ES256 key). */
  static final List<TrustedIssuer> ISSUERS = List.of(
      TrustedIssuer.of(ISSUER_A, Verifiers.key("ES256"), Verifiers.key("RS256")),
      TrustedIssuer.of(ISSUER_B, JwtKey.parse("ES256", Tokens.pem(B_PAIR.getPublic())), null));

  private static final AccessTokens TOKENS = new AccessTokens(ISSUERS, Verifiers::verifier);

  private static KeyPair ecPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A Mercure authorization detail. */
  static JsonObject detail(List<String> actions, JsonObject... topics) {
    return new JsonObject().put("type", DETAIL).put("actions", new JsonArray(new ArrayList<>(actions)))
        .put("topics", new JsonArray(new ArrayList<>(List.of((Object[]) topics))));
  }

  /** A topic matcher object without match_type. */
  static JsonObject match(String match) {
    return new JsonObject().put("match", match);
  }

  /** The claims RFC 9068 asks for, from issuer A to this hub, granting publish on BOOK1. */
  static JsonObject claims() {
    return new JsonObject().put("iss", ISSUER_A).put("aud", HUB).put("sub", "urn:uuid:bb3de268").put("client_id", ISSUER_A)
        .put("iat", NOW - 10).put("exp", NOW + 60).put("jti", "urn:uuid:e70ff8d7")
        .put("authorization_details", new JsonArray().add(detail(List.of("publish"), match(BOOK1))));
  }

  private static JsonObject withDetails(Object... details) {
    return claims().put("authorization_details", new JsonArray(new ArrayList<>(List.of(details))));
  }

  /** Issuer A's publisher token (ES256, at+jwt). */
  private static String token(JsonObject claims) {
    return Tokens.access("ES256", claims);
  }

  private static MercureClaims publisher(String token) {
    return Verifiers.now(TOKENS.validate(token, Role.PUBLISHER, HUB));
  }

  private static ProtocolException refused(String token, Role role) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> Verifiers.now(TOKENS.validate(token, role, HUB)));
    assertEquals(401, e.status());
    assertEquals("invalid_token", e.bearerError());
    assertFalse(e.reason().contains(token), "the reason must not echo the token");
    return e;
  }

  private static ProtocolException refused(String token) {
    return refused(token, Role.PUBLISHER);
  }

  private static void refusedClaims(JsonObject claims) {
    refused(token(claims));
  }

  // --- typ

  /** Verifies that a well-formed access token is accepted and read by the draft-08 rules. */
  @Test
  void validToken() {
    MercureClaims c = publisher(token(claims()));
    assertTrue(c.draft08());
    assertEquals("urn:uuid:bb3de268", c.subject());
    assertEquals(Instant.ofEpochSecond(NOW + 60), c.expiresAt());
    assertEquals(List.of(TopicSelector.exact(BOOK1)), c.publish());
    assertEquals(List.of(), c.subscribe());
    assertNull(c.payload());
  }

  /** Verifies that a token without a typ header is refused. */
  @Test
  void typMissing() {
    refused(Tokens.token("ES256", new JsonObject().put("alg", "ES256"), claims()));
  }

  /** Verifies that a token whose typ is not at+jwt (a plain JWT, an ID token, a number) is refused. */
  @ParameterizedTest
  @ValueSource(strings = {"JWT", "jwt", "at+jwt; charset=utf-8", "application/jwt", "text/at+jwt", "at-jwt", ""})
  void typWrong(String typ) {
    refused(Tokens.token("ES256", Tokens.accessHeader("ES256").put("typ", typ), claims()));
    refused(Tokens.token("ES256", Tokens.accessHeader("ES256").put("typ", 1), claims()));
  }

  /** Verifies that application/at+jwt, and any letter case, are accepted as at+jwt (RFC 7515 4.1.9). */
  @ParameterizedTest
  @ValueSource(strings = {"at+jwt", "application/at+jwt", "AT+JWT", "Application/AT+JWT"})
  void typAccepted(String typ) {
    assertTrue(publisher(Tokens.token("ES256", Tokens.accessHeader("ES256").put("typ", typ), claims())).draft08());
  }

  // --- exp, nbf

  /** Verifies that a token without exp is refused (RFC 9068 requires it). */
  @Test
  void expMissing() {
    JsonObject claims = claims();
    claims.remove("exp");
    refusedClaims(claims);
    refusedClaims(claims().putNull("exp"));
  }

  /** Verifies that an expired token is refused, up to the very second of its exp. */
  @Test
  void expired() {
    refusedClaims(claims().put("exp", NOW - 1));
    refusedClaims(claims().put("exp", NOW));
  }

  /** Verifies that a token whose nbf is in the future is refused, and one whose nbf has passed is accepted. */
  @Test
  void nbfInFuture() {
    refusedClaims(claims().put("nbf", NOW + 120));
    assertTrue(publisher(token(claims().put("nbf", NOW - 5))).draft08());
  }

  // --- aud

  /** Verifies that a token without aud is refused. */
  @Test
  void audMissing() {
    JsonObject claims = claims();
    claims.remove("aud");
    refusedClaims(claims);
  }

  /** Verifies that a token for another audience is refused, including a prefix or variant of the hub's identifier. */
  @ParameterizedTest
  @ValueSource(strings = {"https://other.example.com/.well-known/mercure", "https://hub.example.com", HUB + "/", "HTTPS://HUB.EXAMPLE.COM/.well-known/mercure"})
  void audOther(String aud) {
    refusedClaims(claims().put("aud", aud));
    refusedClaims(claims().put("aud", new JsonArray().add(aud)));
  }

  /** Verifies that an aud array containing the resource identifier is accepted, and one holding a non-string is refused. */
  @Test
  void audArray() {
    assertTrue(publisher(token(claims().put("aud", new JsonArray().add("https://other.example").add(HUB)))).draft08());
    refusedClaims(claims().put("aud", new JsonArray()));
    refusedClaims(claims().put("aud", new JsonArray().add(HUB).add(7)));
    refusedClaims(claims().put("aud", new JsonObject().put("aud", HUB)));
  }

  /** Verifies that without a resource identifier no token names the hub. */
  @Test
  void noResourceIdentifier() {
    assertThrows(ProtocolException.class, () -> Verifiers.now(TOKENS.validate(token(claims()), Role.PUBLISHER, null)));
  }

  // --- iss and keys

  /** Verifies that a token without iss, or with a non-string iss, is refused. */
  @Test
  void issMissing() {
    JsonObject claims = claims();
    claims.remove("iss");
    refusedClaims(claims);
    refusedClaims(claims().put("iss", new JsonArray().add(ISSUER_A)));
  }

  /** Verifies that a token from an issuer that is not trusted, or not exactly equal to a trusted one, is refused. */
  @ParameterizedTest
  @ValueSource(strings = {"https://c.example.com", "https://a.example.com/", "HTTPS://A.EXAMPLE.COM", ""})
  void issUnknown(String iss) {
    refusedClaims(claims().put("iss", iss));
  }

  /** Verifies that issuer A's token signed with issuer B's key is refused, and B's token signed with A's key too. */
  @Test
  void issuerAsTokenSignedByIssuerB() {
    String input = Tokens.b64(Tokens.accessHeader("ES256").encode()) + "." + Tokens.b64(claims().encode());
    refused(Tokens.signWith("ES256", B_PAIR.getPrivate(), input, true));
    refusedClaims(claims().put("iss", ISSUER_B));
    String fromB = Tokens.b64(Tokens.accessHeader("ES256").encode()) + "." + Tokens.b64(claims().put("iss", ISSUER_B).encode());
    assertTrue(publisher(Tokens.signWith("ES256", B_PAIR.getPrivate(), fromB, true)).draft08());
  }

  /** Verifies that an issuer's key for one role does not verify tokens presented in the other role. */
  @Test
  void keyOfTheRoleOnly() {
    refused(token(claims()), Role.SUBSCRIBER);
    assertTrue(Verifiers.now(TOKENS.validate(Tokens.access("RS256", claims()), Role.SUBSCRIBER, HUB)).draft08());
    refused(Tokens.access("RS256", claims()), Role.PUBLISHER);
    String fromB = Tokens.b64(Tokens.accessHeader("ES256").encode()) + "." + Tokens.b64(claims().put("iss", ISSUER_B).encode());
    refused(Tokens.signWith("ES256", B_PAIR.getPrivate(), fromB, true), Role.SUBSCRIBER);
  }

  /** Verifies that a token whose alg differs from the issuer key's algorithm is refused, HMAC over the public key included. */
  @Test
  void algMismatch() {
    refused(Tokens.access("ES384", claims()));
    refused(Tokens.access("RS256", claims()));
    String input = Tokens.b64(Tokens.accessHeader("HS256").encode()) + "." + Tokens.b64(claims().encode());
    refused(Tokens.hmac("HS256", Tokens.pair("ES256").getPublic().getEncoded(), input));
    refused(Tokens.hmac("HS256", Tokens.pem(Tokens.pair("ES256").getPublic()).getBytes(StandardCharsets.UTF_8), input));
  }

  /** Verifies that an unsigned token (alg none) is refused, with or without a signature part. */
  @Test
  void algNone() {
    String input = Tokens.b64(Tokens.accessHeader("none").encode()) + "." + Tokens.b64(claims().encode());
    refused(input + ".");
    refused(input + "." + Tokens.token("ES256", claims()).split("\\.")[2]);
  }

  /** Verifies that a key carried in the jwk header is not used: a token signed with it is refused. */
  @Test
  void jwkHeaderNotUsed() {
    KeyPair attacker = ecPair();
    ECPublicKey pub = (ECPublicKey) attacker.getPublic();
    JsonObject jwk = new JsonObject().put("kty", "EC").put("crv", "P-256")
        .put("x", Tokens.enc(unsigned(pub.getW().getAffineX()))).put("y", Tokens.enc(unsigned(pub.getW().getAffineY())));
    String input = Tokens.b64(Tokens.accessHeader("ES256").put("jwk", jwk).encode()) + "." + Tokens.b64(claims().encode());
    refused(Tokens.signWith("ES256", attacker.getPrivate(), input, true));
  }

  /**
   * Verifies that jku, x5u and x5c headers are ignored, never fetched nor used: a token naming an attacker's key set
   * still verifies only with the issuer's key (accepted when the issuer signed it, refused when the attacker did).
   */
  @Test
  void jkuHeaderNotUsed() {
    JsonObject header = Tokens.accessHeader("ES256").put("jku", "https://attacker.example/jwks.json")
        .put("x5u", "https://attacker.example/cert.pem").put("x5c", new JsonArray().add("MIIB")).put("kid", "attacker");
    assertTrue(publisher(Tokens.token("ES256", header, claims())).draft08());
    String input = Tokens.b64(header.encode()) + "." + Tokens.b64(claims().encode());
    refused(Tokens.signWith("ES256", ecPair().getPrivate(), input, true));
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] bytes = n.toByteArray();
    byte[] out = new byte[32];
    System.arraycopy(bytes, Math.max(0, bytes.length - 32), out, Math.max(0, 32 - bytes.length), Math.min(32, bytes.length));
    return out;
  }

  /** Verifies that a tampered signature or a malformed token is refused as invalid_token. */
  @Test
  void tamperedOrMalformed() {
    String t = token(claims());
    refused(t.substring(0, t.length() - 4) + "AAAA");
    refused("not-a-token");
    refused(Tokens.b64(Tokens.accessHeader("ES256").encode()) + ".e30");
  }

  /** Verifies that a non-string sub is refused, and an absent one leaves the subject null. */
  @Test
  void subject() {
    refusedClaims(claims().put("sub", 42));
    JsonObject claims = claims();
    claims.remove("sub");
    assertNull(publisher(token(claims)).subject());
  }

  // --- authorization_details

  /** Verifies that authorization_details that is not an array is refused, and an absent one grants nothing. */
  @Test
  void detailsNotAnArray() {
    refusedClaims(claims().put("authorization_details", detail(List.of("publish"), match(BOOK1))));
    refusedClaims(claims().put("authorization_details", "publish"));
    refusedClaims(withDetails("not an object"));
    JsonObject none = claims();
    none.remove("authorization_details");
    MercureClaims c = publisher(token(none));
    assertEquals(List.of(), c.publish());
    assertEquals(List.of(), c.subscribe());
  }

  /** Verifies that details of another type are ignored, whatever they hold, and grant nothing. */
  @Test
  void wrongTypeIgnored() {
    JsonObject other = new JsonObject().put("type", "https://example.com/payment").put("actions", "all").put("topics", 7);
    JsonObject noType = new JsonObject().put("actions", new JsonArray().add("publish")).put("topics", new JsonArray().add(match("*")));
    JsonObject caseVariant = detail(List.of("publish"), match("*")).put("type", DETAIL.toUpperCase());
    MercureClaims c = publisher(token(withDetails(other, noType, caseVariant, detail(List.of("subscribe"), match(BOOK2)))));
    assertEquals(List.of(), c.publish());
    assertEquals(List.of(TopicSelector.exact(BOOK2)), c.subscribe());
  }

  /** Verifies that a detail without actions, or with an empty or non-array actions, is refused. */
  @Test
  void actionsEmpty() {
    refusedClaims(withDetails(detail(List.of(), match(BOOK1))));
    JsonObject noActions = detail(List.of("publish"), match(BOOK1));
    noActions.remove("actions");
    refusedClaims(withDetails(noActions));
    refusedClaims(withDetails(detail(List.of("publish"), match(BOOK1)).put("actions", "publish")));
  }

  /** Verifies that a non-string action is refused, even beside recognised ones. */
  @Test
  void actionsNonString() {
    refusedClaims(withDetails(detail(List.of("publish"), match(BOOK1)).put("actions", new JsonArray().add("publish").add(1))));
    refusedClaims(withDetails(detail(List.of("publish"), match(BOOK1)).put("actions", new JsonArray().addNull())));
  }

  /** Verifies that unknown actions grant nothing and do not invalidate the token. */
  @Test
  void actionsUnknownOnly() {
    MercureClaims c = publisher(token(withDetails(detail(List.of("admin", "Publish"), match("*")), detail(List.of("manage", "subscribe"), match(BOOK1)))));
    assertEquals(List.of(), c.publish());
    assertEquals(List.of(TopicSelector.exact(BOOK1)), c.subscribe());
  }

  /** Verifies that a detail without topics, or with an empty or non-array topics, is refused. */
  @Test
  void topicsEmpty() {
    refusedClaims(withDetails(detail(List.of("publish"))));
    JsonObject noTopics = detail(List.of("publish"), match(BOOK1));
    noTopics.remove("topics");
    refusedClaims(withDetails(noTopics));
    refusedClaims(withDetails(detail(List.of("publish")).put("topics", match(BOOK1))));
  }

  /** Verifies that a topic matcher that is not an object, or whose match is missing or not a string, is refused. */
  @Test
  void topicsNonObject() {
    refusedClaims(withDetails(detail(List.of("publish")).put("topics", new JsonArray().add(BOOK1))));
    refusedClaims(withDetails(detail(List.of("publish"), new JsonObject().put("match_type", "exact"))));
    refusedClaims(withDetails(detail(List.of("publish"), new JsonObject().put("match", 1))));
    refusedClaims(withDetails(detail(List.of("publish"), new JsonObject().putNull("match"))));
  }

  /** Verifies that an unsupported or non-string match_type rejects the token, even on a wildcard. */
  @ParameterizedTest
  @ValueSource(strings = {"regex", "Exact", "URLPATTERN", "uri_template", ""})
  void topicsUnknownMatchType(String type) {
    refusedClaims(withDetails(detail(List.of("publish"), match(BOOK1).put("match_type", type))));
    refusedClaims(withDetails(detail(List.of("publish"), match("*").put("match_type", type))));
    refusedClaims(withDetails(detail(List.of("publish"), match(BOOK1).putNull("match_type"))));
  }

  /** Verifies that a match value over 4096 UTF-8 bytes is refused, and one of exactly 4096 bytes accepted. */
  @Test
  void topicsOverLongMatch() {
    String prefix = "https://example.com/";
    String exact = prefix + "a".repeat(4096 - prefix.length());
    assertEquals(List.of(TopicSelector.exact(exact)), publisher(token(withDetails(detail(List.of("publish"), match(exact))))).publish());
    refusedClaims(withDetails(detail(List.of("publish"), match(exact + "a"))));
    refusedClaims(withDetails(detail(List.of("publish"), match(prefix + "é".repeat(2040)))));
  }

  /** Verifies that a match value with a C0 or C1 control, DEL, or a format character is refused. */
  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\n", "\r", "\u001f", "\u007f", "\u0085", "\u009f", "\u200b", "\u202e", "\ufeff", "\u00ad"})
  void topicsControlChar(String c) {
    refusedClaims(withDetails(detail(List.of("publish"), match(BOOK1 + c))));
  }

  /** Verifies that a match value with a lone surrogate (not valid UTF-8) is refused, while a supplementary character is accepted. */
  @Test
  void topicsLoneSurrogate() {
    String header = Tokens.b64(Tokens.accessHeader("ES256").encode());
    String claims = claims().encode().replace(BOOK1, BOOK1 + "\\ud800");
    refused(Tokens.sign("ES256", header + "." + Tokens.b64(claims)));
    assertEquals(1, publisher(token(withDetails(detail(List.of("publish"), match(BOOK1 + "\uD83D\uDE00"))))).publish().size());
  }

  /** Verifies that 101 Mercure details are refused, while 100 are accepted and other types do not count. */
  @Test
  void detailsOverLimit() {
    Object[] hundred = IntStream.range(0, 100).mapToObj(i -> detail(List.of("publish"), match(BOOK1 + i))).toArray();
    MercureClaims c = publisher(token(withDetails(hundred)));
    assertEquals(100, c.publish().size());
    JsonArray more = new JsonArray(new ArrayList<>(List.of(hundred))).add(new JsonObject().put("type", "https://example.com/other"));
    assertEquals(100, publisher(token(claims().put("authorization_details", more))).publish().size());
    refusedClaims(claims().put("authorization_details", more.copy().add(detail(List.of("publish"), match(BOOK2)))));
  }

  /** Verifies that a detail with 101 topic matchers is refused, while 100 are accepted. */
  @Test
  void topicsOverLimit() {
    JsonObject[] hundred = IntStream.range(0, 100).mapToObj(i -> match(BOOK1 + i)).toArray(JsonObject[]::new);
    assertEquals(100, publisher(token(withDetails(detail(List.of("publish"), hundred)))).publish().size());
    JsonObject over = detail(List.of("publish"), hundred);
    over.getJsonArray("topics").add(match(BOOK2));
    refusedClaims(withDetails(over));
  }

  /** Verifies that a payload that is not a JSON object is refused, on subscribe and publish details alike. */
  @Test
  void payloadNonObject() {
    refusedClaims(withDetails(detail(List.of("subscribe"), match(BOOK1)).put("payload", "text")));
    refusedClaims(withDetails(detail(List.of("subscribe"), match(BOOK1)).put("payload", new JsonArray().add(1))));
    refusedClaims(withDetails(detail(List.of("subscribe"), match(BOOK1)).putNull("payload")));
    refusedClaims(withDetails(detail(List.of("publish"), match(BOOK1)).put("payload", 3)));
  }

  /** Verifies that one invalid Mercure detail among valid ones rejects the whole token. */
  @Test
  void oneInvalidDetailRejectsAll() {
    JsonObject valid = detail(List.of("publish", "subscribe"), match("*"));
    refusedClaims(withDetails(valid, detail(List.of("subscribe"), match(BOOK1).put("match_type", "regex")), valid));
    refusedClaims(withDetails(valid, detail(List.of("subscribe"), match(BOOK1)).put("actions", new JsonArray().add(true))));
    refusedClaims(withDetails(valid, detail(List.of("subscribe"))));
  }

  // --- grants

  /** Verifies that publish and subscribe actions grant publishing and receiving separately, with exact matching. */
  @Test
  void publishVersusSubscribe() {
    MercureClaims c = publisher(token(withDetails(
        detail(List.of("publish"), match(BOOK1)),
        detail(List.of("subscribe"), match(BOOK2).put("match_type", "exact")))));
    assertTrue(c.mayPublishAll(List.of(BOOK1)));
    assertFalse(c.mayPublishAll(List.of(BOOK2)));
    assertFalse(c.mayPublishAll(List.of(BOOK1, BOOK2)));
    assertTrue(c.mayReceive(List.of(BOOK2)));
    assertFalse(c.mayReceive(List.of(BOOK1)));
    assertTrue(c.mayReceive(List.of(BOOK1, BOOK2)));
  }

  /** Verifies that exact matchers match byte for byte only: no template expansion, no case folding, no prefix. */
  @Test
  void exactGrant() {
    MercureClaims c = publisher(token(withDetails(detail(List.of("publish"), match("https://example.com/books/{id}")))));
    assertTrue(c.mayPublishAll(List.of("https://example.com/books/{id}")));
    assertFalse(c.mayPublishAll(List.of(BOOK1)));
    assertFalse(c.mayPublishAll(List.of("HTTPS://example.com/books/{id}")));
    assertEquals(TopicSelector.exact("https://example.com/books/{id}"), c.publish().get(0));
  }

  /** Verifies that {@code *} matches every topic, with or without a match_type. */
  @Test
  void wildcardGrant() {
    for (JsonObject star : List.of(match("*"), match("*").put("match_type", "exact"), match("*").put("match_type", "urlpattern"))) {
      MercureClaims c = publisher(token(withDetails(detail(List.of("publish", "subscribe"), star))));
      assertTrue(c.mayPublishAll(List.of(BOOK1, "urn:anything", "*")));
      assertTrue(c.mayReceive(List.of("https://elsewhere.example/x")));
    }
  }

  /** Verifies that a detail carrying both actions grants both, and the same topics appear in both lists. */
  @Test
  void bothActions() {
    MercureClaims c = publisher(token(withDetails(detail(List.of("subscribe", "publish"), match(BOOK1), match(BOOK2)))));
    assertEquals(c.publish(), c.subscribe());
    assertEquals(2, c.publish().size());
  }

  /** Verifies that a urlpattern matcher grants the topics its pattern matches, resolved against the hub's URL. */
  @Test
  void urlPatternGrant() {
    MercureClaims c = publisher(token(withDetails(detail(List.of("subscribe"), match("https://example.com/books/:id").put("match_type", "urlpattern")))));
    assertTrue(c.mayReceive(List.of(BOOK1)));
    assertFalse(c.mayReceive(List.of("https://example.com/authors/1")));
    assertEquals(TopicSelector.urlPattern("https://example.com/books/:id", HUB), c.subscribe().get(0));
  }

  /** Verifies that a urlpattern matcher that is not a well-formed URL Pattern rejects the token. */
  @Test
  void urlPatternMalformed() {
    refusedClaims(withDetails(detail(List.of("subscribe"), match("https://example.com/books/(").put("match_type", "urlpattern"))));
  }

  // --- payloads

  /** Verifies that a subscription's payload is that of the first subscribe detail matching its matcher, as in the spec's example. */
  @Test
  void payloadOfFirstMatchingDetail() {
    MercureClaims c = publisher(token(withDetails(
        detail(List.of("publish"), match("*")).put("payload", new JsonObject().put("publish", "ignored")),
        detail(List.of("subscribe"), match("https://example.com/foo")).put("payload", new JsonObject().put("custom1", "foo")),
        detail(List.of("subscribe"), match(BOOK1)),
        detail(List.of("subscribe"), match("*")).put("payload", new JsonObject().put("custom3", "default")))));
    assertEquals(new JsonObject().put("custom1", "foo"), c.payloadFor("https://example.com/foo"));
    assertNull(c.payloadFor(BOOK1), "the first matching detail has no payload: none, not a later one's");
    assertEquals(new JsonObject().put("custom3", "default"), c.payloadFor("https://example.com/bar/:id"));
    assertNull(c.payload());
    assertEquals(3, c.subscribeDetails().size());
  }

  /** Verifies that a urlpattern detail's payload goes to the subscription whose matcher string is that pattern. */
  @Test
  void payloadOfUrlPatternDetail() {
    MercureClaims c = publisher(token(withDetails(
        detail(List.of("subscribe"), match("https://example.com/bar/:id").put("match_type", "urlpattern")).put("payload", new JsonObject().put("custom2", "bar")))));
    assertEquals(new JsonObject().put("custom2", "bar"), c.payloadFor("https://example.com/bar/:id"));
    assertNull(c.payloadFor("https://example.com/baz"));
  }

  /** Verifies that classic claims keep their single payload for every subscription and record sub. */
  @Test
  void classicPayloadAndSubject() {
    MercureClaims c = MercureClaims.of(new VerifiedToken(new JsonObject("{\"sub\":\"u1\",\"mercure\":{\"payload\":{\"a\":1}}}"), null));
    assertFalse(c.draft08());
    assertEquals("u1", c.subject());
    assertEquals(new JsonObject().put("a", 1), c.payloadFor("anything"));
    assertNull(MercureClaims.of(new VerifiedToken(new JsonObject("{\"sub\":7}"), null)).subject());
    assertFalse(MercureClaims.ANONYMOUS.draft08());
  }

  // --- issuers

  /** Verifies that an issuer needs an identifier and a key, that each role has its key, and that duplicates are refused. */
  @Test
  void trustedIssuers() {
    assertThrows(IllegalArgumentException.class, () -> TrustedIssuer.of("", Verifiers.key("HS256"), null));
    assertThrows(IllegalArgumentException.class, () -> TrustedIssuer.of("urn:a", null, null));
    TrustedIssuer a = ISSUERS.get(1);
    assertNull(a.keysFor(Role.SUBSCRIBER));
    assertEquals("ES256", a.keysFor(Role.PUBLISHER).key().algorithm());
    assertThrows(IllegalArgumentException.class, () -> new AccessTokens(List.of(ISSUERS.get(0), ISSUERS.get(0)), Verifiers::verifier));
    assertFalse(ISSUERS.get(0).toString().contains("BEGIN"), ISSUERS.get(0).toString());
  }
}
