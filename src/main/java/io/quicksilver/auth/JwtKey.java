package io.quicksilver.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * A verification key bound to exactly one JWS algorithm.
 *
 * <p>HMAC keys are the raw UTF-8 secret; RSA and EC keys are SPKI PEM ({@code -----BEGIN PUBLIC KEY-----}).
 * A token is accepted only when its {@code alg} header equals this key's algorithm, which rules out
 * {@code none} and the "HS256 signed with the public key" confusion (CWE-327, CWE-347).
 *
 * @param algorithm the JWS algorithm name, e.g. {@code HS256}
 * @param key       the JCA key used to verify (and, for HMAC, to sign)
 */
public record JwtKey(String algorithm, Key key) {

  /** The algorithms the hub accepts. */
  public static final Set<String> ALGORITHMS = Set.of(
      "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512");

  /** The smallest HMAC secret accepted, in bytes (RFC 7518 3.2 asks for at least the hash size; 256 bits for HS256). */
  public static final int MIN_HMAC_BYTES = 32;

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
    try {
      return switch (algorithm.substring(0, 2)) {
        case "HS" -> {
          byte[] secret = material.getBytes(StandardCharsets.UTF_8);
          yield new JwtKey(algorithm, new SecretKeySpec(secret, hmacName(algorithm)));
        }
        case "RS" -> new JwtKey(algorithm, KeyFactory.getInstance("RSA").generatePublic(spki(material)));
        case "ES" -> {
          ECPublicKey ec = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spki(material));
          int bits = ec.getParams().getCurve().getField().getFieldSize();
          int expected = switch (algorithm) {
            case "ES256" -> 256;
            case "ES384" -> 384;
            default -> 521;
          };
          if (bits != expected) {
            throw new IllegalArgumentException("the EC key's curve (" + bits + " bits) does not fit " + algorithm);
          }
          yield new JwtKey(algorithm, ec);
        }
        default -> throw new IllegalArgumentException("unsupported JWT algorithm \"" + algorithm + "\"");
      };
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("the key is not a valid " + algorithm + " public key (SPKI PEM, -----BEGIN PUBLIC KEY-----)");
    }
  }

  /** Whether this is an HMAC secret shorter than {@link #MIN_HMAC_BYTES} (accepted, for compatibility, but worth a warning). */
  public boolean weak() {
    return algorithm.startsWith("HS") && key.getEncoded().length < MIN_HMAC_BYTES;
  }

  static String hmacName(String algorithm) {
    return "Hmac" + "SHA" + algorithm.substring(2);
  }

  private static X509EncodedKeySpec spki(String pem) {
    String text = pem.trim();
    if (!text.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new IllegalArgumentException("expected an SPKI PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    String body = text
        .replace("-----BEGIN PUBLIC KEY-----", "")
        .replace("-----END PUBLIC KEY-----", "")
        .replaceAll("\\s", "");
    try {
      return new X509EncodedKeySpec(Base64.getDecoder().decode(body));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM public key is not valid base64");
    }
  }

  @Override
  public String toString() {
    return "JwtKey[" + algorithm + "]"; // never the material
  }
}
