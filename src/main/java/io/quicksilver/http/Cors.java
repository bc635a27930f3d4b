package io.quicksilver.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * Cross-origin access from an allowlist.
 *
 * <p>An allowed origin is echoed with {@code Access-Control-Allow-Credentials: true} (so the
 * authorization cookie can be sent); {@code *} in the list allows any origin but never with credentials.
 * Preflight requests are answered here with 204.
 */
public final class Cors implements Handler<RoutingContext> {

  static final String ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID, Cache-Control";
  static final String EXPOSED_HEADERS = "Last-Event-ID, Mercure-Last-Event-ID, Content-Type, Link, ETag, WWW-Authenticate";

  private final List<String> origins;
  private final boolean anyOrigin;

  public Cors(List<String> origins) {
    this.origins = List.copyOf(origins);
    this.anyOrigin = origins.contains("*");
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    String origin = request.getHeader("Origin");
    boolean allowed = false;
    if (origin != null) {
      response.putHeader("Vary", "Origin");
      if (origins.contains(origin.toLowerCase(Locale.ROOT))) {
        response.putHeader("Access-Control-Allow-Origin", origin)
            .putHeader("Access-Control-Allow-Credentials", "true");
        allowed = true;
      } else if (anyOrigin) {
        response.putHeader("Access-Control-Allow-Origin", "*");
        allowed = true;
      }
      if (allowed) {
        response.putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
      }
    }
    if (request.method() == HttpMethod.OPTIONS && request.getHeader("Access-Control-Request-Method") != null) {
      if (allowed) {
        response.putHeader("Access-Control-Allow-Methods", "GET, POST, QUERY, OPTIONS")
            .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
            .putHeader("Access-Control-Max-Age", "600");
      }
      response.setStatusCode(204).end();
      return;
    }
    ctx.next();
  }
}
