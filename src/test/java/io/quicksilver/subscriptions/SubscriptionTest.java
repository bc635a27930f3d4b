package io.quicksilver.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.PercentEncoding;
import io.quicksilver.mercure.PublishRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;



/** Subscription ids, documents and events of both protocol generations, without a hub. */
class SubscriptionTest {

  private static final String SUBSCRIBER = "urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6";
  private static final JsonObject PAYLOAD = new JsonObject().put("foo", "bar");

  /** Verifies that the draft-08 id of the spec's example encodes the matcher type, the matcher and the subscriber once each. */
  @Test
  void draft08IdOfTheSpecExample() {
    Subscription s = Subscription.draft08("urlpattern", "https://example.com/:selector", SUBSCRIBER, PAYLOAD);
    assertEquals("/.well-known/mercure/subscriptions/urlpattern/https%3A%2F%2Fexample.com%2F%3Aselector/"
        + "urn%3Auuid%3Abb3de268-05b0-4c65-b44e-8f9acefc29d6", s.id());
  }

  /** Verifies that a {@code %} already in the matcher or the subscriber is encoded exactly once, never left as an escape. */
  @ParameterizedTest
  @CsvSource({
      "https://example.com/a%20b, https%3A%2F%2Fexample.com%2Fa%2520b",
      "100%, 100%25",
      "%25, %2525",
      "https://example.com/é, https%3A%2F%2Fexample.com%2F%C3%A9",
      "*, %2A",
  })
  void draft08MatchEncodedOnce(String match, String encoded) {
    Subscription s = Subscription.draft08("exact", match, "urn:x%41", null);
    assertEquals(Subscription.PREFIX + "/exact/" + encoded + "/urn%3Ax%2541", s.id());
  }

  /** Verifies that the draft-08 document is the spec's plain JSON: no {@code @context}, lower-case type, match_type and match. */
  @Test
  void draft08DocumentOfTheSpecExample() {
    Subscription s = Subscription.draft08("urlpattern", "https://example.com/:selector", SUBSCRIBER, PAYLOAD);
    JsonObject expected = new JsonObject()
        .put("id", "/.well-known/mercure/subscriptions/urlpattern/https%3A%2F%2Fexample.com%2F%3Aselector/urn%3Auuid%3Abb3de268-05b0-4c65-b44e-8f9acefc29d6")
        .put("type", "subscription")
        .put("match_type", "urlpattern")
        .put("match", "https://example.com/:selector")
        .put("subscriber", SUBSCRIBER)
        .put("active", true)
        .put("payload", PAYLOAD);
    assertEquals(expected, s.toJson());
    assertEquals(expected.copy().put("active", false), s.ended().toJson());
    assertFalse(Subscription.draft08("exact", "https://example.com/a-topic", SUBSCRIBER, null).toJson().containsKey("payload"));
  }

  /** Verifies that a draft-08 subscription's event is a private update on its id, typed {@code mercure}, whose data is the document. */
  @Test
  void draft08Event() {
    Subscription s = Subscription.draft08("exact", "*", SUBSCRIBER, PAYLOAD);
    PublishRequest event = SubscriptionsDirectory.event(s);
    assertEquals(List.of(Subscription.PREFIX + "/exact/%2A/" + PercentEncoding.encode(SUBSCRIBER, PercentEncoding.SIMPLE_EXPANSION)), event.topics());
    assertTrue(event.privateUpdate());
    assertEquals("mercure", event.type());
    assertNull(event.id(), "the hub assigns the event id");
    JsonObject data = new JsonObject(event.data());
    assertEquals(s.toJson(), data);
    assertEquals("exact", data.getString("match_type"), "the request's matcher type, also for *");
    assertFalse(data.containsKey("@context"));
  }

  /** Verifies that classic ids, documents and events keep their shape: JSON-LD with {@code @context}, default event type. */
  @Test
  void classicUnchanged() {
    Subscription s = Subscription.classic("https://example.com/{selector}", SUBSCRIBER, PAYLOAD);
    assertEquals(new Subscription("https://example.com/{selector}", SUBSCRIBER, PAYLOAD, true, null), s);
    assertNull(s.matchType());
    assertFalse(s.isDraft08());
    assertEquals("/.well-known/mercure/subscriptions/https%3A%2F%2Fexample.com%2F%7Bselector%7D/urn%3Auuid%3Abb3de268-05b0-4c65-b44e-8f9acefc29d6", s.id());
    JsonObject expected = new JsonObject()
        .put("id", s.id())
        .put("type", "Subscription")
        .put("topic", "https://example.com/{selector}")
        .put("subscriber", SUBSCRIBER)
        .put("active", true)
        .put("payload", PAYLOAD);
    assertEquals(expected, s.toJson());
    PublishRequest event = SubscriptionsDirectory.event(s);
    assertEquals(List.of(s.id()), event.topics());
    assertTrue(event.privateUpdate());
    assertNull(event.type());
    assertEquals(new JsonObject().put("@context", "https://mercure.rocks/").mergeIn(expected), new JsonObject(event.data()));
  }

  /** Verifies that both generations survive the JSON form subscriptions travel in between nodes, matcher type included. */
  @Test
  void wireFormCarriesTheGeneration() {
    List<Subscription> all = List.of(
        Subscription.classic("https://example.com/{selector}", SUBSCRIBER, PAYLOAD),
        Subscription.draft08("urlpattern", "https://example.com/:selector", SUBSCRIBER, PAYLOAD),
        Subscription.draft08("exact", "*", "urn:uuid:1e0cba4c-4bcd-44f0-ae8a-7b76f7ef1280", null));
    SubscriptionIndex index = new SubscriptionIndex();
    all.forEach(index::add);
    JsonArray wire = new JsonArray(index.toJson().encode());
    assertEquals(all.size(), wire.size());
    assertEquals(Set.copyOf(all), Set.copyOf(SubscriptionIndex.fromJson(wire)));
  }

  /** Verifies that a draft-08 subscription needs a supported matcher type in its canonical case. */
  @Test
  void unknownMatcherTypeRefused() {
    assertThrows(IllegalArgumentException.class, () -> Subscription.draft08("URLPattern", "x", SUBSCRIBER, null));
    assertThrows(IllegalArgumentException.class, () -> Subscription.draft08("regex", "x", SUBSCRIBER, null));
    assertThrows(NullPointerException.class, () -> Subscription.draft08(null, "x", SUBSCRIBER, null));
    assertTrue(Subscription.isMatchType("exact"));
    assertTrue(Subscription.isMatchType("urlpattern"));
  }
}
