package io.quicksilver.auth;

/**
 * Where the keys that verify one role's (or one issuer's) tokens come from: one static key, or a JWK Set.
 *
 * @param key  the static key, or null
 * @param jwks the JWK Set, or null
 */
public record KeySource(JwtKey key, JwkSetLocation jwks) {

  /**
   * @throws IllegalArgumentException unless exactly one of the two is given
   */
  public KeySource {
    if ((key == null) == (jwks == null)) {
      throw new IllegalArgumentException("a key source is a static key or a JWK Set, not both or neither");
    }
  }

  /** A static key. */
  public static KeySource of(JwtKey key) {
    return new KeySource(key, null);
  }

  /** A JWK Set. */
  public static KeySource of(JwkSetLocation jwks) {
    return new KeySource(null, jwks);
  }

  @Override
  public String toString() {
    return key != null ? key.algorithm() : "JwkSet[" + jwks.url() + "]"; // never the key material
  }
}
