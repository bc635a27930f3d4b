package io.quicksilver.subscriptions;

import static io.quicksilver.subscriptions.Subs.OBSERVE;
import static io.quicksilver.subscriptions.Subs.PREFIX;
import static io.quicksilver.subscriptions.Subs.UUID_URN;
import static io.quicksilver.subscriptions.Subs.get;
import static io.quicksilver.subscriptions.Subs.idOf;
import static io.quicksilver.subscriptions.Subs.nextEvent;
import static io.quicksilver.subscriptions.Subs.observer;
import static io.quicksilver.subscriptions.Subs.open;
import static io.quicksilver.subscriptions.Subs.payloadToken;
import static io.quicksilver.subscriptions.Subs.pct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Await;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/** The subscriptions API (classic protocol, "Active Subscriptions", "Subscription API"), built from the spec's examples. */
@Timeout(120)
class SubscriptionsApiTest {

  private static final String SELECTOR = "https://example.com/{selector}";
  private static final String A_TOPIC = "https://example.com/a-topic";

  private TestHub hub;
  private final String reader = Tokens.subscriber(OBSERVE);

  @BeforeEach
  void startHub() {
    hub = TestHub.start(Subs.env());
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  private HttpResponse<String> api(String path, String token) {
    return get(hub.uri(path), token, Map.of());
  }

  private static JsonObject ok(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/ld+json"), r.headers().toString());
    return new JsonObject(r.body());
  }

  private static String etag(HttpResponse<String> r) {
    String etag = r.headers().firstValue("ETag").orElse(null);
    assertNotNull(etag, "ETag header");
    assertFalse(etag.isBlank());
    return etag;
  }

  private static String unquoted(String etag) {
    String e = etag.startsWith("W/") ? etag.substring(2) : etag;
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
  }

  /** Verifies that before any event the collection is empty and its lastEventID is {@code earliest}. */
  @Test
  void emptyCollection() {
    JsonObject doc = ok(api(PREFIX, reader));
    assertEquals("https://mercure.rocks/", doc.getString("@context"));
    assertEquals(PREFIX, doc.getString("id"));
    assertEquals("Subscriptions", doc.getString("type"));
    assertEquals("earliest", doc.getString("lastEventID"));
    assertEquals(new JsonArray(), doc.getJsonArray("subscriptions"));
  }

  /** Verifies that the collection follows the spec's first example: headers, root properties, lastEventID of the last event, and the active subscriptions. */
  @Test
  void collectionOfTheSpecExample() {
    try (SseClient observer = observer(hub);
         SseClient s1 = open(hub, payloadToken(new JsonObject().put("foo", "bar")), SELECTOR);
         SseClient s2 = open(hub, payloadToken(new JsonObject().put("baz", "bat")), A_TOPIC);
         SseClient s3 = open(hub, payloadToken(new JsonObject().put("foo", "bap")), SELECTOR)) {
      Set<String> seen = new HashSet<>();
      String lastEvent = null;
      while (seen.size() < 3) {
        Subs.Ev ev = nextEvent(observer, d -> !OBSERVE.equals(d.getString("topic")));
        seen.add(ev.doc().getString("subscriber"));
        lastEvent = ev.eventId();
      }
      HttpResponse<String> r = api(PREFIX, reader);
      JsonObject doc = ok(r);
      assertTrue(r.headers().firstValue("Link").orElse("").matches("<(https?://[^/]+)?/\\.well-known/mercure>; *rel=\"?mercure\"?"),
          r.headers().firstValue("Link").orElse("(none)"));
      assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("must-revalidate"));
      assertEquals("https://mercure.rocks/", doc.getString("@context"));
      assertEquals(PREFIX, doc.getString("id"));
      assertEquals("Subscriptions", doc.getString("type"));
      assertEquals(lastEvent, doc.getString("lastEventID"), "the id of the last event dispatched");
      assertEquals(lastEvent, unquoted(etag(r)));

      JsonArray subscriptions = doc.getJsonArray("subscriptions");
      assertEquals(4, subscriptions.size(), subscriptions.encodePrettily()); // with the observer's own
      Set<String> subscribers = new HashSet<>();
      for (Object o : subscriptions) {
        JsonObject s = (JsonObject) o;
        assertTrue(s.getString("subscriber").matches(UUID_URN));
        assertEquals(idOf(s.getString("topic"), s.getString("subscriber")), s.getString("id"));
        assertEquals("Subscription", s.getString("type"));
        assertEquals(true, s.getBoolean("active"));
        subscribers.add(s.getString("subscriber"));
      }
      assertEquals(4, subscribers.size());
      assertEquals(Set.of(new JsonObject().put("foo", "bar"), new JsonObject().put("foo", "bap")),
          payloads(subscriptions, SELECTOR));
      assertEquals(Set.of(new JsonObject().put("baz", "bat")), payloads(subscriptions, A_TOPIC));
    }
  }

