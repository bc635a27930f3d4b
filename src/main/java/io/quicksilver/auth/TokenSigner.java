package io.quicksilver.auth;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;

/**
 * Signs the tokens the hub mints (the {@code token} command, the demo's cookies and sessions) with vertx-auth-jwt:
 * an HMAC secret, or an RSA or EC private key (PKCS#8 PEM, {@code -----BEGIN PRIVATE KEY-----}). Thread-safe.
 */
public final class TokenSigner {

  private final JWTAuth provider;
  private final PubSecKeyOptions key;
  private final String kid;

  private TokenSigner(Vertx vertx, PubSecKeyOptions key, String kid) {
    this.key = key.setId(kid);
    this.kid = kid;
    this.provider = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key));
  }

  /**
   * A signer with an HMAC secret.
   *
   * @throws IllegalArgumentException when the key is not an HMAC secret (public keys cannot sign)
   */
  public static TokenSigner of(Vertx vertx, JwtKey key) {
    if (!key.isHmac()) {
      throw new IllegalArgumentException("a " + key.algorithm() + " public key cannot sign; give the private key");
    }
    return new TokenSigner(vertx, key.options(), null);
  }

  /**
   * A signer with a key given as text: an HMAC secret for HS algorithms, a PKCS#8 PEM private key for RS and ES.
   *
   * @param kid the key id written in the header, or null
   * @throws IllegalArgumentException when the key does not fit the algorithm or cannot sign
   */
  public static TokenSigner of(Vertx vertx, String algorithm, String material, String kid) {
    if (!JwtKey.ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException("unsupported JWT algorithm \"" + algorithm + "\"");
    }
    PubSecKeyOptions options = new PubSecKeyOptions().setAlgorithm(algorithm)
        .setBuffer(Buffer.buffer(material.getBytes(StandardCharsets.UTF_8)));
    if (!algorithm.startsWith("HS") && !hasPrivateKey(options)) {
      throw new IllegalArgumentException("the key is not a PKCS#8 PEM private key for " + algorithm
          + " (-----BEGIN PRIVATE KEY-----; RSA of at least " + JwtKey.MIN_RSA_BITS + " bits, or EC on the algorithm's curve)");
    }
    return new TokenSigner(vertx, options, kid);
  }

  /** Whether the PEM holds a private key of the algorithm's type, size and curve. */
  private static boolean hasPrivateKey(PubSecKeyOptions pem) {
    java.security.PrivateKey key;
    try {
      key = VertxJose.privateKey(pem);
    } catch (RuntimeException e) {
      return false;
    }
    if (key instanceof java.security.interfaces.RSAPrivateKey rsa) {
      return pem.getAlgorithm().startsWith("RS") && rsa.getModulus().bitLength() >= JwtKey.MIN_RSA_BITS;
    }
    return key instanceof java.security.interfaces.ECPrivateKey ec && pem.getAlgorithm().startsWith("ES")
        && ec.getParams().getCurve().getField().getFieldSize() == JwtKey.curveBits(pem.getAlgorithm());
  }

  /** The algorithm tokens are signed with. */
  public String algorithm() {
    return key.getAlgorithm();
  }

  /** A compact JWS of the claims, header {@code {"typ":"JWT","alg":…}} (and {@code kid} when set). */
  public String sign(JsonObject claims) {
    return provider.generateToken(claims.copy(), new JWTOptions().setAlgorithm(key.getAlgorithm()).setNoTimestamp(true));
  }

  /** A compact JWS of the claims with this {@code typ} header ({@code at+jwt} for draft-08 access tokens). */
  public String sign(String typ, JsonObject claims) {
    if (typ.equals("JWT")) {
      return sign(claims);
    }
    JsonObject header = new JsonObject().put("alg", key.getAlgorithm()).put("typ", typ);
    if (kid != null) {
      header.put("kid", kid);
    }
    return VertxJose.sign(key, header, claims);
  }

  @Override
  public String toString() {
    return "TokenSigner[" + key.getAlgorithm() + "]"; // never the key
  }
}
