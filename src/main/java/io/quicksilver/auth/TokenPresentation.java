package io.quicksilver.auth;

import io.quicksilver.mercure.ProtocolException;

/**
 * Where a request's token came from (classic protocol, "Authorization").
 *
 * <p>Precedence: the {@code Authorization} header, else the {@code authorization} query parameter, else
 * the cookie. A present higher-priority credential is used even when it is invalid: the request then fails
 * rather than falling back to a lower-priority one.
 *
 * @param token  the compact JWS
 * @param source which mechanism carried it
 */
public record TokenPresentation(String token, Source source) {

  /** The mechanism that carried a token. */
  public enum Source { HEADER, QUERY, COOKIE }

  /**
   * Picks the token to use, or null when the request carries none.
   *
   * @param authorizationHeader the {@code Authorization} header, or null
   * @param queryParameter      the {@code authorization} query parameter, or null
   * @param cookie              the authorization cookie's value, or null
   * @throws ProtocolException 401 when the chosen credential is malformed
   */
  public static TokenPresentation choose(String authorizationHeader, String queryParameter, String cookie) {
    if (authorizationHeader != null) {
      if (authorizationHeader.length() < 7 || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw ProtocolException.unauthorized("the Authorization header must be \"Bearer <token>\"");
      }
      String token = authorizationHeader.substring(7).trim();
      if (token.isEmpty()) {
        throw ProtocolException.unauthorized("the Authorization header carries an empty token");
      }
      return new TokenPresentation(token, Source.HEADER);
    }
    if (queryParameter != null) {
      if (queryParameter.isEmpty()) {
        throw ProtocolException.unauthorized("the authorization query parameter is empty");
      }
      return new TokenPresentation(queryParameter, Source.QUERY);
    }
    if (cookie != null && !cookie.isEmpty()) {
      return new TokenPresentation(cookie, Source.COOKIE);
    }
    return null;
  }

  @Override
  public String toString() {
    return "TokenPresentation[" + source + "]"; // never the token
  }
}
