package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Validates draft-08 access tokens (draft-08 "Token Validation"; RFC 9068, RFC 8725) and reads their Mercure
 * authorization details into {@link MercureClaims}.
 *
 * <p>Checks: header {@code typ} is {@code at+jwt} (the {@code application/} prefix omitted, case-insensitively,
 * RFC 7515 4.1.9), so that ID tokens and other JWTs are not accepted; {@code iss} names a trusted issuer that has a
 * key for the role, and only that key verifies the signature (never a key of another issuer or role); {@code alg}
 * equals that key's algorithm ({@code none} never does); {@code exp} is present and in the future, {@code nbf} if
 * present in the past; {@code aud} (a string or an array of strings) names the resource identifier. Keys the token
 * carries or points to ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are never used nor fetched, and a
 * {@code kid} only picks among the issuer's own keys;
 * a token carrying them is validated like any other (CWE-347, CWE-918). Every failure is {@code invalid_token}.
 * Signatures and time claims are verified by {@link TokenVerifier} (vertx-auth-jwt) with the issuer's keys for the
 * role: its static key, or its JWK Set. Thread-safe.
 */
public final class AccessTokens {

  private final Map<Role, Map<String, TokenVerifier>> verifiers = new EnumMap<>(Role.class);

  /**
   * @param issuers   the trusted issuers, with distinct identifiers
   * @param verifiers the verifier of each issuer's keys for a role
   * @throws IllegalArgumentException when two issuers share an identifier
   */
  public AccessTokens(List<TrustedIssuer> issuers, Function<KeySource, TokenVerifier> verifiers) {
    for (Role role : Role.values()) {
      this.verifiers.put(role, new HashMap<>());
    }
    TrustedIssuer.requireDistinct(issuers);
    for (TrustedIssuer issuer : issuers) {
      for (Role role : Role.values()) {
        if (issuer.keysFor(role) != null) {
          this.verifiers.get(role).put(issuer.issuer(), verifiers.apply(issuer.keysFor(role)));
        }
      }
    }
  }

  /**
   * Whether a {@code typ} header value declares a JWT access token: {@code at+jwt} or {@code application/at+jwt},
   * compared case-insensitively.
   */
  public static boolean isAccessTokenType(Object typ) {
    if (!(typ instanceof String type)) {
      return false;
    }
    String bare = type.regionMatches(true, 0, "application/", 0, 12) ? type.substring(12) : type;
    return bare.equalsIgnoreCase("at+jwt");
  }

  /**
   * Validates a token presented in a role.
   *
   * @param token              the compact JWS
   * @param role               the endpoint's role, which selects the issuer's key
   * @param resourceIdentifier the hub's resource identifier, which {@code aud} must name (null: no token matches)
   * @return draft-08 claims ({@link MercureClaims#draft08()} true), or a failed future holding an
   *         {@code invalid_token} {@link ProtocolException} whose reason never contains the token
   */
  public Future<MercureClaims> validate(String token, Role role, String resourceIdentifier) {
    try {
      return validate(token, TokenFormat.decode(token), role, resourceIdentifier);
    } catch (ProtocolException e) {
      return Future.failedFuture(invalid(e.reason()));
    }
  }

  /** The keys that verify a decoded access token presented in a role (its issuer's), or null when none do. */
  VerificationKeys keys(TokenFormat.Decoded decoded, Role role) {
    TokenVerifier verifier = decoded.claims().getValue("iss") instanceof String issuer ? verifiers.get(role).get(issuer) : null;
    return verifier == null ? null : verifier.keys();
  }

  /** {@link #validate(String, Role, String)} of a token whose (untrusted) parts the caller already decoded. */
  Future<MercureClaims> validate(String token, TokenFormat.Decoded decoded, Role role, String resourceIdentifier) {
    if (!isAccessTokenType(decoded.header().getValue("typ"))) {
      return Future.failedFuture(invalid("token type (typ) is not at+jwt"));
    }
    if (!(decoded.claims().getValue("iss") instanceof String issuer)) {
      return Future.failedFuture(invalid("token has no issuer (iss)"));
    }
    TokenVerifier verifier = verifiers.get(role).get(issuer);
    if (verifier == null) {
      return Future.failedFuture(invalid("token issuer (iss) is not trusted for " + role.name().toLowerCase(Locale.ROOT) + " tokens"));
    }
    return verifier.verify(token, decoded)
        .recover(err -> Future.failedFuture(err instanceof ProtocolException e ? invalid(e.reason()) : err))
        .map(verified -> claims(verified, resourceIdentifier));
  }

  private static MercureClaims claims(VerifiedToken verified, String resourceIdentifier) {
    JsonObject claims = verified.claims();
    if (verified.expiresAt() == null) {
      throw invalid("token has no expiry (exp)");
    }
    if (!audienceNames(claims.getValue("aud"), resourceIdentifier)) {
      throw invalid("token audience (aud) does not name this hub");
    }
    Object subject = claims.getValue("sub");
    if (subject != null && !(subject instanceof String)) {
      throw invalid("token claim \"sub\" is not a string");
    }
    AuthorizationDetails.Grants grants = AuthorizationDetails.read(claims.getValue("authorization_details"), resourceIdentifier);
    return new MercureClaims(grants.publish(), grants.subscribe(), null, verified.expiresAt(), (String) subject, true,
        grants.subscribeDetails());
  }

  private static boolean audienceNames(Object aud, String resourceIdentifier) {
    if (aud instanceof String single) {
      return single.equals(resourceIdentifier);
    }
    if (!(aud instanceof JsonArray audiences)) {
      return false;
    }
    boolean named = false;
    for (Object audience : audiences) {
      if (!(audience instanceof String name)) {
        throw invalid("token claim \"aud\" holds a non-string");
      }
      named |= name.equals(resourceIdentifier);
    }
    return named;
  }

  private static ProtocolException invalid(String reason) {
    return ProtocolException.invalidToken(reason);
  }
}
