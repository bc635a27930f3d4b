package io.quicksilver.subscriptions;

import static io.quicksilver.subscriptions.Subs.PREFIX;
import static io.quicksilver.subscriptions.Subs.get;
import static io.quicksilver.subscriptions.Subs.pct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.Update;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/**
 * The draft-08 subscriptions API ("Active Subscriptions", "Subscription API"), built from the spec's examples.
 * Draft-08 subscriptions are registered in the directory directly, as the subscribe endpoint will.
 */
@Timeout(120)
class Draft08SubscriptionsApiTest {

  private static final String SELECTOR = "https://example.com/:selector";
  private static final String A_TOPIC = "https://example.com/a-topic";
  private static final String S1 = "urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6";
  private static final String S2 = "urn:uuid:1e0cba4c-4bcd-44f0-ae8a-7b76f7ef1280";
  private static final String S3 = "urn:uuid:a6c49794-5f74-4723-999c-3a7e33e51d49";
  private static final Map<String, String> JSON = Map.of("Accept", "application/json");

  private DirectoryHub hub;
  private final String reader = Tokens.subscriber(PREFIX + "{/a}{/b}{/c}");

  @BeforeEach
  void startHub() {
    hub = DirectoryHub.start();
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private HttpResponse<String> api(String path, String token, Map<String, String> headers) {
    return get(hub.uri(path), token, headers);
  }

  /** The three subscriptions of the spec's examples, opened in order; returns the id of the last event. */
  private String openSpecExample() {
    hub.open(Subscription.draft08("urlpattern", SELECTOR, S1, new JsonObject().put("foo", "bar")));
    hub.open(Subscription.draft08("exact", A_TOPIC, S2, new JsonObject().put("baz", "bat")));
    return hub.open(Subscription.draft08("urlpattern", SELECTOR, S3, new JsonObject().put("foo", "bap")));
  }

  /** The spec's document of subscription {@code subscriber}. */
  private static JsonObject specDocument(String matchType, String match, String subscriber, JsonObject payload) {
    return new JsonObject()
        .put("id", PREFIX + "/" + matchType + "/" + pct(match) + "/" + pct(subscriber))
        .put("type", "subscription")
        .put("match_type", matchType)
        .put("match", match)
        .put("subscriber", subscriber)
        .put("active", true)
        .put("payload", payload);
  }

  /** A 200 answer of the draft-08 API: plain JSON, the spec's Link and a quoted ETag, both carrying {@code lastEventId}. */
  private static JsonObject ok(HttpResponse<String> r, String lastEventId) {
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("</.well-known/mercure>; rel=\"mercure\"; last-event-id=\"" + lastEventId + "\"; type=\"mercure\"; content-type=\"application/json\"",
        r.headers().firstValue("Link").orElse("(none)"));
    assertEquals("\"" + lastEventId + "\"", r.headers().firstValue("ETag").orElse("(none)"));
    assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("must-revalidate"));
    JsonObject doc = new JsonObject(r.body());
    assertFalse(doc.containsKey("@context"), "plain JSON, not JSON-LD");
    assertFalse(doc.containsKey("lastEventID"), "the cursor travels in the Link header");
    return doc;
  }

  /** The documents of a collection by id (their order is not specified). */
  private static Map<String, JsonObject> byId(JsonArray subscriptions) {
    Map<String, JsonObject> out = new HashMap<>();
    for (int i = 0; i < subscriptions.size(); i++) {
      JsonObject s = subscriptions.getJsonObject(i);
      assertNull(out.put(s.getString("id"), s), "listed once: " + s.getString("id"));
    }
    return out;
  }

  private static Map<String, JsonObject> byId(JsonObject... documents) {
    Map<String, JsonObject> out = new HashMap<>();
    for (JsonObject d : documents) {
      out.put(d.getString("id"), d);
    }
    return out;
  }

  /** Verifies that before any event the collection is empty and its cursor is {@code earliest}. */
  @Test
  void emptyCollection() {
    JsonObject doc = ok(api(PREFIX, reader, JSON), "earliest");
    assertEquals(new JsonObject().put("id", PREFIX).put("type", "subscriptions").put("subscriptions", new JsonArray()), doc);
  }

