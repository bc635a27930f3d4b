package io.quicksilver.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubEndpoint;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;



/** Shared helpers of the active-subscriptions tests, written from the spec, not from the hub's code. */
final class Subs {

  /** The selector of the spec: every subscription event, and every URL of the subscriptions API. */
  static final String OBSERVE = "/.well-known/mercure/subscriptions{/topic}{/subscriber}";
  static final String PREFIX = "/.well-known/mercure/subscriptions";
  static final String UUID_URN = "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private Subs() {
  }

  /** The environment of a hub with active subscriptions. */
  static Map<String, String> env() {
    return Map.of("QS_SUBSCRIPTIONS", "true");
  }

  /** Query-parameter encoding. */
  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** RFC 6570 simple-string expansion: everything but the unreserved characters percent-encoded (upper-case hex). */
  static String pct(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }

  /** {@code /.well-known/mercure/subscriptions/{topic}/{subscriber}}. */
  static String idOf(String topic, String subscriber) {
    return PREFIX + "/" + pct(topic) + "/" + pct(subscriber);
  }

  /** A subscriber token carrying {@code mercure.payload} (and no subscribe rights). */
  static String payloadToken(JsonObject payload) {
    return Tokens.hs256(TestHub.SUBSCRIBER_KEY, new JsonObject().put("mercure", new JsonObject().put("payload", payload)));
  }

  static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  /** Opens a stream on these topics with a bearer token (null: anonymous). */
  static SseClient open(HubEndpoint hub, String token, String... topics) {
    StringBuilder query = new StringBuilder();
    for (String t : topics) {
      query.append(query.length() == 0 ? "?" : "&").append("topic=").append(q(t));
    }
    SseClient c = SseClient.open(hub.hub(query.toString()), token == null ? Map.of() : bearer(token));
    assertEquals(200, c.status(), c.errorBody());
    return c;
  }

  /**
   * Opens an observer of every subscription event and waits for the event of its own subscription (which
   * proves it is live). The token allows the subscription events.
   */
  static SseClient observer(HubEndpoint hub) {
    SseClient c = open(hub, Tokens.subscriber(OBSERVE), OBSERVE);
    JsonObject own = new JsonObject(c.next(Duration.ofSeconds(10)).data());
    assertEquals(OBSERVE, own.getString("topic"), own.encode());
    assertEquals(true, own.getBoolean("active"));
    return c;
  }

  /** One subscription event: the SSE id and the JSON-LD document. */
  record Ev(String eventId, JsonObject doc) {
  }

  /** The next subscription event on {@code observer} whose document satisfies the condition (others are skipped; bounded). */
  static Ev nextEvent(SseClient observer, Predicate<JsonObject> wanted) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (int i = 0; i < 100; i++) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      SseClient.Event e = observer.next(Duration.ofMillis(left));
      JsonObject doc = new JsonObject(e.data());
      if (wanted.test(doc)) {
        return new Ev(e.lastEventId(), doc);
      }
    }
    throw new AssertionError("no such subscription event");
  }

  /** GET with a bearer token (null: none) and extra headers. */
  static HttpResponse<String> get(URI uri, String token, Map<String, String> headers) {
    Map<String, String> h = new HashMap<>(headers);
    if (token != null) {
      h.put("Authorization", "Bearer " + token);
    }
    return Http.get(uri, h);
  }

  /** Subscriptions in a collection answer whose subscriber is {@code subscriber}. */
  static JsonArray of(JsonObject collection, String subscriber) {
    JsonArray out = new JsonArray();
    for (Object o : collection.getJsonArray("subscriptions")) {
      if (subscriber.equals(((JsonObject) o).getString("subscriber"))) {
        out.add(o);
      }
    }
    return out;
  }
}
