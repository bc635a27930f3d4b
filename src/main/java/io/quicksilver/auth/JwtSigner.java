package io.quicksilver.auth;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;

/** Signs tokens with an HMAC key (the hub mints tokens only with secrets it shares with itself). */
public final class JwtSigner {

  private JwtSigner() {
  }

  /**
   * A compact JWS of the claims, header {@code {"alg":…,"typ":"JWT"}}.
   *
   * @throws IllegalArgumentException when the key is not an HMAC key (public keys cannot sign)
   */
  public static String sign(JwtKey key, JsonObject claims) {
    return sign(key, "JWT", claims);
  }

  /**
   * A compact JWS of the claims with this {@code typ} header ({@code at+jwt} for draft-08 access tokens).
   *
   * @throws IllegalArgumentException when the key is not an HMAC key (public keys cannot sign)
   */
  public static String sign(JwtKey key, String typ, JsonObject claims) {
    if (!key.algorithm().startsWith("HS")) {
      throw new IllegalArgumentException("only HMAC keys can sign here; " + key.algorithm() + " needs the private key");
    }
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString(new JsonObject().put("alg", key.algorithm()).put("typ", typ).encode().getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance(JwtKey.hmacName(key.algorithm()));
      mac.init(key.key());
      return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC unavailable", e);
    }
  }
}
