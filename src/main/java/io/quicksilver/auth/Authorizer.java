package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Turns a request's credentials into {@link MercureClaims} for one role (publisher or subscriber).
 *
 * <p>The token is taken by {@link TokenPresentation} precedence and verified with the role's key. When a
 * cookie carries it on a state-changing request, the request must come from an allowed origin
 * ({@code Origin}, else the origin of {@code Referer}; neither: refused), which mitigates CSRF as the
 * protocol's security considerations require (CWE-352). Thread-safe.
 */
public final class Authorizer {

  private final JwtVerifier verifier;
  private final List<String> cookieOrigins;

  /**
   * @param verifier      the role's verifier
   * @param cookieOrigins origins allowed to use the cookie on state-changing requests ({@code *}: any)
   */
  public Authorizer(JwtVerifier verifier, List<String> cookieOrigins) {
    this.verifier = verifier;
    this.cookieOrigins = List.copyOf(cookieOrigins);
  }

  /**
   * The claims of the request's token, or null when it carries none.
   *
   * @param originCheck whether a cookie credential needs an allowed origin (true for publishing)
   * @throws ProtocolException 401 for a malformed or invalid token, 403 for a cookie from a refused origin
   */
  public MercureClaims claims(RequestCredentials credentials, boolean originCheck) {
    TokenPresentation presented = TokenPresentation.choose(
        credentials.authorizationHeader(), credentials.authorizationQuery(), credentials.cookie());
    if (presented == null) {
      return null;
    }
    if (originCheck && presented.source() == TokenPresentation.Source.COOKIE) {
      checkOrigin(credentials.origin(), credentials.referer());
    }
    return MercureClaims.of(verifier.verify(presented.token()));
  }

  private void checkOrigin(String origin, String referer) {
    String source = origin != null && !origin.isEmpty() && !origin.equals("null") ? origin : originOf(referer);
    if (source == null) {
      throw ProtocolException.forbidden("an Origin or Referer header is required with cookie authorization");
    }
    if (!cookieOrigins.contains("*") && !cookieOrigins.contains(source.toLowerCase(Locale.ROOT))) {
      throw ProtocolException.forbidden("origin not allowed to publish with cookie authorization");
    }
  }

  static String originOf(String referer) {
    if (referer == null || referer.isEmpty()) {
      return null;
    }
    // only scheme://authority matters; browsers leave characters such as { } | ^ unescaped in the path and
    // query, which java.net.URI refuses, so cut the rest off before parsing
    int authority = referer.indexOf("://");
    int end = authority < 0 ? -1 : indexOfAny(referer, authority + 3, "/?#");
    String prefix = end < 0 ? referer : referer.substring(0, end);
    try {
      URI uri = new URI(prefix);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
    } catch (Exception e) {
      return null;
    }
  }

  private static int indexOfAny(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
