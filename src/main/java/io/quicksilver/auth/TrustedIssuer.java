package io.quicksilver.auth;

import java.util.Objects;

/**
 * An issuer of draft-08 access tokens the hub trusts, bound to its verification keys (draft-08 "Token
 * Validation": every trusted key is associated with the issuer identifier it belongs to).
 *
 * <p>A token whose {@code iss} names this issuer is verified with this issuer's key for the endpoint's role
 * only, never with another issuer's key.
 *
 * @param issuer        the issuer identifier, compared exactly with the token's {@code iss}
 * @param publisherKey  verifies publisher tokens of this issuer, or null when it issues none
 * @param subscriberKey verifies subscriber tokens of this issuer, or null when it issues none
 */
public record TrustedIssuer(String issuer, JwtKey publisherKey, JwtKey subscriberKey) {

  /**
   * @throws IllegalArgumentException when the identifier is empty or neither key is given
   */
  public TrustedIssuer {
    Objects.requireNonNull(issuer, "issuer");
    if (issuer.isEmpty()) {
      throw new IllegalArgumentException("the issuer identifier is empty");
    }
    if (publisherKey == null && subscriberKey == null) {
      throw new IllegalArgumentException("issuer \"" + issuer + "\" needs a publisher key or a subscriber key");
    }
  }

  /** The key for tokens presented in this role, or null when this issuer issues none for it. */
  public JwtKey keyFor(Role role) {
    return role == Role.PUBLISHER ? publisherKey : subscriberKey;
  }

  @Override
  public String toString() {
    // the algorithms only, never the key material
    return "TrustedIssuer[" + issuer + ", publisher=" + (publisherKey == null ? "none" : publisherKey.algorithm())
        + ", subscriber=" + (subscriberKey == null ? "none" : subscriberKey.algorithm()) + "]";
  }
}