  /** Verifies that the collection follows the spec's first example, lists only draft-08 subscriptions, and that the classic collection lists only classic ones. */
  @Test
  void collectionOfTheSpecExample() {
    Subscription classic = Subscription.classic("https://example.com/{selector}", "urn:uuid:00000000-0000-4000-8000-000000000001", null);
    hub.open(classic);
    String last = openSpecExample();
    JsonObject doc = ok(api(PREFIX, reader, JSON), last);
    assertEquals(PREFIX, doc.getString("id"));
    assertEquals("subscriptions", doc.getString("type"));
    assertEquals(byId(
        specDocument("urlpattern", SELECTOR, S1, new JsonObject().put("foo", "bar")),
        specDocument("exact", A_TOPIC, S2, new JsonObject().put("baz", "bat")),
        specDocument("urlpattern", SELECTOR, S3, new JsonObject().put("foo", "bap"))), byId(doc.getJsonArray("subscriptions")));

    HttpResponse<String> classicAnswer = api(PREFIX, reader, Map.of());
    assertEquals("application/ld+json", classicAnswer.headers().firstValue("Content-Type").orElse(""));
    JsonObject classicDoc = new JsonObject(classicAnswer.body());
    assertEquals(new JsonArray().add(classic.toJson()), classicDoc.getJsonArray("subscriptions"));
    assertEquals(last, classicDoc.getString("lastEventID"));
  }

  /** Verifies that /{match_type}/{match} lists the subscriptions of that matcher of that type only (spec's second example). */
  @Test
  void collectionOfOneMatcher() {
    openSpecExample();
    String last = hub.open(Subscription.draft08("exact", SELECTOR, S2, null));
    String path = PREFIX + "/urlpattern/" + pct(SELECTOR);
    assertEquals(PREFIX + "/urlpattern/https%3A%2F%2Fexample.com%2F%3Aselector", path);
    JsonObject doc = ok(api(path, reader, Map.of()), last);
    assertEquals(path, doc.getString("id"));
    assertEquals("subscriptions", doc.getString("type"));
    assertEquals(byId(
        specDocument("urlpattern", SELECTOR, S1, new JsonObject().put("foo", "bar")),
        specDocument("urlpattern", SELECTOR, S3, new JsonObject().put("foo", "bap"))), byId(doc.getJsonArray("subscriptions")));

    JsonArray exact = new JsonObject(api(PREFIX + "/exact/" + pct(SELECTOR), reader, Map.of()).body()).getJsonArray("subscriptions");
    assertEquals(1, exact.size(), exact.encode());
    assertEquals("exact", exact.getJsonObject(0).getString("match_type"));
    JsonObject none = new JsonObject(api(PREFIX + "/exact/" + pct("https://example.com/nobody"), reader, Map.of()).body());
    assertEquals(new JsonArray(), none.getJsonArray("subscriptions"));
  }

  /** Verifies that /{match_type}/{match}/{subscriber} answers the event document unmodified (spec's third example), 404 for unknown and ended ones. */
  @Test
  void singleSubscription() {
    String last = openSpecExample();
    JsonObject expected = specDocument("urlpattern", SELECTOR, S1, new JsonObject().put("foo", "bar"));
    String path = expected.getString("id");
    assertEquals("/.well-known/mercure/subscriptions/urlpattern/https%3A%2F%2Fexample.com%2F%3Aselector/urn%3Auuid%3Abb3de268-05b0-4c65-b44e-8f9acefc29d6", path);
    assertEquals(expected, ok(api(path, reader, Map.of()), last));
    assertEquals(expected, ok(api(path, reader, Map.of("Accept", "application/ld+json")), last), "the path shape is draft-08 only");

    assertEquals(404, api(PREFIX + "/urlpattern/" + pct(SELECTOR) + "/" + pct(S2), reader, Map.of()).statusCode(), "not that subscriber's matcher");
    assertEquals(404, api(PREFIX + "/exact/" + pct(SELECTOR) + "/" + pct(S1), reader, Map.of()).statusCode(), "not that matcher type");
    assertEquals(404, api(PREFIX + "/urlpattern/" + pct(SELECTOR) + "/" + pct(S1) + "/x", reader, Map.of()).statusCode());
    hub.close(Subscription.draft08("urlpattern", SELECTOR, S1, new JsonObject().put("foo", "bar")));
    assertEquals(404, api(path, reader, Map.of()).statusCode(), "ended");
  }

