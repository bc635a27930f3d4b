package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;

/**
 * Verifies compact JWS tokens (RFC 7515/7519) against one configured key.
 *
 * <p>Checks, in order: three base64url parts; a JSON header whose {@code alg} equals the configured
 * algorithm and that has no {@code crit} (keys named in the token, {@code jwk}/{@code jku}/{@code x5u},
 * are never used); the signature; a JSON claims set; {@code exp} (number, fractional allowed; absent =
 * no expiry) in the future; {@code nbf} (if any) in the past. Thread-safe.
 */
public final class JwtVerifier {

  private final JwtKey key;
  private final Clock clock;

  public JwtVerifier(JwtKey key, Clock clock) {
    this.key = key;
    this.clock = clock;
  }

  /** The configured key. */
  public JwtKey key() {
    return key;
  }

  /**
   * Verifies a token.
   *
   * @throws ProtocolException 401 with a reason that never contains the token
   */
  public VerifiedToken verify(String token) {
    int dot1 = token.indexOf('.');
    int dot2 = secondDot(token, dot1);
    JsonObject header = json(token.substring(0, dot1));
    Object alg = header.getValue("alg");
    if (!key.algorithm().equals(alg)) {
      throw invalid("token algorithm does not match the configured one");
    }
    if (header.containsKey("crit")) {
      throw invalid("token has unsupported critical header parameters");
    }
    byte[] signingInput = token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII);
    byte[] signature = base64(token.substring(dot2 + 1));
    if (!signatureValid(signingInput, signature)) {
      throw invalid("invalid token signature");
    }
    JsonObject claims = json(token.substring(dot1 + 1, dot2));
    Instant now = clock.instant();
    Instant exp = timeClaim(claims, "exp");
    if (exp != null && !now.isBefore(exp)) {
      throw invalid("token expired");
    }
    Instant nbf = timeClaim(claims, "nbf");
    if (nbf != null && now.isBefore(nbf)) {
      throw invalid("token not valid yet");
    }
    return new VerifiedToken(claims, exp);
  }

  /**
   * A token's header and claims set, decoded without checking anything but their syntax.
   *
   * @param header the JOSE header
   * @param claims the claims set
   */
  record Decoded(JsonObject header, JsonObject claims) {
  }

  /**
   * Decodes a token without verifying it: only to choose how to verify it, never to trust what it says.
   *
   * @throws ProtocolException 401 when it is not three base64url parts whose first two are JSON objects
   */
  static Decoded decode(String token) {
    int dot1 = token.indexOf('.');
    int dot2 = secondDot(token, dot1);
    base64(token.substring(dot2 + 1));
    return new Decoded(json(token.substring(0, dot1)), json(token.substring(dot1 + 1, dot2)));
  }

  /** The dot ending the claims part, checking the token has exactly three parts. */
  private static int secondDot(String token, int dot1) {
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
      throw invalid("malformed token");
    }
    return dot2;
  }

  private boolean signatureValid(byte[] input, byte[] signature) {
    String alg = key.algorithm();
    try {
      if (alg.startsWith("HS")) {
        Mac mac = Mac.getInstance(JwtKey.hmacName(alg));
        mac.init(key.key());
        return MessageDigest.isEqual(mac.doFinal(input), signature);
      }
      String bits = alg.substring(2);
      Signature verifier = alg.startsWith("RS")
          ? Signature.getInstance("SHA" + bits + "withRSA")
          : Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
      if (alg.startsWith("ES") && signature.length != ecSignatureLength(alg)) {
        return false;
      }
      verifier.initVerify((PublicKey) key.key());
      verifier.update(input);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static int ecSignatureLength(String alg) {
    return switch (alg) {
      case "ES256" -> 64;
      case "ES384" -> 96;
      default -> 132;
    };
  }

  private static Instant timeClaim(JsonObject claims, String name) {
    if (!claims.containsKey(name) || claims.getValue(name) == null) {
      return null;
    }
    if (!(claims.getValue(name) instanceof Number n)) {
      throw invalid("token claim \"" + name + "\" is not a number");
    }
    double seconds = n.doubleValue();
    if (!Double.isFinite(seconds)) {
      throw invalid("token claim \"" + name + "\" is not a number");
    }
    long whole = (long) Math.floor(seconds);
    long nanos = (long) ((seconds - whole) * 1_000_000_000L);
    try {
      return Instant.ofEpochSecond(whole, nanos);
    } catch (RuntimeException e) {
      throw invalid("token claim \"" + name + "\" is out of range");
    }
  }

  private static JsonObject json(String part) {
    try {
      return new JsonObject(new String(base64(part), StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw invalid("malformed token");
    }
  }

  private static byte[] base64(String part) {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw invalid("malformed token");
    }
  }

  private static ProtocolException invalid(String reason) {
    return ProtocolException.unauthorized(reason);
  }
}
