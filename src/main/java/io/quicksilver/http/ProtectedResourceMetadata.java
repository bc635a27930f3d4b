package io.quicksilver.http;

import io.quicksilver.mercure.HubPath;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /.well-known/oauth-protected-resource/.well-known/mercure}: the hub's OAuth 2.0 Protected
 * Resource Metadata (RFC 9728; draft-08 "Protected Resource Metadata").
 *
 * <p>{@code resource} is the resource identifier tokens must name in {@code aud}. No
 * {@code authorization_servers} member: the hub trusts configured issuers, which may be self-issuing
 * publishers rather than authorization servers with metadata of their own.
 */
public final class ProtectedResourceMetadata implements Handler<RoutingContext> {

  /** The well-known URI suffix of RFC 9728. */
  public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";
  /** The document's path for the hub's path. */
  public static final String PATH = WELL_KNOWN + HubPath.VALUE;
  /** The authorization detail type of draft-08 tokens. */
  public static final String DETAIL_TYPE = "https://mercure.rocks/authorization-detail";

  private final String configuredResource;
  private final String cookieName;
  private final boolean subscriptions;

  /**
   * @param configuredResource the configured resource identifier, or null to derive it from each request
   * @param cookieName         the cookie that may carry the access token
   * @param subscriptions      whether active subscriptions are on
   */
  public ProtectedResourceMetadata(String configuredResource, String cookieName, boolean subscriptions) {
    this.configuredResource = configuredResource;
    this.cookieName = cookieName;
    this.subscriptions = subscriptions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject doc = new JsonObject()
        .put("resource", Requests.resourceIdentifier(ctx.request(), configuredResource))
        .put("authorization_details_types_supported", new JsonArray().add(DETAIL_TYPE))
        .put("bearer_methods_supported", new JsonArray().add("header"))
        .put("mercure_cookie", cookieName)
        .put("mercure_matcher_types_supported", new JsonArray().add("exact").add("urlpattern"));
    if (subscriptions) {
      doc.put("mercure_subscriptions", true);
    }
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=300")
        .end(doc.encode());
  }
}
