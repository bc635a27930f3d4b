package io.quicksilver.auth;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A token whose signature and time claims were checked.
 *
 * @param claims    the JWT claims set
 * @param expiresAt the {@code exp} claim, or null when the token does not expire
 */
public record VerifiedToken(JsonObject claims, Instant expiresAt) {
}
