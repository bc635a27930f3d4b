package io.quicksilver.subscriptions;

import io.quicksilver.auth.Authentication;
import io.quicksilver.auth.MercureClaims;
import io.quicksilver.history.EventStore;
import io.quicksilver.mercure.HubPath;
import io.quicksilver.mercure.PercentEncoding;
import io.quicksilver.mercure.ProtocolException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The subscriptions API ("Active Subscriptions", "Subscription API") of both protocol generations on one
 * endpoint; {@link #draft08} tells which one a request is for, and each lists only its own generation's
 * subscriptions (a document must be the event document of that generation).
 *
 * <ul>
 *   <li>Classic: {@code GET /.well-known/mercure/subscriptions[/{topic}[/{subscriber}]]}, JSON-LD,
 *       {@code lastEventID} at the root, a bare {@code ETag} (the last event id).</li>
 *   <li>Draft-08: {@code GET /.well-known/mercure/subscriptions[/{match_type}/{match}[/{subscriber}]]}, plain
 *       JSON, the last event id as the {@code last-event-id} attribute of the {@code rel="mercure"} Link and
 *       as a quoted {@code ETag}.</li>
 * </ul>
 *
 * Both honour {@code If-None-Match}. The caller needs a subscriber token whose subscribe selectors match the
 * requested path (without its query); the authentication step before {@link #handle} verified it.
 */
public final class SubscriptionsApi implements Handler<RoutingContext> {

  private static final String CONTEXT = "https://mercure.rocks/";
  private static final String JSON = "application/json";
  private static final String JSON_LD = "application/ld+json";

  private final EventStore store;
  private final SubscriptionsDirectory directory;

  public SubscriptionsApi(EventStore store, SubscriptionsDirectory directory) {
    this.store = store;
    this.directory = directory;
  }

  /** What a request asks for: the decoded path variables after the prefix, and the generation it speaks. */
  private record Query(String path, List<String> variables, boolean draft08) {

    /** Whether the request names one subscription (rather than a collection). */
    boolean single() {
      return variables.size() == (draft08 ? 3 : 2);
    }

    /** The subscriptions the request lists. */
    Predicate<Subscription> selects() {
      if (draft08) {
        return s -> s.isDraft08()
            && (variables.isEmpty() || s.matchType().equals(variables.get(0)) && s.topic().equals(variables.get(1)))
            && (variables.size() < 3 || s.subscriber().equals(variables.get(2)));
      }
      return s -> !s.isDraft08()
          && (variables.isEmpty() || s.topic().equals(variables.get(0)))
          && (variables.size() < 2 || s.subscriber().equals(variables.get(1)));
    }
  }

  /** First step: a path of no API resource is a 404, before any credential check. */
  public void checkPath(RoutingContext ctx) {
    segments(ctx.request().path());
    ctx.next();
  }

  /** The raw (still percent-encoded) path segments after the prefix. */
  private static List<String> segments(String path) {
    String rest = path.substring(Subscription.PREFIX.length());
    List<String> segments = rest.isEmpty() ? List.of() : List.of(rest.substring(1).split("/", -1));
    if ((!rest.isEmpty() && !rest.startsWith("/")) || segments.size() > 3 || segments.contains("")) {
      throw new ProtocolException(404, "no such subscription resource");
    }
    return segments;
  }

  /** Whether the path and {@code Accept} ask for the draft-08 API (the authentication step's hint); see {@link #draft08}. */
  public static boolean draft08Hint(RoutingContext ctx) {
    return draft08(segments(ctx.request().path()), ctx.request().getHeader("Accept"));
  }

  /** Last step, after the authentication step. */
  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    List<String> segments = segments(path);
    List<String> variables = segments.stream().map(SubscriptionsApi::decode).toList();
    Authentication auth = Authentication.of(ctx);
    MercureClaims claims = auth.require(auth.draft08() ? "an access token is required" : "a subscriber token is required");
    if (!claims.mayReceive(List.of(path))) {
      throw auth.generation().notGranted("the token does not grant subscribing to this URL");
    }
    boolean draft08 = auth.draft08();
    if (draft08 ? segments.size() == 1 : segments.size() > 2) {
      throw new ProtocolException(404, "no such subscription resource");
    }
    Query query = new Query(path, variables, draft08);

    store.lastEventId().compose(lastEventId -> directory.all().map(all -> {
      List<Subscription> matching = all.stream().filter(query.selects()).toList();
      if (query.single() && matching.isEmpty()) {
        throw new ProtocolException(404, "no such subscription");
      }
      if (draft08) {
        respondDraft08(ctx, query, matching, lastEventId);
      } else {
        respondClassic(ctx, query, matching, lastEventId);
      }
      return matching;
    })).onFailure(err -> ctx.fail(err instanceof ProtocolException ? err : new ProtocolException(503, "subscriptions unavailable")));
  }

  /**
   * Whether a request is for the draft-08 API rather than the classic one: the one place that decides. The path
   * shapes overlap (classic {@code /{topic}/{subscriber}}, draft-08 {@code /{match_type}/{match}}), so for now
   * the path and the {@code Accept} header tell, in this order:
   *
   * <ol>
   *   <li>three segments: draft-08 (classic paths have at most two);</li>
   *   <li>one segment: classic (no draft-08 path has one);</li>
   *   <li>{@code Accept} names {@code application/ld+json}: classic;</li>
   *   <li>two segments, the first a matcher type ({@code exact}, {@code urlpattern}): draft-08;</li>
   *   <li>{@code Accept} names {@code application/json}: draft-08;</li>
   *   <li>otherwise classic (the collection without {@code Accept}, as classic clients ask for it).</li>
   * </ol>
   *
   * A draft-08 access token makes the request a draft-08 one whatever these rules say.
   *
   * @param segments the raw (still percent-encoded) path segments after the prefix
   * @param accept   the request's {@code Accept} header, or null
   */
  static boolean draft08(List<String> segments, String accept) {
    if (segments.size() == 3) {
      return true;
    }
    if (segments.size() == 1 || accepts(accept, JSON_LD)) {
      return false;
    }
    if (segments.size() == 2 && Subscription.isMatchType(segments.get(0))) {
      return true;
    }
    return accepts(accept, JSON);
  }

  /** Whether an {@code Accept} header names this media type (parameters and weights ignored). */
  private static boolean accepts(String accept, String mediaType) {
    if (accept == null) {
      return false;
    }
    for (String range : accept.split(",")) {
      int semicolon = range.indexOf(';');
      String type = (semicolon < 0 ? range : range.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
      if (type.equals(mediaType)) {
        return true;
      }
    }
    return false;
  }

  private static void respondClassic(RoutingContext ctx, Query query, List<Subscription> matching, String lastEventId) {
    JsonObject doc = new JsonObject().put("@context", CONTEXT);
    if (query.single()) {
      doc.mergeIn(matching.get(0).toJson());
    } else {
      doc.put("id", query.path()).put("type", "Subscriptions").put("subscriptions", documents(matching));
    }
    doc.put("lastEventID", lastEventId);
    ctx.response().putHeader("Link", "<" + HubPath.VALUE + ">; rel=\"mercure\"");
    respond(ctx, JSON_LD, doc, lastEventId, lastEventId);
  }

  /** Draft-08: the single document is the event document unmodified; the cursor travels in the Link header. */
  private static void respondDraft08(RoutingContext ctx, Query query, List<Subscription> matching, String lastEventId) {
    JsonObject doc = query.single() ? matching.get(0).toJson()
        : new JsonObject().put("id", query.path()).put("type", "subscriptions").put("subscriptions", documents(matching));
    HttpServerResponse response = ctx.response();
    response.putHeader("Link", "<" + HubPath.VALUE + ">; rel=\"mercure\"; " + linkAttribute("last-event-id", lastEventId)
        + "; type=\"" + SubscriptionsDirectory.EVENT_TYPE + "\"; content-type=\"" + JSON + "\"");
    String opaque = entityTag(lastEventId);
    respond(ctx, JSON, doc, opaque, "\"" + opaque + "\"");
  }

  private static JsonArray documents(List<Subscription> subscriptions) {
    return new JsonArray(subscriptions.stream().map(Subscription::toJson).toList());
  }

  /** The common tail: validators, then 304 when {@code If-None-Match} names the current entity tag, else the document. */
  private static void respond(RoutingContext ctx, String contentType, JsonObject doc, String opaqueTag, String etagHeader) {
    HttpServerResponse response = ctx.response()
        .putHeader("ETag", etagHeader)
        .putHeader("Cache-Control", "must-revalidate");
    String ifNoneMatch = ctx.request().getHeader("If-None-Match");
    if (ifNoneMatch != null && matches(ifNoneMatch, opaqueTag)) {
      response.setStatusCode(304).end();
    } else {
      response.putHeader("Content-Type", contentType).end(doc.encode());
    }
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

  /**
   * The opaque part of the draft-08 entity tag: the event id itself when it is made of RFC 9110 {@code etagc}
   * characters; otherwise every byte outside them, and {@code %} and {@code ,} (which would split an
   * {@code If-None-Match} list), percent-encoded, so distinct ids keep distinct tags.
   */
  static String entityTag(String eventId) {
    return PercentEncoding.encode(eventId, PercentEncoding.ENTITY_TAG);
  }

  /**
   * A Link target attribute (RFC 8288): a quoted string when the value is printable ASCII (with {@code "} and
   * {@code \} escaped), else the RFC 8187 extended form {@code name*=UTF-8''...}, as a header carries ASCII only.
   */
  static String linkAttribute(String name, String value) {
    boolean printable = value.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
    StringBuilder sb = new StringBuilder(value.length() + name.length() + 12);
    if (printable) {
      sb.append(name).append("=\"");
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '"' || c == '\\') {
          sb.append('\\');
        }
        sb.append(c);
      }
      return sb.append('"').toString();
    }
    return sb.append(name).append("*=UTF-8''").append(PercentEncoding.encode(value, PercentEncoding.ATTR_CHAR)).toString();
  }

  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ProtocolException.badRequest("malformed percent-encoding in the path");
    }
  }
}
