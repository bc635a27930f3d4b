package io.quicksilver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quicksilver.auth.TokenPresentation.Source;
import io.quicksilver.mercure.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;



/** Which credential a request's token is taken from (classic protocol, "Authorization"). */
class TokenPresentationTest {

  /** Verifies that the token is taken by the precedence Authorization header > authorization query parameter > cookie. */
  @ParameterizedTest
  @CsvSource(nullValues = "NULL", value = {
      "Bearer h, q,    c,    h, HEADER",
      "Bearer h, NULL, c,    h, HEADER",
      "Bearer h, q,    NULL, h, HEADER",
      "NULL,     q,    c,    q, QUERY",
      "NULL,     q,    NULL, q, QUERY",
      "NULL,     q,    '',   q, QUERY",
      "NULL,     NULL, c,    c, COOKIE",
      "bearer h, q,    c,    h, HEADER",
      "BEARER h, q,    c,    h, HEADER",
      "Bearer  h , q,  c,    h, HEADER"})
  void precedence(String header, String query, String cookie, String token, Source source) {
    TokenPresentation p = TokenPresentation.choose(header, query, cookie);
    assertEquals(token, p.token());
    assertEquals(source, p.source());
  }

  /** Verifies that an invalid higher-priority credential fails with 401 instead of falling back to a lower one. */
  @ParameterizedTest
  @CsvSource(nullValues = "NULL", value = {
      "'',          q,    c",
      "Bearer,      q,    c",
      "'Bearer ',   q,    c",
      "'Bearer   ', NULL, c",
      "Basic dXNlcjpwYXNz, q, c",
      "Bearerh,     q,    c",
      "h,           q,    c",
      "NULL,        '',   c"})
  void invalidHigherPriorityFails(String header, String query, String cookie) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> TokenPresentation.choose(header, query, cookie));
    assertEquals(401, e.status());
  }

  /** Verifies that a request without any credential (or with an empty cookie) presents no token. */
  @Test
  void noCredential() {
    assertNull(TokenPresentation.choose(null, null, null));
    assertNull(TokenPresentation.choose(null, null, ""));
  }

  /** Verifies that the text form never holds the token. */
  @Test
  void toStringHidesToken() {
    assertFalse(TokenPresentation.choose("Bearer secret-token", null, null).toString().contains("secret-token"));
  }
}
