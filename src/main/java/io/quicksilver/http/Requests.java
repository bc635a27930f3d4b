package io.quicksilver.http;

import io.quicksilver.auth.RequestCredentials;
import io.quicksilver.mercure.FormData;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;

/** Reading the protocol's inputs off an HTTP request. */
public final class Requests {

  private Requests() {
  }

  /** The query string, decoded strictly (a malformed escape or invalid UTF-8 is a 400). */
  public static FormData query(HttpServerRequest request) {
    String raw = request.query();
    return FormData.parse(raw == null ? new byte[0] : raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Every credential the request carries: header, {@code authorization} query parameter, cookie, origin. */
  public static RequestCredentials credentials(HttpServerRequest request, FormData query, String cookieName) {
    Cookie cookie = request.getCookie(cookieName);
    return new RequestCredentials(request.getHeader("Authorization"), query.first("authorization"),
        cookie == null ? null : cookie.getValue(), request.getHeader("Origin"), request.getHeader("Referer"));
  }
}
