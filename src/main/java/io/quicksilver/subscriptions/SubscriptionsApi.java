package io.quicksilver.subscriptions;

import io.quicksilver.auth.Authorizer;
import io.quicksilver.auth.MercureClaims;
import io.quicksilver.history.EventStore;
import io.quicksilver.http.HubHttpVerticle;
import io.quicksilver.http.Requests;
import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.TopicSelector;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /.well-known/mercure/subscriptions[/{topic}[/{subscriber}]]} (classic protocol, "Subscription
 * API"): JSON-LD, {@code lastEventID} at the root, an {@code ETag} (the last event id) honoured by
 * {@code If-None-Match}. The caller needs a subscriber token whose {@code mercure.subscribe} matches the
 * requested path.
 */
public final class SubscriptionsApi implements Handler<RoutingContext> {

  private final Authorizer authorizer;
  private final String cookieName;
  private final EventStore store;
  private final SubscriptionsDirectory directory;

  public SubscriptionsApi(Authorizer authorizer, String cookieName, EventStore store, SubscriptionsDirectory directory) {
    this.authorizer = authorizer;
    this.cookieName = cookieName;
    this.store = store;
    this.directory = directory;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String path = request.path();
    String rest = path.substring(Subscription.PREFIX.length());
    String[] parts = rest.isEmpty() ? new String[0] : rest.substring(1).split("/", -1);
    if ((!rest.isEmpty() && !rest.startsWith("/")) || parts.length > 2 || List.of(parts).contains("")) {
      throw new ProtocolException(404, "no such subscription resource");
    }
    String topic = parts.length > 0 ? decode(parts[0]) : null;
    String subscriber = parts.length > 1 ? decode(parts[1]) : null;
    authorize(request, path);

    store.lastEventId().compose(lastEventId -> directory.all().map(all -> {
      List<Subscription> matching = all.stream()
          .filter(s -> topic == null || s.topic().equals(topic))
          .filter(s -> subscriber == null || s.subscriber().equals(subscriber))
          .toList();
      JsonObject doc;
      if (subscriber != null) {
        if (matching.isEmpty()) {
          throw new ProtocolException(404, "no such subscription");
        }
        doc = new JsonObject().put("@context", "https://mercure.rocks/").mergeIn(matching.get(0).toJson());
      } else {
        doc = new JsonObject()
            .put("@context", "https://mercure.rocks/")
            .put("id", path)
            .put("type", "Subscriptions")
            .put("subscriptions", new JsonArray(matching.stream().map(Subscription::toJson).toList()));
      }
      return doc.put("lastEventID", lastEventId);
    }).map(doc -> {
      String etag = lastEventId;
      ctx.response()
          .putHeader("Link", "<" + HubHttpVerticle.HUB_PATH + ">; rel=\"mercure\"")
          .putHeader("ETag", etag)
          .putHeader("Cache-Control", "must-revalidate");
      String ifNoneMatch = request.getHeader("If-None-Match");
      if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
        ctx.response().setStatusCode(304).end();
      } else {
        ctx.response().putHeader("Content-Type", "application/ld+json").end(doc.encode());
      }
      return doc;
    })).onFailure(err -> ctx.fail(err instanceof ProtocolException ? err : new ProtocolException(503, "subscriptions unavailable")));
  }

  private void authorize(HttpServerRequest request, String path) {
    MercureClaims claims = authorizer.claims(Requests.credentials(request, Requests.query(request), cookieName), false);
    if (claims == null) {
      throw ProtocolException.unauthorized("a subscriber token is required");
    }
    for (TopicSelector s : claims.subscribe()) {
      if (s.matches(path)) {
        return;
      }
    }
    throw ProtocolException.forbidden("the token's mercure.subscribe does not match this URL");
  }

  /** If-None-Match: a list of entity tags, quoted or (as the protocol's examples write them) bare, or {@code *}. */
  static boolean matches(String ifNoneMatch, String etag) {
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
        c = c.substring(1, c.length() - 1);
      }
      if (c.equals("*") || c.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ProtocolException.badRequest("malformed percent-encoding in the path");
    }
  }
}
