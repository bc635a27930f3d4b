package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The checks made on a token before vertx-auth-jwt verifies its signature: what the JWS/JWT RFCs require and
 * {@code JWTAuth} does not check itself.
 *
 * <p>The compact form (RFC 7515 section 7.1): at most {@value #MAX_TOKEN_CHARS} characters; exactly three parts,
 * none empty; each in canonical unpadded base64url (RFC 7515 section 2: no {@code =}, no other alphabet, and
 * zero trailing bits, so that one token has one spelling); header and claims JSON objects. The header: an
 * {@code alg} among the key's algorithms ({@code none} never is); no {@code crit} (RFC 7515 section 4.1.11: the
 * hub understands no extension, so it must refuse any that is marked critical); an ECDSA signature of exactly
 * the JWS {@code R||S} length (RFC 7518 section 3.4; vertx-auth would also take the DER form). The claims:
 * {@code exp}, {@code nbf} and {@code iat}, when present, finite numbers (not {@code null}, not strings; RFC 7519
 * section 2, NumericDate) within the range of {@link java.time.Instant}; no claim array longer than {@value #MAX_CLAIM_ARRAY} at the top level. Every failure
 * is a 401 whose reason never quotes the token.
 */
final class TokenFormat {

  /** The longest token accepted, in characters (tokens are ASCII). */
  static final int MAX_TOKEN_CHARS = 64 * 1024;
  /** The most entries of one claim array (the {@code mercure} grants, {@code aud}, {@code authorization_details}). */
  static final int MAX_CLAIM_ARRAY = 1000;

  /** The largest NumericDate magnitude accepted: what {@link java.time.Instant} holds. */
  private static final double MAX_SECONDS = java.time.Instant.MAX.getEpochSecond();
  private static final Set<String> TIME_CLAIMS = Set.of("exp", "nbf", "iat");

  private TokenFormat() {
  }

  /**
   * A token's header and claims set, decoded without checking anything but their syntax.
   *
   * @param header         the JOSE header
   * @param claims         the claims set
   * @param signatureBytes the length of the decoded signature
   */
  record Decoded(JsonObject header, JsonObject claims, int signatureBytes) {
  }

  /**
   * Decodes a token without verifying it: only to choose how to verify it, never to trust what it says.
   *
   * @throws ProtocolException 401 when it is not three canonical base64url parts whose first two are JSON objects
   */
  static Decoded decode(String token) {
    if (token.length() > MAX_TOKEN_CHARS) {
      throw invalid("token longer than " + MAX_TOKEN_CHARS + " characters");
    }
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 < 0 || dot2 == dot1 + 1 || dot2 == token.length() - 1 || token.indexOf('.', dot2 + 1) >= 0) {
      throw invalid("malformed token");
    }
    JsonObject header = json(token.substring(0, dot1));
    JsonObject claims = json(token.substring(dot1 + 1, dot2));
    return new Decoded(header, claims, base64(token.substring(dot2 + 1)).length);
  }

  /**
   * Checks what vertx-auth-jwt does not: the header's {@code alg} and {@code crit}, the signature's form, and the
   * types of the time claims and the sizes of claim arrays.
   *
   * @param algorithms the algorithms the verifying keys accept
   * @throws ProtocolException 401
   */
  static void check(Decoded token, Set<String> algorithms) {
    if (!(token.header().getValue("alg") instanceof String alg) || !algorithms.contains(alg)) {
      throw invalid("token algorithm does not match the configured one");
    }
    if (token.header().containsKey("crit")) {
      throw invalid("token has unsupported critical header parameters");
    }
    if (alg.startsWith("ES") && token.signatureBytes() != 2 * ((JwtKey.curveBits(alg) + 7) / 8)) {
      throw invalid("invalid token signature");
    }
    for (String name : TIME_CLAIMS) {
      if (token.claims().containsKey(name) && !(token.claims().getValue(name) instanceof Number n && Math.abs(n.doubleValue()) <= MAX_SECONDS)) {
        throw invalid("token claim \"" + name + "\" is not a number of seconds in range");
      }
    }
    for (String name : token.claims().fieldNames()) {
      if (token.claims().getValue(name) instanceof JsonArray array && array.size() > MAX_CLAIM_ARRAY) {
        throw invalid("token claim \"" + name + "\" has more than " + MAX_CLAIM_ARRAY + " entries");
      }
    }
  }

  private static JsonObject json(String part) {
    try {
      return new JsonObject(new String(base64(part), StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw invalid("malformed token");
    }
  }

  /** Decodes canonical unpadded base64url: the decoded bytes must encode back to the same text. */
  private static byte[] base64(String part) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw invalid("malformed token");
    }
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
      throw invalid("malformed token"); // padding, or non-zero trailing bits
    }
    return bytes;
  }

  private static ProtocolException invalid(String reason) {
    return ProtocolException.unauthorized(reason);
  }
}
