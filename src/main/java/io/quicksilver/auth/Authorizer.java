package io.quicksilver.auth;

import io.quicksilver.config.ProtocolMode;
import io.quicksilver.mercure.ProtocolException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * Turns a request's credentials into {@link MercureClaims} for one role (publisher or subscriber), by the classic
 * rules or the draft-08 ones.
 *
 * <p>The token is verified with the role's key (classic) or validated by {@link AccessTokens} (draft-08). When a
 * cookie carries it on a state-changing request, the request must come from an allowed origin ({@code Origin},
 * else the origin of {@code Referer}; neither: refused), which mitigates CSRF as the protocol's security
 * considerations require (CWE-352).
 *
 * <p>Which rules apply. The token's header is peeked at, untrusted: a {@code typ} of {@code at+jwt} selects the
 * draft-08 rules when the mode enables draft-08; any other token is read by the classic rules when the mode
 * enables them, and is {@code invalid_token} in {@link ProtocolMode#DRAFT_08} mode. In {@link ProtocolMode#CLASSIC}
 * mode every token, {@code at+jwt} included, is read by the classic rules exactly as before draft-08 existed (an
 * access token then typically carries no {@code mercure} claim and grants nothing).
 *
 * <p>Draft-08 requests (the caller says so, the mode is {@link ProtocolMode#DRAFT_08}, or the token is an
 * {@code at+jwt} one; never in {@link ProtocolMode#CLASSIC} mode) are answered with RFC 6750 error codes: a malformed
 * presentation or token encoding, a token in the URI query (draft-08 "Presenting the Access Token" forbids it), or a
 * cookie from a refused origin is {@code invalid_request}; a token failing validation is {@code invalid_token}.
 * Classic requests keep their plain 401 and 403. Thread-safe.
 */
public final class Authorizer {

  private final Role role;
  private final JwtVerifier verifier;
  private final AccessTokens accessTokens;
  private final ProtocolMode mode;
  private final List<String> cookieOrigins;

  /**
   * A classic-only authorizer, as before draft-08: every token is read by the classic rules.
   *
   * @param verifier      the role's verifier
   * @param cookieOrigins origins allowed to use the cookie on state-changing requests ({@code *}: any)
   */
  public Authorizer(JwtVerifier verifier, List<String> cookieOrigins) {
    this(Role.SUBSCRIBER, verifier, new AccessTokens(List.of(), Clock.systemUTC()), ProtocolMode.CLASSIC, cookieOrigins);
  }

  /**
   * @param role          the role whose tokens this authorizer reads (selects each draft-08 issuer's key)
   * @param verifier      the role's classic verifier
   * @param accessTokens  the draft-08 validator over the trusted issuers
   * @param mode          which protocols are spoken
   * @param cookieOrigins origins allowed to use the cookie on state-changing requests ({@code *}: any)
   */
  public Authorizer(Role role, JwtVerifier verifier, AccessTokens accessTokens, ProtocolMode mode, List<String> cookieOrigins) {
    this.role = role;
    this.verifier = verifier;
    this.accessTokens = accessTokens;
    this.mode = mode;
    this.cookieOrigins = List.copyOf(cookieOrigins);
  }

  /**
   * The claims of a classic request's token, or null when it carries none: {@code claims(credentials, originCheck,
   * false, null)}. Without a resource identifier, no draft-08 token names this hub in its {@code aud}.
   *
   * @param originCheck whether a cookie credential needs an allowed origin (true for publishing)
   * @throws ProtocolException 401 for a malformed or invalid token, 403 for a cookie from a refused origin
   */
  public MercureClaims claims(RequestCredentials credentials, boolean originCheck) {
    return claims(credentials, originCheck, false, null);
  }

  /**
   * The claims of the request's token, or null when it carries none.
   *
   * @param originCheck        whether a cookie credential needs an allowed origin (true for publishing)
   * @param draft08Request     whether the request uses draft-08 (ignored in {@link ProtocolMode#CLASSIC} mode)
   * @param resourceIdentifier the hub's resource identifier, which draft-08 tokens must name in {@code aud}
   * @throws ProtocolException classic requests: 401 for a malformed or invalid token, 403 for a cookie from a refused
   *                           origin; draft-08 requests: {@code invalid_request} or {@code invalid_token}
   */
  public MercureClaims claims(RequestCredentials credentials, boolean originCheck, boolean draft08Request, String resourceIdentifier) {
    boolean draft08 = mode.draft08Enabled() && (draft08Request || mode == ProtocolMode.DRAFT_08);
    TokenPresentation presented = present(credentials, draft08);
    if (presented == null) {
      return null;
    }
    JwtVerifier.Decoded accessToken = mode.draft08Enabled() ? accessToken(presented.token(), draft08) : null;
    draft08 |= accessToken != null;
    if (accessToken != null && presented.source() == TokenPresentation.Source.QUERY) {
      throw ProtocolException.invalidRequest("access tokens are not accepted in the URI query");
    }
    if (originCheck && presented.source() == TokenPresentation.Source.COOKIE) {
      checkOrigin(credentials.origin(), credentials.referer(), draft08);
    }
    if (accessToken != null) {
      return accessTokens.validate(presented.token(), accessToken, role, resourceIdentifier);
    }
    if (!mode.classicEnabled()) {
      throw ProtocolException.invalidToken("token type (typ) is not at+jwt");
    }
    try {
      return MercureClaims.of(verifier.verify(presented.token()));
    } catch (ProtocolException e) {
      throw draft08 ? ProtocolException.invalidToken(e.reason()) : e;
    }
  }

  /** The token by the rules of the request's protocol: draft-08 takes the header, else the cookie, never the query. */
  private static TokenPresentation present(RequestCredentials credentials, boolean draft08) {
    if (!draft08) {
      return TokenPresentation.choose(credentials.authorizationHeader(), credentials.authorizationQuery(), credentials.cookie());
    }
    if (credentials.authorizationQuery() != null) {
      throw ProtocolException.invalidRequest("access tokens are not accepted in the URI query");
    }
    try {
      return TokenPresentation.choose(credentials.authorizationHeader(), null, credentials.cookie());
    } catch (ProtocolException e) {
      throw ProtocolException.invalidRequest(e.reason());
    }
  }

  /**
   * The token's (untrusted) parts when its header declares an access token, else null; decoded once, for
   * the validation too. An undecodable token is a malformed presentation on a draft-08 request; on a
   * classic one it is left to the classic rules to refuse.
   */
  private static JwtVerifier.Decoded accessToken(String token, boolean draft08) {
    try {
      JwtVerifier.Decoded decoded = JwtVerifier.decode(token);
      return AccessTokens.isAccessTokenType(decoded.header().getValue("typ")) ? decoded : null;
    } catch (ProtocolException e) {
      if (draft08) {
        throw ProtocolException.invalidRequest(e.reason());
      }
      return null;
    }
  }

  private void checkOrigin(String origin, String referer, boolean draft08) {
    String source = origin != null && !origin.isEmpty() && !origin.equals("null") ? origin : originOf(referer);
    if (source == null) {
      throw refusedOrigin("an Origin or Referer header is required with cookie authorization", draft08);
    }
    if (!cookieOrigins.contains("*") && !cookieOrigins.contains(source.toLowerCase(Locale.ROOT))) {
      throw refusedOrigin("origin not allowed to publish with cookie authorization", draft08);
    }
  }

  private static ProtocolException refusedOrigin(String reason, boolean draft08) {
    return draft08 ? ProtocolException.invalidRequest(reason) : ProtocolException.forbidden(reason);
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
