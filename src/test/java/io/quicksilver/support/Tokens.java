package io.quicksilver.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints JWS tokens and keys for tests, independently of the hub's own code (plain JCA, so that a fault in the
 * hub's token handling cannot hide itself): HMAC, RSA and ECDSA tokens with any header, key pairs generated once
 * per run, their PEM and JWK forms.
 */
public final class Tokens {

  /** An HMAC secret long enough for HS512, for unit tests of the verifiers. */
  public static final String SECRET = "a-test-secret-that-is-long-enough-for-hs512-0123456789";

  private static final Map<String, KeyPair> PAIRS = new HashMap<>();

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

  /** A subscriber token (test key) for these selectors expiring at {@code exp} (epoch seconds; null: never). */
  public static String subscriberUntil(Double exp, String... selectors) {
    JsonObject claims = new JsonObject().put("mercure", new JsonObject().put("subscribe", new JsonArray(List.of(selectors))));
    if (exp != null) {
      claims.put("exp", exp);
    }
    return hs256(TestHub.SUBSCRIBER_KEY, claims);
  }

  /** A well-formed subscriber token signed with another key than the hub's. */
  public static String forgedSubscriber(String... selectors) {
    return hs256("not-the-subscriber-secret-but-long-enough-anyway",
        new JsonObject().put("mercure", new JsonObject().put("subscribe", new JsonArray(List.of(selectors)))));
  }

  /** HS256 over the claims, header {@code {"alg":"HS256","typ":"JWT"}}. */
  public static String hs256(String secret, JsonObject claims) {
    return hmac("HS256", secret, new JsonObject().put("alg", "HS256").put("typ", "JWT"), claims);
  }

  /** An HMAC token with any header (the header's alg is not checked here). */
  public static String hmac(String alg, String secret, JsonObject header, JsonObject claims) {
    return hmac(alg, secret.getBytes(StandardCharsets.UTF_8), b64(header.encode()) + "." + b64(claims.encode()));
  }

  /** HS256 over exact header and claims JSON texts (as another library would write them). */
  public static String hs256Texts(String secret, String headerJson, String claimsJson) {
    return hmac("HS256", secret.getBytes(StandardCharsets.UTF_8), b64(headerJson) + "." + b64(claimsJson));
  }

