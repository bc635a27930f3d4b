package io.quicksilver.auth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.impl.jose.JWS;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

/**
 * The one class that uses vertx-auth's JOSE implementation directly, for what {@code JWTAuth} does not offer:
 * checking a JWK before it goes into a provider (a provider silently drops a key it cannot read, and one left
 * without keys accepts unsigned tokens), signing with a {@code typ} other than {@code JWT} ({@code JWTAuth}
 * always writes {@code typ: JWT}; access tokens need {@code at+jwt}), and reading a PEM key.
 */
final class VertxJose {

  private VertxJose() {
  }

  /** Whether vertx-auth reads this JWK as a public verification key. */
  static boolean usableJwk(JsonObject jwk) {
    try {
      JWK key = new JWK(jwk);
      return key.publicKey() != null && (key.use() == null || "sig".equals(key.use()));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * A compact JWS of the claims, with this header (its {@code alg} must be the key's), signed by vertx-auth.
   *
   * @throws IllegalArgumentException when the key cannot sign
   */
  static String sign(PubSecKeyOptions key, JsonObject header, JsonObject claims) {
    JWS jws;
    try {
      jws = new JWS(new JWK(key));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the " + key.getAlgorithm() + " key cannot sign");
    }
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    try {
      return input + "." + b64.encodeToString(jws.sign(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the " + key.getAlgorithm() + " key cannot sign (a private key is needed)");
    }
  }

  /** The public key of a PEM public key, or null when the PEM holds none. */
  static PublicKey publicKey(PubSecKeyOptions pem) {
    return new JWK(pem).publicKey();
  }

  /** The private key of a PEM private key, or null when the PEM holds none. */
  static PrivateKey privateKey(PubSecKeyOptions pem) {
    return new JWK(pem).privateKey();
  }
}
