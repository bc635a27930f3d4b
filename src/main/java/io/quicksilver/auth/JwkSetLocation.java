package io.quicksilver.auth;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a JWK Set (RFC 7517 section 5) of verification keys is read, and which algorithms its keys may verify.
 *
 * @param url        an {@code https://} or {@code file://} URL
 * @param algorithms the algorithms tokens may use with these keys; empty: the {@code alg} each key declares
 *                   (a key without one is then skipped)
 */
public record JwkSetLocation(String url, List<String> algorithms) {

  /**
   * @throws IllegalArgumentException for another scheme, or an algorithm the hub does not verify with public keys
   */
  public JwkSetLocation {
    Objects.requireNonNull(url, "url");
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("https://") && !lower.startsWith("file:")) {
      throw new IllegalArgumentException("a JWK Set URL must be https:// or file:// (got \"" + url + "\")");
    }
    if (lower.startsWith("file:")) {
      try {
        java.nio.file.Path.of(java.net.URI.create(url));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a file URL with an absolute path (file:///path/to/jwks.json): \"" + url + "\"");
      }
    }
    algorithms = List.copyOf(algorithms);
    for (String alg : algorithms) {
      if (!JwtKey.ALGORITHMS.contains(alg) || alg.startsWith("HS")) {
        throw new IllegalArgumentException("unsupported JWK Set algorithm \"" + alg + "\" (RS256, RS384, RS512, ES256, ES384, ES512)");
      }
    }
  }

  /** Whether the set is a local file rather than fetched over HTTPS. */
  public boolean isFile() {
    return url.regionMatches(true, 0, "file:", 0, 5);
  }
}
