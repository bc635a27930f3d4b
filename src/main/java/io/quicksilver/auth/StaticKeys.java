package io.quicksilver.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.Set;

/** One configured key, in a provider of its own. */
public final class StaticKeys implements VerificationKeys {

  private final JwtKey key;
  private final JWTAuth provider;

  /**
   * @param leeway the clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}
   */
  public StaticKeys(Vertx vertx, JwtKey key, Duration leeway) {
    this.key = key;
    this.provider = JWTAuth.create(vertx, new JWTAuthOptions()
        .setJWTOptions(new JWTOptions().setLeeway((int) leeway.toSeconds()))
        .addPubSecKey(key.options()));
  }

  @Override
  public Set<String> algorithms() {
    return Set.of(key.algorithm());
  }

  @Override
  public JWTAuth provider() {
    return provider;
  }

  @Override
  public Future<Boolean> refresh() {
    return Future.succeededFuture(false);
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public String describe() {
    return key.toString();
  }
}
