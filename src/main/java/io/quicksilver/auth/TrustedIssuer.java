package io.quicksilver.auth;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An issuer of draft-08 access tokens the hub trusts, bound to its verification keys (draft-08 "Token
 * Validation": every trusted key is associated with the issuer identifier it belongs to).
 *
 * <p>A token whose {@code iss} names this issuer is verified with this issuer's keys for the endpoint's role
 * only, never with another issuer's keys.
 *
 * @param issuer     the issuer identifier, compared exactly with the token's {@code iss}
 * @param publisher  verifies publisher tokens of this issuer, or null when it issues none
 * @param subscriber verifies subscriber tokens of this issuer, or null when it issues none
 */
public record TrustedIssuer(String issuer, KeySource publisher, KeySource subscriber) {

  /**
   * @throws IllegalArgumentException when the identifier is empty or neither role has keys
   */
  public TrustedIssuer {
    Objects.requireNonNull(issuer, "issuer");
    if (issuer.isEmpty()) {
      throw new IllegalArgumentException("the issuer identifier is empty");
    }
    if (publisher == null && subscriber == null) {
      throw new IllegalArgumentException("issuer \"" + issuer + "\" needs a publisher key or a subscriber key");
    }
  }

  /** An issuer with static keys (null: none for that role). */
  public static TrustedIssuer of(String issuer, JwtKey publisherKey, JwtKey subscriberKey) {
    return new TrustedIssuer(issuer, publisherKey == null ? null : KeySource.of(publisherKey),
        subscriberKey == null ? null : KeySource.of(subscriberKey));
  }

  /**
   * Refuses a list of issuers two of which share an identifier (a token names its issuer: it must name one).
   *
   * @throws IllegalArgumentException naming the first identifier configured twice
   */
  public static void requireDistinct(List<TrustedIssuer> issuers) {
    Set<String> seen = new HashSet<>();
    for (TrustedIssuer issuer : issuers) {
      if (!seen.add(issuer.issuer())) {
        throw new IllegalArgumentException("issuer \"" + issuer.issuer() + "\" is configured twice");
      }
    }
  }

  /** The keys for tokens presented in this role, or null when this issuer issues none for it. */
  public KeySource keysFor(Role role) {
    return role == Role.PUBLISHER ? publisher : subscriber;
  }

  @Override
  public String toString() {
    // the algorithms or set URLs only, never the key material
    return "TrustedIssuer[" + issuer + ", publisher=" + (publisher == null ? "none" : publisher)
        + ", subscriber=" + (subscriber == null ? "none" : subscriber) + "]";
  }
}