  private static Set<Object> payloads(JsonArray subscriptions, String topic) {
    Set<Object> out = new HashSet<>();
    for (Object o : subscriptions) {
      JsonObject s = (JsonObject) o;
      if (topic.equals(s.getString("topic"))) {
        out.add(s.getValue("payload"));
      }
    }
    return out;
  }

  /** Verifies that /{topic} lists only that selector's subscriptions (spec's second example), and is empty for an unknown one. */
  @Test
  void collectionOfOneTopic() {
    try (SseClient s1 = open(hub, payloadToken(new JsonObject().put("foo", "bar")), SELECTOR);
         SseClient s2 = open(hub, payloadToken(new JsonObject().put("baz", "bat")), A_TOPIC);
         SseClient s3 = open(hub, payloadToken(new JsonObject().put("foo", "bap")), SELECTOR, A_TOPIC)) {
      String path = PREFIX + "/" + pct(SELECTOR);
      assertEquals(PREFIX + "/https%3A%2F%2Fexample.com%2F%7Bselector%7D", path);
      JsonObject doc = ok(api(path, reader));
      assertEquals(path, doc.getString("id"));
      assertEquals("Subscriptions", doc.getString("type"));
      assertEquals("https://mercure.rocks/", doc.getString("@context"));
      assertNotNull(doc.getString("lastEventID"));
      JsonArray subscriptions = doc.getJsonArray("subscriptions");
      assertEquals(2, subscriptions.size(), subscriptions.encodePrettily());
      assertEquals(Set.of(new JsonObject().put("foo", "bar"), new JsonObject().put("foo", "bap")), payloads(subscriptions, SELECTOR));

      JsonObject other = ok(api(PREFIX + "/" + pct(A_TOPIC), reader));
      assertEquals(2, other.getJsonArray("subscriptions").size());
      JsonObject none = ok(api(PREFIX + "/" + pct("https://example.com/nobody"), reader));
      assertEquals(new JsonArray(), none.getJsonArray("subscriptions"));
    }
  }