  /** HMAC signs a signing input with a raw secret: {@code input.signature}. */
  public static String hmac(String alg, byte[] secret, String input) {
    try {
      String jca = "HmacSHA" + alg.substring(2);
      Mac mac = Mac.getInstance(jca);
      mac.init(new SecretKeySpec(secret, jca));
      return input + "." + enc(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A draft-08 access token: HS256 over the claims, header {@code {"alg":"HS256","typ":"at+jwt"}}. */
  public static String accessToken(String secret, JsonObject claims) {
    return hmac("HS256", secret, accessHeader("HS256"), claims);
  }

  /** The header of a draft-08 access token. */
  public static JsonObject accessHeader(String alg) {
    return new JsonObject().put("alg", alg).put("typ", "at+jwt");
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
    return signWith(alg, key, b64(accessHeader(alg).encode()) + "." + b64(claims.encode()), true);
  }

  /** An RSA or EC signed token ({@code RS256}, {@code ES256}, ...), header {@code {"alg":…,"typ":"JWT"}}. */
  public static String signed(String alg, PrivateKey key, JsonObject claims) {
    return signed(alg, key, new JsonObject().put("alg", alg).put("typ", "JWT"), claims);
  }

  /** An RSA or EC signed token with any header. */
  public static String signed(String alg, PrivateKey key, JsonObject header, JsonObject claims) {
    return signWith(alg, key, b64(header.encode()) + "." + b64(claims.encode()), true);
  }

  /** An unsigned token ({@code alg: none}). */
  public static String none(JsonObject claims) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "." + b64(claims.encode()) + ".";
  }

  /** The key pair for an RS or ES algorithm (one RSA pair for all RS, one curve per ES), generated once per run. */
  public static synchronized KeyPair pair(String alg) {
    return PAIRS.computeIfAbsent(alg.startsWith("RS") ? "RS" : alg, Tokens::generate);
  }

  /** A new key pair for an RS (2048 bits) or ES algorithm, or a key size: {@code RSA1024}. */
  public static KeyPair generate(String family) {
    try {
      if (family.startsWith("RS")) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(family.startsWith("RSA") ? Integer.parseInt(family.substring(3)) : 2048);
        return g.generateKeyPair();
      }
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(switch (family) {
        case "ES256" -> "secp256r1";
        case "ES384" -> "secp384r1";
        default -> "secp521r1";
      }));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** SPKI PEM text of a public key. */
  public static String pem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  /** PKCS#8 PEM text of a private key. */
  public static String pem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** The hub's key text for an algorithm: {@link #SECRET}, or the PEM of the generated public key. */
  public static String keyText(String alg) {
    return alg.startsWith("HS") ? SECRET : pem(pair(alg).getPublic());
  }

  /** A token with the standard header for the algorithm, signed with the matching test key. */
  public static String token(String alg, JsonObject claims) {
    return token(alg, new JsonObject().put("alg", alg).put("typ", "JWT"), claims);
  }

  /** A draft-08 access token signed with the test key of an algorithm. */
  public static String access(String alg, JsonObject claims) {
    return token(alg, accessHeader(alg), claims);
  }

  /** A token with any header, signed for {@code alg} with the matching test key. */
  public static String token(String alg, JsonObject header, JsonObject claims) {
    return sign(alg, b64(header.encode()) + "." + b64(claims.encode()));
  }

  /** Signs a signing input with the test key of {@code alg}. */
  public static String sign(String alg, String input) {
    if (alg.startsWith("HS")) {
      return hmac(alg, SECRET.getBytes(StandardCharsets.UTF_8), input);
    }
    return signWith(alg, pair(alg).getPrivate(), input, true);
  }

  /** RSA/ECDSA signs; for EC, {@code p1363} picks the JWS R||S form rather than DER. */
  public static String signWith(String alg, PrivateKey key, String input, boolean p1363) {
    try {
      String bits = alg.substring(2);
      String jca = alg.startsWith("RS") ? "SHA" + bits + "withRSA" : "SHA" + bits + (p1363 ? "withECDSAinP1363Format" : "withECDSA");
      Signature s = Signature.getInstance(jca);
      s.initSign(key);
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + enc(s.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public JWK (RFC 7517) of an RSA or EC public key, with its kid and alg. */
  public static JsonObject jwk(PublicKey key, String kid, String alg) {
    JsonObject jwk = new JsonObject().put("kid", kid).put("use", "sig");
    if (alg != null) {
      jwk.put("alg", alg);
    }
    if (key instanceof RSAPublicKey rsa) {
      return jwk.put("kty", "RSA").put("n", enc(unsigned(rsa.getModulus().toByteArray()))).put("e", enc(unsigned(rsa.getPublicExponent().toByteArray())));
    }
    ECPublicKey ec = (ECPublicKey) key;
    int bits = ec.getParams().getCurve().getField().getFieldSize();
    int size = (bits + 7) / 8;
    return jwk.put("kty", "EC").put("crv", bits == 256 ? "P-256" : bits == 384 ? "P-384" : "P-521")
        .put("x", enc(fixed(ec.getW().getAffineX().toByteArray(), size))).put("y", enc(fixed(ec.getW().getAffineY().toByteArray(), size)));
  }

  private static byte[] unsigned(byte[] bytes) {
    return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static byte[] fixed(byte[] bytes, int size) {
    byte[] u = unsigned(bytes);
    byte[] out = new byte[size];
    System.arraycopy(u, 0, out, size - u.length, u.length);
    return out;
  }

  public static String b64(String json) {
    return enc(json.getBytes(StandardCharsets.UTF_8));
  }

  public static String enc(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
