package io.quicksilver.auth;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.auth.PubSecKeyOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * A static verification key bound to exactly one JWS algorithm, checked once at start-up; vertx-auth-jwt does
 * the cryptography with it ({@link #options()}).
 *
 * <p>HMAC keys are the raw UTF-8 secret; RSA and EC keys are SPKI PEM ({@code -----BEGIN PUBLIC KEY-----}).
 * A token is accepted only when its {@code alg} header equals this key's algorithm, which rules out
 * {@code none} and the "HS256 signed with the public key" confusion (CWE-327, CWE-347). For the same reason a
 * secret that looks like a PEM public key is refused with an HMAC algorithm: it is almost certainly a public
 * key configured with the wrong algorithm, and whoever holds the public key could then sign tokens. RSA keys
 * need at least {@value #MIN_RSA_BITS} bits (RFC 7518 3.3); EC keys the curve of their algorithm.
 *
 * @param algorithm the JWS algorithm name, e.g. {@code HS256}
 * @param material  the HMAC secret, or the SPKI PEM text of the public key
 */
public record JwtKey(String algorithm, String material) {

  /** The algorithms the hub accepts. */
  public static final Set<String> ALGORITHMS = Set.of(
      "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512");

  /** The smallest HMAC secret accepted without a warning, in bytes (RFC 7518 3.2 asks for at least the hash size). */
  public static final int MIN_HMAC_BYTES = 32;

  /** The smallest RSA modulus accepted (RFC 7518 3.3). */
  public static final int MIN_RSA_BITS = 2048;

  /**
   * Builds a key from configuration text.
   *
   * @throws IllegalArgumentException with a message that never contains the key material
   */
  public static JwtKey parse(String algorithm, String material) {
    if (algorithm == null || !ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException("unsupported JWT algorithm \"" + algorithm + "\" (one of " + String.join(", ", ALGORITHMS.stream().sorted().toList()) + ")");
    }
    if (material == null || material.isEmpty()) {
      throw new IllegalArgumentException("the JWT key is empty");
    }
    if (algorithm.startsWith("HS")) {
      if (material.contains("-----BEGIN ")) {
        throw new IllegalArgumentException("the " + algorithm + " secret is a PEM key: a public key needs an RS or ES algorithm"
            + " (set the matching *_JWT_ALG)");
      }
      return new JwtKey(algorithm, material);
    }
    checkPublicKey(algorithm, material);
    return new JwtKey(algorithm, material);
  }

  /** Whether this is an HMAC secret shorter than {@link #MIN_HMAC_BYTES} (accepted, for compatibility, but worth a warning). */
  public boolean weak() {
    return isHmac() && material.getBytes(StandardCharsets.UTF_8).length < MIN_HMAC_BYTES;
  }

  /** Whether this is an HMAC secret (which can also sign). */
  public boolean isHmac() {
    return algorithm.startsWith("HS");
  }

  /** The key as vertx-auth takes it: the raw secret bytes, or the PEM text. */
  public PubSecKeyOptions options() {
    return new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(Buffer.buffer(material.getBytes(StandardCharsets.UTF_8)));
  }

  /** Checks that the PEM is an SPKI public key of the algorithm's type and size; the key itself is built by vertx-auth. */
  private static void checkPublicKey(String algorithm, String material) {
    String text = material.trim();
    if (!text.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new IllegalArgumentException("the key is not a valid " + algorithm
          + " public key: expected an SPKI PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    String body = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
    java.security.PublicKey key;
    try {
      X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(body));
      key = KeyFactory.getInstance(algorithm.startsWith("RS") ? "RSA" : "EC").generatePublic(spec);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the key is not a valid " + algorithm + " public key (SPKI PEM, -----BEGIN PUBLIC KEY-----)");
    }
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new IllegalArgumentException("the RSA key has " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
      }
    } else if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits != curveBits(algorithm)) {
        throw new IllegalArgumentException("the EC key's curve (" + bits + " bits) does not fit " + algorithm);
      }
    }
  }

  /** The field size of the curve an ES algorithm uses (RFC 7518 3.4). */
  static int curveBits(String algorithm) {
    return switch (algorithm) {
      case "ES256" -> 256;
      case "ES384" -> 384;
      default -> 521;
    };
  }

  @Override
  public String toString() {
    return "JwtKey[" + algorithm + "]"; // never the material
  }
}
