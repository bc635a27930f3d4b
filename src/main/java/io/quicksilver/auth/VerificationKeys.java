package io.quicksilver.auth;

import io.vertx.core.Future;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.util.Set;

/**
 * The keys that verify one role's (or one trusted issuer's) tokens, as a vertx-auth-jwt provider that holds
 * those keys only: a provider is never shared between roles or issuers, so that one's key never verifies
 * another's token. Thread-safe.
 */
public interface VerificationKeys {

  /** The algorithms a token may name in its {@code alg} header. */
  Set<String> algorithms();

  /**
   * The provider holding the current keys, or null while none were loaded. Never a provider without keys
   * (vertx-auth-jwt accepts unsigned tokens in that case).
   */
  JWTAuth provider();

  /**
   * Asks for the keys again because a token named a key they do not hold (rate-limited; static keys never change).
   *
   * @return true when another set of keys was installed
   */
  Future<Boolean> refresh();

  /** Whether keys were loaded at least once. */
  boolean ready();

  /** What the keys are, for logs and readiness: never key material. */
  String describe();
}
