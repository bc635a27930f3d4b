package io.quicksilver.auth;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints compact JWS tokens for the auth tests, independently of the hub's verifier, with keys generated per run. */
final class Jws {

  static final String SECRET = "a-test-secret-that-is-long-enough-for-hs512-0123456789";

  private static final Map<String, KeyPair> PAIRS = new HashMap<>();

  private Jws() {
  }

  /** The key pair for an RS or ES algorithm (one RSA pair for all RS, one curve per ES), generated once. */
  static synchronized KeyPair pair(String alg) {
    String family = alg.startsWith("RS") ? "RS" : alg;
    return PAIRS.computeIfAbsent(family, f -> {
      try {
        if (f.equals("RS")) {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(2048);
          return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(switch (f) {
          case "ES256" -> "secp256r1";
          case "ES384" -> "secp384r1";
          default -> "secp521r1";
        }));
        return g.generateKeyPair();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** SPKI PEM text of a public key. */
  static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The hub's key for an algorithm: the HMAC secret, or the PEM of the generated public key. */
  static JwtKey key(String alg) {
    return JwtKey.parse(alg, alg.startsWith("HS") ? SECRET : pem(pair(alg).getPublic()));
  }

  /** A token with the standard header for the algorithm, signed with the matching test key. */
  static String token(String alg, JsonObject claims) {
    return token(alg, new JsonObject().put("alg", alg).put("typ", "JWT"), claims);
  }

  /** A draft-08 access token: header {@code {"alg":…,"typ":"at+jwt"}}, signed with the matching test key. */
  static String accessToken(String alg, JsonObject claims) {
    return token(alg, accessHeader(alg), claims);
  }

  /** The header of a draft-08 access token. */
  static JsonObject accessHeader(String alg) {
    return new JsonObject().put("alg", alg).put("typ", "at+jwt");
  }

  /** A token with any header, signed for {@code alg} with the matching test key. */
  static String token(String alg, JsonObject header, JsonObject claims) {
    return sign(alg, b64(header.encode()) + "." + b64(claims.encode()));
  }

  /** Signs a signing input with the test key of {@code alg}. */
  static String sign(String alg, String input) {
    if (alg.startsWith("HS")) {
      return hmac(alg, SECRET.getBytes(StandardCharsets.UTF_8), input);
    }
    return signWith(alg, pair(alg).getPrivate(), input, true);
  }

  /** HMAC signs a signing input with a raw secret. */
  static String hmac(String alg, byte[] secret, String input) {
    try {
      String jca = "HmacSHA" + alg.substring(2);
      Mac mac = Mac.getInstance(jca);
      mac.init(new SecretKeySpec(secret, jca));
      return input + "." + enc(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** RSA/ECDSA signs; for EC, {@code p1363} picks the JWS R||S form rather than DER. */
  static String signWith(String alg, PrivateKey key, String input, boolean p1363) {
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

  static String b64(String text) {
    return enc(text.getBytes(StandardCharsets.UTF_8));
  }

  static String enc(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
