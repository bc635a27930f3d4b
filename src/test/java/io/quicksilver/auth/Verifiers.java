package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolMode;
import io.quicksilver.support.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/**
 * Verifiers over the test keys of {@link Tokens}, for the unit tests of the auth classes. With static keys every
 * future completes before it is returned (vertx-auth-jwt verifies synchronously), which {@link #now} checks.
 */
final class Verifiers {

  /** vertx-auth-jwt wants a Vert.x instance (it reads key stores with it, which these tests do not use). */
  private static final Vertx VERTX = Vertx.vertx();

  private Verifiers() {
  }

  static Vertx vertx() {
    return VERTX;
  }

  /** The hub's key for an algorithm: {@link Tokens#SECRET}, or the PEM of the generated public key. */
  static JwtKey key(String alg) {
    return JwtKey.parse(alg, Tokens.keyText(alg));
  }

  static TokenVerifier verifier(JwtKey key) {
    return new TokenVerifier(new StaticKeys(VERTX, key, Duration.ZERO));
  }

  static TokenVerifier verifier(KeySource source) {
    return verifier(source.key());
  }

  static TokenVerifier verifier(String alg) {
    return verifier(key(alg));
  }

  /** Credentials with at most one {@code Authorization} header (one when {@code authorizationHeader} is given). */
  static RequestCredentials credentials(String authorizationHeader, String authorizationQuery, String cookie, String origin, String referer) {
    return new RequestCredentials(authorizationHeader, authorizationQuery, cookie, origin, referer, authorizationHeader == null ? 0 : 1);
  }

  /** A classic-only authorizer for a role, with the HS256 test key. */
  static Authorizer classic(Role role, List<String> cookieOrigins) {
    return new Authorizer(role, verifier("HS256"), new AccessTokens(List.of(), Verifiers::verifier), ProtocolMode.CLASSIC, cookieOrigins);
  }

  /** The claims an authorizer finds (null: none presented), or its refusal thrown. */
  static MercureClaims claims(Authorizer authorizer, RequestCredentials credentials, boolean draft08Hint, String resource) {
    return now(authorizer.authenticate(credentials, draft08Hint, resource)).claims();
  }

  /** The outcome of a future that must already be complete: its result, or its failure thrown. */
  static <T> T now(Future<T> future) {
    if (!future.isComplete()) {
      throw new AssertionError("the future is not complete");
    }
    if (future.failed()) {
      throw future.cause() instanceof RuntimeException e ? e : new IllegalStateException(future.cause());
    }
    return future.result();
  }
}
