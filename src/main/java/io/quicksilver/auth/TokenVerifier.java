package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies compact JWS tokens (RFC 7515/7519) against one role's or one issuer's keys: {@link TokenFormat} first,
 * then vertx-auth-jwt (signature, the key picked by {@code alg} and {@code kid}, {@code exp}, {@code nbf} and
 * {@code iat} with the configured leeway).
 *
 * <p>A token naming a key the keys do not hold makes a JWK Set refresh (rate-limited), and is verified once more
 * if the set changed. Keys named or carried by the token ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are
 * never used. Every failure is one 401 whose reason never contains the token nor vertx-auth's own text (logged
 * at DEBUG). Thread-safe; never blocks.
 */
public final class TokenVerifier {

  private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

  private final VerificationKeys keys;

  public TokenVerifier(VerificationKeys keys) {
    this.keys = keys;
  }

  /** The keys this verifier uses. */
  public VerificationKeys keys() {
    return keys;
  }

  /**
   * Verifies a token.
   *
   * @return the verified token, or a failed future holding a 401 {@link ProtocolException}
   */
  public Future<VerifiedToken> verify(String token) {
    try {
      return verify(token, TokenFormat.decode(token));
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
  }

  /** {@link #verify(String)} of a token whose (untrusted) parts the caller already decoded. */
  Future<VerifiedToken> verify(String token, TokenFormat.Decoded decoded) {
    try {
      TokenFormat.check(decoded, keys.algorithms());
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
    return authenticate(token)
        .recover(err -> err instanceof NoSuchKeyIdException
            ? keys.refresh().compose(changed -> changed ? authenticate(token) : Future.failedFuture(err))
            : Future.failedFuture(err))
        .transform(ar -> {
          if (ar.succeeded()) {
            JsonObject claims = ar.result().attributes().getJsonObject("accessToken");
            return Future.succeededFuture(new VerifiedToken(claims, instant(claims.getValue("exp"))));
          }
          LOG.debug("token refused by {}: {}", keys.describe(), ar.cause().toString());
          return Future.failedFuture(ProtocolException.unauthorized(
              ar.cause() instanceof NoSuchKeyIdException ? "no key verifies this token" : "invalid token"));
        });
  }

  private Future<User> authenticate(String token) {
    JWTAuth provider = keys.provider();
    if (provider == null) {
      return Future.failedFuture(new NoSuchKeyIdException("none"));
    }
    try {
      return provider.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) { // vertx-auth throws some failures instead of failing the future
      return Future.failedFuture(e);
    }
  }

  /** A NumericDate (seconds, fraction allowed) as an instant; null when absent. */
  private static Instant instant(Object value) {
    if (!(value instanceof Number n)) {
      return null;
    }
    double seconds = n.doubleValue();
    // TokenFormat keeps it within Instant's range as a double, which rounds that range's ends outwards
    if (seconds >= Instant.MAX.getEpochSecond()) {
      return Instant.MAX;
    }
    if (seconds <= Instant.MIN.getEpochSecond()) {
      return Instant.MIN;
    }
    long whole = (long) Math.floor(seconds);
    return Instant.ofEpochSecond(whole, (long) ((seconds - whole) * 1_000_000_000L));
  }
}
