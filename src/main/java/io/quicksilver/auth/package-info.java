/**
 * Tokens and who may do what: verification keys (static, or JWK Sets that rotate), token verification and
 * signing on vertx-auth-jwt, the classic {@code mercure} claim and draft-08 access tokens, and
 * {@link io.quicksilver.auth.Authorizer}, which turns a request's credentials into an
 * {@link io.quicksilver.auth.Authentication} for one role. Depends on the protocol core only.
 */
package io.quicksilver.auth;
