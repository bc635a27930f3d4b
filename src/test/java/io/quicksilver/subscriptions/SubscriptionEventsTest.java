package io.quicksilver.subscriptions;

import static io.quicksilver.subscriptions.Subs.OBSERVE;
import static io.quicksilver.subscriptions.Subs.UUID_URN;
import static io.quicksilver.subscriptions.Subs.idOf;
import static io.quicksilver.subscriptions.Subs.nextEvent;
import static io.quicksilver.subscriptions.Subs.observer;
import static io.quicksilver.subscriptions.Subs.open;
import static io.quicksilver.subscriptions.Subs.payloadToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/** Subscription events (classic protocol, "Active Subscriptions", "Subscription Events"), built from the spec's example. */
@Timeout(120)
class SubscriptionEventsTest {

  private static final String SELECTOR = "https://example.com/{selector}";

  private TestHub hub;

  @BeforeEach
  void startHub() {
    hub = TestHub.start(Subs.env());
  }

  @AfterEach
  void stopHub() {
    hub.close();
  }

  /** Verifies that a subscription produces the spec's JSON-LD document as a private update on its id, active on connect and inactive on disconnect. */
  @Test
  void eventsOfTheSpecExample() {
    try (SseClient observer = observer(hub)) {
      JsonObject payload = new JsonObject().put("foo", "bar");
      JsonObject opened;
      try (SseClient subject = open(hub, payloadToken(payload), SELECTOR)) {
        opened = nextEvent(observer, d -> SELECTOR.equals(d.getString("topic"))).doc();
        String subscriber = opened.getString("subscriber");
        assertTrue(subscriber.matches(UUID_URN), subscriber);
        assertEquals("https://mercure.rocks/", opened.getString("@context"));
        assertEquals(idOf(SELECTOR, subscriber), opened.getString("id"));
        assertTrue(opened.getString("id").startsWith("/.well-known/mercure/subscriptions/https%3A%2F%2Fexample.com%2F%7Bselector%7D/urn%3Auuid%3A"),
            opened.getString("id"));
        assertEquals("Subscription", opened.getString("type"));
        assertEquals(SELECTOR, opened.getString("topic"));
        assertEquals(true, opened.getBoolean("active"));
        assertEquals(payload, opened.getJsonObject("payload"));

        // a subscriber of exactly that id (and allowed to see it) receives the next event: the update's topic is the document's id
        try (SseClient exact = open(hub, Tokens.subscriber(opened.getString("id")), opened.getString("id"))) {
          subject.close();
          JsonObject closed = nextEvent(observer, d -> subscriber.equals(d.getString("subscriber"))).doc();
          assertEquals(false, closed.getBoolean("active"));
          assertEquals(opened.copy().put("active", false), closed);
          SseClient.Event onId = exact.next();
          assertEquals(closed, new JsonObject(onId.data()));
        }
      }
    }
  }

  /** Verifies that a subscriber with several selectors yields one subscription per selector, all with the same subscriber id. */
  @Test
  void oneSubscriptionPerSelectorSameSubscriber() {
    List<String> topics = List.of("https://example.com/a-topic", SELECTOR);
    try (SseClient observer = observer(hub);
         SseClient subject = open(hub, payloadToken(new JsonObject().put("baz", "bat")), topics.toArray(String[]::new))) {
      JsonObject first = nextEvent(observer, d -> topics.contains(d.getString("topic"))).doc();
      JsonObject second = nextEvent(observer, d -> topics.contains(d.getString("topic"))).doc();
      assertEquals(Set.copyOf(topics), Set.of(first.getString("topic"), second.getString("topic")));
      assertEquals(first.getString("subscriber"), second.getString("subscriber"));
      assertNotEquals(first.getString("id"), second.getString("id"));
      assertEquals(idOf(second.getString("topic"), second.getString("subscriber")), second.getString("id"));
    }
  }

  /** Verifies that subscription events are private: anonymous or unentitled subscribers of {@code *} or of the events' selector see a later control update first. */
  @Test
  void eventsArePrivate() {
    String control = "https://example.com/control";
    try (SseClient observer = observer(hub);
         SseClient anonymous = open(hub, null, "*");
         SseClient wrongToken = open(hub, Tokens.subscriber("https://example.com/{x}"), "*");
         SseClient noRight = open(hub, Tokens.subscriber(control), OBSERVE, control)) {
      String subscriber;
      try (SseClient subject = open(hub, payloadToken(new JsonObject().put("foo", "bar")), SELECTOR)) {
        subscriber = nextEvent(observer, d -> SELECTOR.equals(d.getString("topic"))).doc().getString("subscriber");
      }
      nextEvent(observer, d -> subscriber.equals(d.getString("subscriber")) && !d.getBoolean("active"));
      String id = Http.publish(hub, Tokens.publisher("*"), "topic", control, "data", "control");
      for (SseClient c : List.of(anonymous, wrongToken, noRight)) {
        SseClient.Event e = c.next();
        assertEquals(id, e.lastEventId(), "the first event is the control update: " + e);
        assertEquals("control", e.data());
      }
    }
  }

  /** Verifies that publishers cannot publish to the subscription events' namespace (400), not even with a matching token, and that observers see no forged event. */
  @Test
  void publishersCannotForgeEvents() {
    String forged = "/.well-known/mercure/subscriptions/" + Subs.pct(SELECTOR) + "/" + Subs.pct("urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6");
    String body = new JsonObject().put("@context", "https://mercure.rocks/").put("id", forged).put("type", "Subscription")
        .put("topic", SELECTOR).put("subscriber", "urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6").put("active", true).encode();
    try (SseClient observer = observer(hub)) {
      for (String token : List.of(Tokens.publisher("*"), Tokens.publisher(OBSERVE), Tokens.publisher(forged))) {
        assertEquals(400, Http.post(hub.hub(""), token, Http.form("topic", forged, "data", body, "private", "on")).statusCode());
        assertEquals(400, Http.post(hub.hub(""), token, Http.form("topic", forged, "data", body)).statusCode());
        assertEquals(400, Http.post(hub.hub(""), token, Http.form("topic", "https://example.com/a", "topic", forged, "data", body)).statusCode());
        assertEquals(400, Http.post(hub.hub(""), token, Http.form("topic", "/.well-known/mercure/subscriptions", "data", body)).statusCode());
      }
      try (SseClient subject = open(hub, payloadToken(new JsonObject().put("real", true)), "https://example.com/real")) {
        JsonObject next = nextEvent(observer, d -> true).doc();
        assertEquals("https://example.com/real", next.getString("topic"), "the first event after the refused publishes is the real one");
        assertEquals(new JsonObject().put("real", true), next.getJsonObject("payload"));
      }
    }
  }
}
