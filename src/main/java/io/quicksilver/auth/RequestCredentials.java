package io.quicksilver.auth;

/**
 * What a request carries that bears on authorization; each field null when absent.
 *
 * @param authorizationHeader  the {@code Authorization} header (the first, when there are several)
 * @param authorizationQuery   the {@code authorization} query parameter
 * @param cookie               the authorization cookie's value
 * @param origin               the {@code Origin} header
 * @param referer              the {@code Referer} header
 * @param authorizationHeaders how many {@code Authorization} headers the request has
 */
public record RequestCredentials(String authorizationHeader, String authorizationQuery, String cookie,
                                 String origin, String referer, int authorizationHeaders) {

  @Override
  public String toString() {
    return "RequestCredentials[origin=" + origin + "]"; // never the tokens
  }
}
