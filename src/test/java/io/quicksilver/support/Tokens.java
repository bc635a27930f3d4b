package io.quicksilver.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints JWS tokens for tests, independently of the hub's own code. */
public final class Tokens {

  private Tokens() {
  }

  /** A publisher token (test key) allowed to publish to these selectors. */
  public static String publisher(String... selectors) {
    return hs256(TestHub.PUBLISHER_KEY, new JsonObject().put("mercure", new JsonObject().put("publish", new JsonArray(List.of(selectors)))));
  }

  /** A subscriber token (test key) allowed to receive private updates of these selectors. */
  public static String subscriber(String... selectors) {
    return hs256(TestHub.SUBSCRIBER_KEY, new JsonObject().put("mercure", new JsonObject().put("subscribe", new JsonArray(List.of(selectors)))));
  }

  /** HS256 over the claims, header {@code {"alg":"HS256","typ":"JWT"}}. */
  public static String hs256(String secret, JsonObject claims) {
    return hmac("HS256", secret, new JsonObject().put("alg", "HS256").put("typ", "JWT"), claims);
  }

  /** An HMAC token with any header (the header's alg is not checked here). */
  public static String hmac(String alg, String secret, JsonObject header, JsonObject claims) {
    String input = b64(header.encode()) + "." + b64(claims.encode());
    try {
      String jca = "HmacSHA" + alg.substring(2);
      Mac mac = Mac.getInstance(jca);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), jca));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A draft-08 access token: HS256 over the claims, header {@code {"alg":"HS256","typ":"at+jwt"}}. */
  public static String accessToken(String secret, JsonObject claims) {
    return hmac("HS256", secret, new JsonObject().put("alg", "HS256").put("typ", "at+jwt"), claims);
  }

  /**
   * A draft-08 access token (test keys) with one Mercure authorization detail: {@code action} on topics matching
   * {@code match} (exact), valid for five minutes, for the hub whose resource identifier is {@code audience}.
   */
  public static String accessToken(String issuer, String audience, String action, String match) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject detail = new JsonObject().put("type", "https://mercure.rocks/authorization-detail")
        .put("actions", new JsonArray().add(action)).put("topics", new JsonArray().add(new JsonObject().put("match", match)));
    return accessToken(action.equals("publish") ? TestHub.PUBLISHER_KEY : TestHub.SUBSCRIBER_KEY, new JsonObject()
        .put("iss", issuer).put("aud", audience).put("sub", "urn:uuid:" + java.util.UUID.randomUUID()).put("client_id", issuer)
        .put("iat", now).put("exp", now + 300).put("jti", "urn:uuid:" + java.util.UUID.randomUUID())
        .put("authorization_details", new JsonArray().add(detail)));
  }

  /** A draft-08 access token signed with an RSA or EC key, header {@code {"alg":…,"typ":"at+jwt"}}. */
  public static String signedAccessToken(String alg, PrivateKey key, JsonObject claims) {
    return signed(alg, "at+jwt", key, claims);
  }

  /** An RSA or EC signed token ({@code RS256}, {@code ES256}, ...). */
  public static String signed(String alg, PrivateKey key, JsonObject claims) {
    return signed(alg, "JWT", key, claims);
  }

  private static String signed(String alg, String typ, PrivateKey key, JsonObject claims) {
    String input = b64(new JsonObject().put("alg", alg).put("typ", typ).encode()) + "." + b64(claims.encode());
    try {
      String bits = alg.substring(2);
      Signature s = Signature.getInstance(alg.startsWith("RS") ? "SHA" + bits + "withRSA" : "SHA" + bits + "withECDSAinP1363Format");
      s.initSign(key);
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}). */
  public static String none(JsonObject claims) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "." + b64(claims.encode()) + ".";
  }

  public static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
