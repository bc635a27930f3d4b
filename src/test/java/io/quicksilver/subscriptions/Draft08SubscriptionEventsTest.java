package io.quicksilver.subscriptions;

import static io.quicksilver.subscriptions.Subs.UUID_URN;
import static io.quicksilver.subscriptions.Subs.bearer;
import static io.quicksilver.subscriptions.Subs.pct;
import static io.quicksilver.subscriptions.Subs.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/** Subscription events of draft-08 subscriptions opened over HTTP (draft-08 "Subscription Events"). */
@Timeout(60)
class Draft08SubscriptionEventsTest {

  /** Every draft-08 subscription event, as a relative URL pattern resolved against the hub's URL. */
  private static final String OBSERVE = "/.well-known/mercure/subscriptions/:type/:match/:subscriber";

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Subs.env());

  private static SseClient open(String query, String token) {
    SseClient c = SseClient.open(hub.hub(query), token == null ? Map.of() : bearer(token));
    assertEquals(200, c.status(), c.errorBody());
    return c;
  }

  /** The next event whose document has this match (others skipped, bounded). */
  private static SseClient.Event next(SseClient observer, String match) {
    for (int i = 0; i < 100; i++) {
      SseClient.Event e = observer.next(Duration.ofSeconds(10));
      if (match.equals(new JsonObject(e.data()).getString("match"))) {
        return e;
      }
    }
    throw new AssertionError("no event for " + match);
  }

  /**
   * Verifies that a draft-08 subscription is announced on its draft-08 topic with {@code event: mercure} and the
   * plain JSON document, to an observer matching with a relative URL pattern, and ended when it closes.
   */
  @Test
  void draft08EventsOverHttp() {
    String topic = "https://example.com/books/" + UUID.randomUUID();
    try (SseClient observer = open("?match_urlpattern=" + q(OBSERVE), Tokens.subscriber("*"))) {
      next(observer, OBSERVE);
      String subscriber;
      try (SseClient subject = open("?match=" + q(topic), null)) {
        SseClient.Event opened = next(observer, topic);
        assertEquals("mercure", opened.type());
        JsonObject doc = new JsonObject(opened.data());
        subscriber = doc.getString("subscriber");
        assertTrue(subscriber.matches(UUID_URN), subscriber);
        String id = "/.well-known/mercure/subscriptions/exact/" + pct(topic) + "/" + pct(subscriber);
        assertEquals(id, doc.getString("id"));
        assertEquals("subscription", doc.getString("type"));
        assertEquals("exact", doc.getString("match_type"));
        assertEquals(topic, doc.getString("match"));
        assertEquals(true, doc.getBoolean("active"));
        assertFalse(doc.containsKey("@context"));
      }
      JsonObject ended = new JsonObject(next(observer, topic).data());
      assertEquals(false, ended.getBoolean("active"));
      assertEquals(subscriber, ended.getString("subscriber"));
    }
  }

  /** Verifies that a draft-08 {@code *} keeps the matcher type of the parameter that carried it. */
  @Test
  void wildcardKeepsItsMatcherType() {
    try (SseClient observer = open("?match_urlpattern=" + q(OBSERVE), Tokens.subscriber("*"));
         SseClient subject = open("?match_urlpattern=*", null)) {
      JsonObject doc = new JsonObject(next(observer, "*").data());
      assertEquals("urlpattern", doc.getString("match_type"));
      assertTrue(doc.getString("id").startsWith("/.well-known/mercure/subscriptions/urlpattern/%2A/"), doc.getString("id"));
    }
  }
}
