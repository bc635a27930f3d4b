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
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;



/**
 * JWS verification (RFC 7515/7519) against one configured key: {@link TokenFormat}'s checks, then vertx-auth-jwt's.
 * Time claims are checked against the system clock (vertx-auth-jwt reads it), so the cases keep a margin.
 */
class TokenVerifierTest {

  private static final long NOW = Instant.now().getEpochSecond();

  private static TokenVerifier verifier(String alg) {
    return Verifiers.verifier(alg);
  }

  private static JsonObject claims() {
    return new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray().add("*")));
  }

  private static ProtocolException refused(TokenVerifier verifier, String token) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> Verifiers.now(verifier.verify(token)));
    assertEquals(401, e.status());
    if (token.length() > 8) {
      assertFalse(e.reason().contains(token), "the reason must not echo the token");
    }
    for (String raw : List.of("Exception", "algorithm [", "JWT", "expired", "null")) {
      assertFalse(e.reason().contains(raw), () -> "vertx-auth's own text must not reach the reason: " + e.reason());
    }
    return e;
  }

  private static VerifiedToken accepted(TokenVerifier verifier, String token) {
    return Verifiers.now(verifier.verify(token));
  }

  /** Verifies that a well-signed token is accepted for every supported algorithm and its claims are returned. */
  @ParameterizedTest
  @ValueSource(strings = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"})
  void validTokenVerifies(String alg) {
    VerifiedToken t = accepted(verifier(alg), Tokens.token(alg, claims().put("exp", NOW + 60)));
    assertEquals("*", t.claims().getJsonObject("mercure").getJsonArray("publish").getString(0));
    assertEquals(Instant.ofEpochSecond(NOW + 60), t.expiresAt());
  }

  /** Verifies that changing the claims after signing invalidates the token for every algorithm. */
  @ParameterizedTest
  @ValueSource(strings = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"})
  void tamperedClaimsRefused(String alg) {
    String[] parts = Tokens.token(alg, claims()).split("\\.");
    String forged = parts[0] + "." + Tokens.b64(claims().put("admin", true).encode()) + "." + parts[2];
    refused(verifier(alg), forged);
  }

  /** Verifies that a corrupted signature is refused for every algorithm. */
  @ParameterizedTest
  @ValueSource(strings = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"})
  void corruptedSignatureRefused(String alg) {
    String token = Tokens.token(alg, claims());
    int dot = token.lastIndexOf('.');
    byte[] sig = java.util.Base64.getUrlDecoder().decode(token.substring(dot + 1));
    sig[sig.length / 2] ^= 1;
    refused(verifier(alg), token.substring(0, dot + 1) + Tokens.enc(sig));
    refused(verifier(alg), token.substring(0, dot + 1));
  }

  /** Verifies that a token whose alg differs from the configured one is refused, even when correctly signed for its own alg. */
  @ParameterizedTest
  @CsvSource({"HS256,HS384", "HS256,HS512", "HS384,HS256", "HS512,HS256", "RS256,RS384", "RS256,RS512", "RS512,RS256",
      "ES256,ES384", "ES384,ES256", "RS256,ES256", "ES256,RS256", "HS256,RS256", "RS256,HS256", "ES256,HS256"})
  void algorithmMismatchRefused(String configured, String tokenAlg) {
    refused(verifier(configured), Tokens.token(tokenAlg, claims()));
  }

  /** Verifies that a header alg other than the configured one is refused even when the signature fits the configured alg. */
  @Test
  void headerAlgMustEqualConfigured() {
    String input = Tokens.b64(new JsonObject().put("alg", "HS256").encode()) + "." + Tokens.b64(claims().encode());
    refused(verifier("HS384"), Tokens.hmac("HS384", Tokens.SECRET.getBytes(StandardCharsets.UTF_8), input));
  }

  /** Verifies that unsigned tokens ({@code alg: none}, any spelling) and headers without a string alg are refused. */
  @ParameterizedTest
  @ValueSource(strings = {"{\"alg\":\"none\"}", "{\"alg\":\"None\"}", "{\"alg\":\"NONE\"}", "{\"alg\":\"none\",\"typ\":\"JWT\"}",
      "{}", "{\"alg\":null}", "{\"alg\":256}", "{\"alg\":[\"HS256\"]}", "{\"alg\":\"hs256\"}", "{\"alg\":\"HS256 \"}"})
  void unsignedOrMissingAlgRefused(String header) {
    String unsigned = Tokens.b64(header) + "." + Tokens.b64(claims().encode()) + ".";
    for (String alg : List.of("HS256", "RS256", "ES256")) {
      refused(verifier(alg), unsigned);
    }
    // and with a signature that would be valid for the configured HS256 key
    refused(verifier("HS256"), Tokens.hmac("HS256", Tokens.SECRET.getBytes(StandardCharsets.UTF_8),
        Tokens.b64(header) + "." + Tokens.b64(claims().encode())));
  }

  /** Verifies that an HS256 token signed with the RSA public key's PEM text as HMAC secret is refused when RS256 is configured. */
  @Test
  void keyConfusionRefused() {
    String pem = Tokens.pem(Tokens.pair("RS256").getPublic());
    TokenVerifier rs = Verifiers.verifier(JwtKey.parse("RS256", pem));
    for (String text : List.of(pem, pem.trim())) {
      byte[] secret = text.getBytes(StandardCharsets.US_ASCII);
      String hs = Tokens.b64(new JsonObject().put("alg", "HS256").put("typ", "JWT").encode()) + "." + Tokens.b64(claims().encode());
      refused(rs, Tokens.hmac("HS256", secret, hs));
      String rsHeader = Tokens.b64(new JsonObject().put("alg", "RS256").put("typ", "JWT").encode()) + "." + Tokens.b64(claims().encode());
      refused(rs, Tokens.hmac("HS256", secret, rsHeader));
    }
  }

  /** Verifies that a token signed by another key of the right type is refused, even if its header names that key. */
  @Test
  void otherKeyRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    var attacker = g.generateKeyPair();
    JsonObject header = new JsonObject().put("alg", "ES256").put("jwk", new JsonObject().put("kty", "EC"))
        .put("x5u", "https://attacker.example/key");
    String input = Tokens.b64(header.encode()) + "." + Tokens.b64(claims().encode());
    refused(verifier("ES256"), Tokens.signWith("ES256", attacker.getPrivate(), input, true));
    refused(verifier("HS256"), Tokens.hmac("HS256", "another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8),
        Tokens.b64(new JsonObject().put("alg", "HS256").encode()) + "." + Tokens.b64(claims().encode())));
  }

  /** Verifies that an ECDSA signature in DER form (not the JWS R||S form) is refused. */
  @ParameterizedTest
  @ValueSource(strings = {"ES256", "ES384", "ES512"})
  void derEcdsaSignatureRefused(String alg) {
    String input = Tokens.b64(new JsonObject().put("alg", alg).encode()) + "." + Tokens.b64(claims().encode());
    refused(verifier(alg), Tokens.signWith(alg, Tokens.pair(alg).getPrivate(), input, false));
  }

  /** Claims (as JSON) → whether the token is accepted now. */
  static Stream<Arguments> timeClaims() {
    return Stream.of(
        Arguments.of("{}", true),
        Arguments.of("{\"exp\":" + (NOW + 60) + "}", true),
        Arguments.of("{\"exp\":" + (NOW + 60) + ".5}", true),
        Arguments.of("{\"exp\":" + NOW + "}", false),
        Arguments.of("{\"exp\":" + (NOW - 1) + "}", false),
        Arguments.of("{\"exp\":" + (NOW - 1) + ".5}", false),
        Arguments.of("{\"exp\":0}", false),
        Arguments.of("{\"exp\":1e300}", false),
        Arguments.of("{\"exp\":-1e300}", false),
        Arguments.of("{\"exp\":\"" + (NOW + 60) + "\"}", false),
        Arguments.of("{\"exp\":null}", false),
        Arguments.of("{\"exp\":true}", false),
        Arguments.of("{\"exp\":[" + (NOW + 60) + "]}", false),
        Arguments.of("{\"nbf\":" + (NOW + 60) + "}", false),
        Arguments.of("{\"nbf\":" + (NOW - 1) + "}", true),
        Arguments.of("{\"nbf\":" + (NOW - 60) + ",\"exp\":" + (NOW + 60) + "}", true),
        Arguments.of("{\"nbf\":" + (NOW + 30) + ",\"exp\":" + (NOW + 60) + "}", false),
        Arguments.of("{\"nbf\":\"0\"}", false),
        Arguments.of("{\"nbf\":null}", false),
        // vertx-auth-jwt refuses an iat in the future (beyond the leeway); the hub's verifier used to ignore iat
        Arguments.of("{\"iat\":" + (NOW + 3600) + "}", false),
        Arguments.of("{\"iat\":" + (NOW - 60) + "}", true),
        Arguments.of("{\"iat\":null}", false),
        Arguments.of("{\"iat\":\"yesterday\"}", false));
  }

  /** Verifies that exp (fractional allowed, absent = no expiry) must be in the future, nbf and iat in the past, all numbers. */
  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("timeClaims")
  void timeClaimsChecked(String claimsJson, boolean accepted) {
    String token = Tokens.token("HS256", new JsonObject(claimsJson));
    if (accepted) {
      accepted(verifier("HS256"), token);
    } else {
      refused(verifier("HS256"), token);
    }
  }

  /** Verifies that expiresAt is the exp instant with its fraction, and null when the token has no exp. */
  @Test
  void expiresAt() {
    assertNull(accepted(verifier("HS256"), Tokens.token("HS256", claims())).expiresAt());
    assertEquals(Instant.ofEpochSecond(NOW + 60, 500_000_000),
        accepted(verifier("HS256"), Tokens.token("HS256", new JsonObject("{\"exp\":" + (NOW + 60) + ".5}"))).expiresAt());
  }

  /** Verifies that the leeway lets exp, nbf and iat be off by that much, and no more. */
  @Test
  void leeway() {
    TokenVerifier lenient = new TokenVerifier(new StaticKeys(Verifiers.vertx(), Verifiers.key("HS256"), java.time.Duration.ofSeconds(120)));
    accepted(lenient, Tokens.token("HS256", new JsonObject().put("exp", NOW - 60)));
    accepted(lenient, Tokens.token("HS256", new JsonObject().put("nbf", NOW + 60)));
    accepted(lenient, Tokens.token("HS256", new JsonObject().put("iat", NOW + 60)));
    refused(lenient, Tokens.token("HS256", new JsonObject().put("exp", NOW - 180)));
    refused(lenient, Tokens.token("HS256", new JsonObject().put("nbf", NOW + 180)));
  }

  /** Verifies that base64url with padding, another alphabet or non-zero trailing bits is refused: a token has one spelling. */
  @Test
  void nonCanonicalBase64Refused() {
    String token = Tokens.token("HS256", claims());
    String[] parts = token.split("\\.");
    // flip the unused low bits of the last character of each part that has some
    for (int i = 0; i < 3; i++) {
      String part = parts[i];
      if (part.length() % 4 == 0) {
        continue;
      }
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      int last = alphabet.indexOf(part.charAt(part.length() - 1));
      // the lowest bit of the last character is always a spare bit when the length is 2 or 3 modulo 4
      String bent = part.substring(0, part.length() - 1) + alphabet.charAt(last ^ 1);
      String[] copy = parts.clone();
      copy[i] = bent;
      refused(verifier("HS256"), String.join(".", copy));
      copy[i] = part + (part.length() % 4 == 2 ? "==" : "=");
      refused(verifier("HS256"), String.join(".", copy));
    }
  }

  /** Verifies that a token longer than 64 KiB is refused before anything else. */
  @Test
  void oversizedTokenRefused() {
    String big = Tokens.token("HS256", claims().put("pad", "x".repeat(64 * 1024)));
    refused(verifier("HS256"), big);
  }

  /** Verifies that a token with a crit header parameter is refused, whatever it lists. */
  @ParameterizedTest
  @ValueSource(strings = {"[\"exp\"]", "[]", "[\"b64\"]", "null"})
  void critHeaderRefused(String crit) {
    JsonObject header = new JsonObject("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"crit\":" + crit + "}");
    refused(verifier("HS256"), Tokens.token("HS256", header, claims()));
  }

  /** Verifies that headers without typ, or with other typ values and extra parameters, are accepted. */
  @ParameterizedTest
  @ValueSource(strings = {"{\"alg\":\"HS256\"}", "{\"typ\":\"JWT\",\"alg\":\"HS256\"}", "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}",
      "{\"alg\":\"HS256\",\"kid\":\"k1\",\"cty\":\"x\"}"})
  void headerVariantsAccepted(String header) {
    accepted(verifier("HS256"), Tokens.token("HS256", new JsonObject(header), claims()));
  }

  private static String signedParts(String headerPart, String claimsPart) {
    return Tokens.sign("HS256", headerPart + "." + claimsPart);
  }

  /** Malformed tokens. */
  static Stream<String> malformed() {
    String h = Tokens.b64("{\"alg\":\"HS256\"}");
    String c = Tokens.b64(claims().encode());
    String valid = signedParts(h, c);
    String sig = valid.substring(valid.lastIndexOf('.') + 1);
    return Stream.of(
        "",
        "abc",
        h + "." + c,
        valid + ".x",
        valid + ".",
        "." + c + "." + sig,
        h + ".." + sig,
        "!!!." + c + "." + sig,
        h + "." + c + ".!!!",
        h + "." + c + "." + sig + "=====",
        "a." + c + "." + sig,
        Tokens.b64("not json") + "." + c + "." + sig,
        Tokens.b64("[\"alg\",\"HS256\"]") + "." + c + "." + sig,
        Tokens.b64("null") + "." + c + "." + sig,
        Tokens.b64("\"HS256\"") + "." + c + "." + sig,
        signedParts(h, "!!!"),
        signedParts(h, Tokens.b64("not json")),
        signedParts(h, Tokens.b64("[1,2]")),
        signedParts(h, Tokens.b64("null")),
        signedParts(h, Tokens.b64("42")),
        signedParts(h, ""),
        " " + valid,
        valid.replace('-', '+').replace('_', '/') + (valid.contains("-") || valid.contains("_") ? "" : "+"));
  }

  /** Verifies that malformed tokens (wrong part count, bad base64, non-JSON or non-object parts) are refused with 401. */
  @ParameterizedTest
  @MethodSource("malformed")
  void malformedRefused(String token) {
    refused(verifier("HS256"), token);
  }

  /** Verifies that a token minted by Symfony verifies with its HS256 key and grants publish ["*"] and subscribe []. */
  @Test
  void symfonyToken() {
    String token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJtZXJjdXJlIjp7InB1Ymxpc2giOlsiKiJdLCJzdWJzY3JpYmUiOltdfX0"
        + ".ZTK3JhEKO1338LAgRMw6j0lkGRMoaZtU4EtGiAylAns";
    TokenVerifier v = Verifiers.verifier(JwtKey.parse("HS256", "looooooooooooongenoughtestsecret"));
    VerifiedToken verified = accepted(v, token);
    assertNull(verified.expiresAt());
    MercureClaims claims = MercureClaims.of(verified);
    assertEquals(List.of(TopicSelector.of("*")), claims.publish());
    assertEquals(List.of(), claims.subscribe());
    assertTrue(claims.mayPublishAll(List.of("https://example.com/books/1")));
    assertFalse(claims.mayReceive(List.of("https://example.com/books/1")));
    refused(Verifiers.verifier(JwtKey.parse("HS256", "looooooooooooongenoughtestsecreT")), token);
  }
}
