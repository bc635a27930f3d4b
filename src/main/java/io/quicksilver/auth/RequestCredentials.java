package io.quicksilver.auth;

/**
 * What a request carries that bears on authorization; each field null when absent.
 *
 * @param authorizationHeader the {@code Authorization} header
 * @param authorizationQuery  the {@code authorization} query parameter
 * @param cookie              the authorization cookie's value
 * @param origin              the {@code Origin} header
 * @param referer             the {@code Referer} header
 */
public record RequestCredentials(String authorizationHeader, String authorizationQuery, String cookie,
                                 String origin, String referer) {

  @Override
  public String toString() {
    return "RequestCredentials[origin=" + origin + "]"; // never the tokens
  }
}
