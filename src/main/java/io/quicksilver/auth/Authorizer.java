package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.ProtocolMode;
import io.vertx.core.Future;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Turns a request's credentials into an {@link Authentication} for one role (publisher or subscriber): the
 * claims of its token, by the classic rules or the draft-08 ones, and the protocol generation the request speaks.
 *
 * <p>The token is verified with the role's keys (classic) or validated by {@link AccessTokens} (draft-08). When a
 * cookie carries it to a publisher, the request must come from an allowed origin ({@code Origin}, else the origin
 * of {@code Referer}; neither: refused), which mitigates CSRF as the protocol's security considerations require
 * (CWE-352). A request with more than one {@code Authorization} header is refused rather than one of them picked.
 *
 * <p>Which rules apply. The token's header is peeked at, untrusted: a {@code typ} of {@code at+jwt} selects the
 * draft-08 rules when the mode enables draft-08; any other token is read by the classic rules when the mode
 * enables them, and is {@code invalid_token} in {@link ProtocolMode#DRAFT_08} mode. In {@link ProtocolMode#CLASSIC}
 * mode every token, {@code at+jwt} included, is read by the classic rules exactly as before draft-08 existed (an
 * access token then typically carries no {@code mercure} claim and grants nothing).
 *
 * <p>The generation: {@link Generation#DRAFT_08} when the caller's hint says the request is a draft-08 one, the mode
 * is {@link ProtocolMode#DRAFT_08}, or the token is an {@code at+jwt} one (never in {@link ProtocolMode#CLASSIC}
 * mode); otherwise {@link Generation#CLASSIC}. Draft-08 requests do not take tokens from the URI query (draft-08
 * "Presenting the Access Token"). Every refusal is the generation's own answer.
 *
 * <p>A token presented again is not verified again while its {@code exp} has not passed and the keys that verified
 * it are still the current ones ({@link VerifiedTokens}: only successes are remembered, bounded in memory); what the
 * request adds to it (its source, its origin) is checked every time. Thread-safe; never blocks.
 */
public final class Authorizer {

  /** Bytes the tokens verified before may take (estimated), per authorizer: a few thousand typical tokens. */
  private static final long VERIFIED_BYTES = 4L << 20;

  private final Role role;
  private final TokenVerifier verifier;
  private final AccessTokens accessTokens;
  private final ProtocolMode mode;
  private final List<String> cookieOrigins;
  private final VerifiedTokens verified;

  /**
   * @param role          the role whose tokens this authorizer reads (selects each draft-08 issuer's keys)
   * @param verifier      the role's classic verifier, or null when the role has no classic keys
   * @param accessTokens  the draft-08 validator over the trusted issuers
   * @param mode          which protocols are spoken
   * @param cookieOrigins origins allowed to publish with the cookie ({@code *}: any); ignored for subscribers
   */
  public Authorizer(Role role, TokenVerifier verifier, AccessTokens accessTokens, ProtocolMode mode, List<String> cookieOrigins) {
    this.role = role;
    this.verifier = verifier;
    this.accessTokens = accessTokens;
    this.mode = mode;
    this.cookieOrigins = List.copyOf(cookieOrigins);
    this.verified = new VerifiedTokens(VERIFIED_BYTES, System::currentTimeMillis);
  }

  /**
   * Authenticates a request.
   *
   * @param draft08Hint        whether the request itself says it speaks draft-08 (its parameters, its path); ignored
   *                           in {@link ProtocolMode#CLASSIC} mode
   * @param resourceIdentifier the hub's resource identifier, which draft-08 tokens must name in {@code aud}
   * @return the claims (null when no token is presented) and the generation, or a failed future holding the
   *         generation's refusal ({@link ProtocolException})
   */
  public Future<Authentication> authenticate(RequestCredentials credentials, boolean draft08Hint, String resourceIdentifier) {
    Generation generation = mode.draft08Enabled() && (draft08Hint || mode == ProtocolMode.DRAFT_08) ? Generation.DRAFT_08 : Generation.CLASSIC;
    try {
      if (credentials.authorizationHeaders() > 1) {
        throw generation.malformedPresentation("more than one Authorization header");
      }
      TokenPresentation presented = present(credentials, generation);
      if (presented == null) {
        return Future.succeededFuture(new Authentication(null, generation, resourceIdentifier));
      }
      MercureClaims known = verified.get(presented.token(), resourceIdentifier);
      if (known != null) {
        Generation spoken = known.draft08() ? Generation.DRAFT_08 : generation;
        checkPresentation(presented, credentials, spoken, known.draft08());
        return Future.succeededFuture(new Authentication(known, spoken, resourceIdentifier));
      }
      TokenFormat.Decoded accessToken = mode.draft08Enabled() ? accessToken(presented.token(), generation) : null;
      Generation spoken = accessToken != null ? Generation.DRAFT_08 : generation;
      checkPresentation(presented, credentials, spoken, accessToken != null);
      VerificationKeys keys;
      Future<MercureClaims> claims;
      if (accessToken != null) {
        keys = accessTokens.keys(accessToken, role);
        JWTAuth provider = keys == null ? null : keys.provider(); // before verifying: a rotation meanwhile is a change
        claims = accessTokens.validate(presented.token(), accessToken, role, resourceIdentifier)
            .onSuccess(c -> verified.put(presented.token(), resourceIdentifier, c, keys, provider));
      } else if (!mode.classicEnabled() || verifier == null) {
        throw spoken.invalidToken("token type (typ) is not at+jwt");
      } else {
        keys = verifier.keys();
        JWTAuth provider = keys.provider();
        claims = verifier.verify(presented.token())
            .map(MercureClaims::of)
            .onSuccess(c -> verified.put(presented.token(), resourceIdentifier, c, keys, provider))
            .recover(err -> Future.failedFuture(err instanceof ProtocolException e ? spoken.invalidToken(e.reason()) : err));
      }
      return claims.map(c -> new Authentication(c, spoken, resourceIdentifier));
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * What the request adds to the token, checked whether the token was verified before or not: no access token in
   * the URI query, and a publisher's cookie only from an allowed origin.
   */
  private void checkPresentation(TokenPresentation presented, RequestCredentials credentials, Generation spoken, boolean accessToken) {
    if (accessToken && presented.source() == TokenPresentation.Source.QUERY) {
      throw spoken.malformedPresentation("access tokens are not accepted in the URI query");
    }
    if (role == Role.PUBLISHER && presented.source() == TokenPresentation.Source.COOKIE) {
      checkOrigin(credentials.origin(), credentials.referer(), spoken);
    }
  }

  /** The token by the rules of the request's generation: draft-08 takes the header, else the cookie, never the query. */
  private static TokenPresentation present(RequestCredentials credentials, Generation generation) {
    if (generation == Generation.CLASSIC) {
      return TokenPresentation.choose(credentials.authorizationHeader(), credentials.authorizationQuery(), credentials.cookie());
    }
    if (credentials.authorizationQuery() != null) {
      throw generation.malformedPresentation("access tokens are not accepted in the URI query");
    }
    try {
      return TokenPresentation.choose(credentials.authorizationHeader(), null, credentials.cookie());
    } catch (ProtocolException e) {
      throw generation.malformedPresentation(e.reason());
    }
  }

  /**
   * The token's (untrusted) parts when its header declares an access token, else null; decoded once, for
   * the validation too. An undecodable token is a malformed presentation on a draft-08 request; on a
   * classic one it is left to the classic rules to refuse.
   */
  private static TokenFormat.Decoded accessToken(String token, Generation generation) {
    try {
      TokenFormat.Decoded decoded = TokenFormat.decode(token);
      return AccessTokens.isAccessTokenType(decoded.header().getValue("typ")) ? decoded : null;
    } catch (ProtocolException e) {
      if (generation == Generation.DRAFT_08) {
        throw generation.malformedPresentation(e.reason());
      }
      return null;
    }
  }

  private void checkOrigin(String origin, String referer, Generation generation) {
    String source = origin != null && !origin.isEmpty() && !origin.equals("null") ? origin : originOf(referer);
    if (source == null) {
      throw generation.refusedOrigin("an Origin or Referer header is required with cookie authorization");
    }
    if (!cookieOrigins.contains("*") && !cookieOrigins.contains(source.toLowerCase(Locale.ROOT))) {
      throw generation.refusedOrigin("origin not allowed to publish with cookie authorization");
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