  /** Verifies that /{topic}/{subscriber} answers the subscription's document (spec's third example), 404 for an unknown one, and 404 or inactive once it ended. */
  @Test
  void singleSubscription() {
    String path;
    JsonObject payload = new JsonObject().put("foo", "bar");
    try (SseClient observer = observer(hub)) {
      try (SseClient subject = open(hub, payloadToken(payload), SELECTOR)) {
        String subscriber = nextEvent(observer, d -> SELECTOR.equals(d.getString("topic"))).doc().getString("subscriber");
        path = idOf(SELECTOR, subscriber);
        HttpResponse<String> r = api(path, reader);
        JsonObject doc = ok(r);
        etag(r);
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("must-revalidate"));
        assertTrue(r.headers().firstValue("Link").orElse("").contains("rel=\"mercure\""));
        assertEquals("https://mercure.rocks/", doc.getString("@context"));
        assertEquals(path, doc.getString("id"));
        assertEquals("Subscription", doc.getString("type"));
        assertEquals(SELECTOR, doc.getString("topic"));
        assertEquals(subscriber, doc.getString("subscriber"));
        assertEquals(true, doc.getBoolean("active"));
        assertEquals(payload, doc.getJsonObject("payload"));
        assertNotNull(doc.getString("lastEventID"));

        assertEquals(404, api(idOf(SELECTOR, "urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6"), reader).statusCode());
        assertEquals(404, api(idOf(A_TOPIC, subscriber), reader).statusCode(), "the subscriber has no such selector");
      }
      // ended: 404, or the document with active false (both allowed); polled, the end is noticed asynchronously
      Await.until(() -> api(path, reader), r -> r.statusCode() == 404 || (r.statusCode() == 200 && !new JsonObject(r.body()).getBoolean("active")),
          Duration.ofSeconds(10), r -> r.statusCode() + " " + r.body());
      JsonObject collection = ok(api(PREFIX, reader));
      for (Object o : collection.getJsonArray("subscriptions")) {
        JsonObject s = (JsonObject) o;
        assertTrue(!path.equals(s.getString("id")) || !s.getBoolean("active"), "ended subscription listed as active: " + s);
      }
    }
  }

  /** Verifies that If-None-Match with the current ETag answers 304, and after a new subscription 200 with a new ETag. */
  @Test
  void conditionalRequests() {
    try (SseClient s1 = open(hub, payloadToken(new JsonObject().put("foo", "bar")), SELECTOR)) {
      String etag = awaitEtagOtherThan(null);
      HttpResponse<String> same = get(hub.uri(PREFIX), reader, Map.of("If-None-Match", etag));
      assertEquals(304, same.statusCode(), same.body());
      assertEquals("", same.body());
      assertEquals(304, get(hub.uri(PREFIX), reader, Map.of("If-None-Match", "\"" + unquoted(etag) + "\"")).statusCode(), "quoted entity tag");
      assertEquals(304, get(hub.uri(PREFIX + "/" + pct(SELECTOR)), reader, Map.of("If-None-Match", etag)).statusCode());
      assertEquals(200, get(hub.uri(PREFIX), reader, Map.of("If-None-Match", "\"urn:uuid:00000000-0000-0000-0000-000000000000\"")).statusCode());
      try (SseClient s2 = open(hub, payloadToken(new JsonObject().put("baz", "bat")), A_TOPIC)) {
        String newer = awaitEtagOtherThan(etag);
        assertNotEquals(etag, newer);
        HttpResponse<String> r = get(hub.uri(PREFIX), reader, Map.of("If-None-Match", etag));
        assertEquals(200, r.statusCode());
        assertEquals(newer, etag(r));
        assertEquals(2, ok(r).getJsonArray("subscriptions").size());
      }
    }
  }

  /** Polls the collection until its ETag differs from {@code previous} (bounded: subscription events are appended asynchronously). */
  private String awaitEtagOtherThan(String previous) {
    return etag(Await.until(() -> get(hub.uri(PREFIX), reader, previous == null ? Map.of() : Map.of("If-None-Match", previous)),
        r -> r.statusCode() == 200 && !"earliest".equals(new JsonObject(r.body()).getString("lastEventID")),
        Duration.ofSeconds(10), r -> "the ETag did not change from " + previous));
  }


  /** Verifies that the API needs a subscriber token (401) whose mercure.subscribe matches the requested URL (else 403). */
  @Test
  void authorization() {
    try (SseClient observer = observer(hub);
         SseClient subject = open(hub, payloadToken(new JsonObject().put("foo", "bar")), SELECTOR)) {
      String subscriber = nextEvent(observer, d -> SELECTOR.equals(d.getString("topic"))).doc().getString("subscriber");
      String topicPath = PREFIX + "/" + pct(SELECTOR);
      String itemPath = idOf(SELECTOR, subscriber);
      for (String path : List.of(PREFIX, topicPath, itemPath)) {
        assertEquals(401, api(path, null).statusCode(), path);
        assertEquals(401, api(path, Tokens.publisher("*")).statusCode(), "publisher key: " + path);
        assertEquals(401, api(path, "not-a-token").statusCode(), path);
        assertEquals(403, api(path, Tokens.subscriber(SELECTOR, "https://example.com/{a}/{b}")).statusCode(), path);
        assertEquals(403, api(path, payloadToken(new JsonObject())).statusCode(), "no mercure.subscribe: " + path);
        assertEquals(200, api(path, reader).statusCode(), "the spec's selector: " + path);
        assertEquals(200, api(path, Tokens.subscriber("*")).statusCode(), "*: " + path);
        assertEquals(200, api(path, Tokens.subscriber("https://example.com/x", path)).statusCode(), "exact URL: " + path);
      }
      // an exact selector matches only its URL
      String collectionOnly = Tokens.subscriber(PREFIX);
      assertEquals(200, api(PREFIX, collectionOnly).statusCode());
      assertEquals(403, api(topicPath, collectionOnly).statusCode());
      assertEquals(403, api(itemPath, collectionOnly).statusCode());
      // {/topic} alone: the collection and the topic's collection, not the items
      String topicsOnly = Tokens.subscriber(PREFIX + "{/topic}");
      assertEquals(200, api(PREFIX, topicsOnly).statusCode());
      assertEquals(200, api(topicPath, topicsOnly).statusCode());
      assertEquals(403, api(itemPath, topicsOnly).statusCode());
      // the token in the cookie and in the query, like the subscribe endpoint
      assertEquals(200, get(hub.uri(itemPath), null, Map.of("Cookie", "mercureAuthorization=" + reader)).statusCode());
      assertEquals(200, get(hub.uri(itemPath + "?authorization=" + reader), null, Map.of()).statusCode());
    }
  }
}
