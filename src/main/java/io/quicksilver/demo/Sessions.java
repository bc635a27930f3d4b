package io.quicksilver.demo;

import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.StaticKeys;
import io.quicksilver.auth.TokenSigner;
import io.quicksilver.auth.TokenVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Stateless demo sessions: the cookie value is a JWT (HS256 with the session secret, signed and verified by
 * vertx-auth-jwt) whose {@code sub} is the user and {@code exp} the session's end, so any node that shares the
 * secret accepts it and nothing is stored. Thread-safe.
 */
public final class Sessions {

  /** The session cookie's name. */
  public static final String COOKIE = "qs_session";

  private final TokenSigner signer;
  private final TokenVerifier verifier;
  private final Duration lifetime;

  /**
   * @param secret the signing secret; empty: a random one (sessions then die with the process)
   */
  public Sessions(Vertx vertx, String secret, Duration lifetime) {
    String key = secret;
    if (key.isEmpty()) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      key = Base64.getEncoder().encodeToString(random);
    }
    JwtKey jwtKey = JwtKey.parse("HS256", key);
    this.signer = TokenSigner.of(vertx, jwtKey);
    this.verifier = new TokenVerifier(new StaticKeys(vertx, jwtKey, Duration.ZERO));
    this.lifetime = lifetime;
  }

  /** How long a session lasts. */
  public Duration lifetime() {
    return lifetime;
  }

  /** A new session value for the user. */
  public String issue(String userId) {
    return signer.sign(new JsonObject().put("sub", userId).put("exp", Instant.now().plus(lifetime).getEpochSecond()));
  }

  /** The user id of a valid, unexpired session value; null when it is not one. Never fails. */
  public Future<String> userOf(String value) {
    if (value == null || value.isEmpty()) {
      return Future.succeededFuture();
    }
    return verifier.verify(value)
        .map(token -> token.expiresAt() != null && token.claims().getValue("sub") instanceof String sub ? sub : null)
        .otherwise((String) null);
  }
}