  /** Verifies that subscription events of draft-08 subscriptions are stored as private updates on their id, typed {@code mercure}, carrying the document. */
  @Test
  void eventsAreStoredAsSpecified() {
    Subscription s = Subscription.draft08("urlpattern", SELECTOR, S1, new JsonObject().put("foo", "bar"));
    String opened = hub.open(s);
    String closed = hub.close(s);
    List<Update> updates = DirectoryHub.await(hub.store().latest(2));
    assertEquals(List.of(opened, closed), updates.stream().map(Update::id).toList());
    for (Update u : updates) {
      assertEquals(List.of(s.id()), u.topics());
      assertTrue(u.privateUpdate());
      assertEquals("mercure", u.type());
    }
    assertEquals(specDocument("urlpattern", SELECTOR, S1, new JsonObject().put("foo", "bar")), new JsonObject(updates.get(0).data()));
    assertEquals(false, new JsonObject(updates.get(1).data()).getBoolean("active"));
  }

  /** Verifies that If-None-Match with the current entity tag (quoted or bare) answers 304, and 200 with a new tag after another event. */
  @Test
  void conditionalRequests() {
    String last = openSpecExample();
    String etag = "\"" + last + "\"";
    String topicPath = PREFIX + "/urlpattern/" + pct(SELECTOR);
    for (String path : List.of(PREFIX, topicPath, topicPath + "/" + pct(S1))) {
      HttpResponse<String> same = api(path, reader, Map.of("Accept", "application/json", "If-None-Match", etag));
      assertEquals(304, same.statusCode(), path + " " + same.body());
      assertEquals("", same.body());
      assertEquals(304, api(path, reader, Map.of("Accept", "application/json", "If-None-Match", "W/\"x\", " + etag)).statusCode(), path);
    }
    String newer = hub.open(Subscription.draft08("exact", A_TOPIC, S3, null));
    HttpResponse<String> r = api(PREFIX, reader, Map.of("Accept", "application/json", "If-None-Match", etag));
    assertEquals(4, ok(r, newer).getJsonArray("subscriptions").size());
  }

  /** Verifies that the API needs a subscriber token (401) whose subscribe selectors match the requested path, query excluded (else 403). */
  @Test
  void authorization() {
    openSpecExample();
    String topicPath = PREFIX + "/urlpattern/" + pct(SELECTOR);
    String itemPath = topicPath + "/" + pct(S1);
    for (String path : List.of(PREFIX, topicPath, itemPath)) {
      assertEquals(401, api(path, null, JSON).statusCode(), path);
      assertEquals(403, api(path, Tokens.subscriber(SELECTOR), JSON).statusCode(), path);
      assertEquals(200, api(path, Tokens.subscriber("*"), JSON).statusCode(), path);
      assertEquals(200, api(path, Tokens.subscriber("https://example.com/x", path), JSON).statusCode(), "exact URL: " + path);
      assertEquals(200, api(path + "?x=1", Tokens.subscriber(path), JSON).statusCode(), "query not part of the topic: " + path);
    }
    String collectionOnly = Tokens.subscriber(PREFIX);
    assertEquals(200, api(PREFIX, collectionOnly, JSON).statusCode());
    assertEquals(403, api(topicPath, collectionOnly, JSON).statusCode());
    assertEquals(403, api(itemPath, collectionOnly, JSON).statusCode());
  }

  /** Verifies that cross-origin callers may read the Link header (and the ETag) that carry the cursor. */
  @Test
  void linkExposedCrossOrigin() {
    HttpResponse<String> r = api(PREFIX, reader, Map.of("Accept", "application/json", "Origin", DirectoryHub.ORIGIN));
    assertEquals(200, r.statusCode());
    String exposed = r.headers().firstValue("Access-Control-Expose-Headers").orElse("");
    assertTrue(List.of(exposed.split(", *")).containsAll(List.of("Link", "ETag")), exposed);
    assertNull(api(PREFIX, reader, JSON).headers().firstValue("Access-Control-Expose-Headers").orElse(null), "same origin");
  }
}
