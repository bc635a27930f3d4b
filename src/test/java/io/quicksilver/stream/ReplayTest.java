package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.stream.Fixtures.publish;
import static io.quicksilver.stream.Fixtures.publishPrivate;
import static io.quicksilver.support.Topics.enc;
import static io.quicksilver.support.Topics.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.quicksilver.support.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;




/** Reconnection and state reconciliation ("Reconciliation"): replay by Last-Event-ID / lastEventID. */
@Timeout(60)
class ReplayTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.standard();

  private static Map<String, String> lastEventId(String id) {
    return Map.of("Last-Event-ID", id);
  }

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new HashMap<>(a);
    m.putAll(b);
    return m;
  }

  /** Verifies that a Last-Event-ID header replays exactly the later updates of the subscribed topics, echoes the cursor, then goes live. */
  @Test
  void headerReplaysUpdatesAfterCursor() {
    String b = Topics.base();
    String t = b + "t";
    String u1 = publish(hub, t, "1");
    publish(hub, b + "other", "other topic");
    String u2 = publish(hub, t, "2");
    publish(hub, b + "other", "other topic");
    String u3 = publish(hub, t, "3");
    try (SseClient sub = SseClient.open(hub.hub(topics(t)), lastEventId(u1))) {
      awaitOpen(sub);
      assertEquals(u1, sub.header("Last-Event-ID"));
      assertEquals("2", expectId(sub, u2).data());
      assertEquals("3", expectId(sub, u3).data());
      String live = publish(hub, t, "4");
      expectId(sub, live);
    }
  }

  /** Verifies that the replay honours every selector of the subscription, templates included, in publish order. */
  @Test
  void replayAppliesAllSelectors() {
    String b = Topics.base();
    String cursor = publish(hub, b + "x", "cursor");
    String a = publish(hub, b + "books/1", "a");
    publish(hub, b + "authors/1", "not selected");
    String c = publish(hub, b + "feeds/1", "c");
    String d = publish(hub, b + "books/2", "d");
    try (SseClient sub = SseClient.open(hub.hub(topics(b + "books/{id}", b + "feeds/1")), lastEventId(cursor))) {
      awaitOpen(sub);
      expectId(sub, a);
      expectId(sub, c);
      expectId(sub, d);
      String live = publish(hub, b + "books/3", "live");
      expectId(sub, live);
    }
  }

  /** Verifies that the replay skips private updates the subscriber may not receive and keeps those its token allows. */
  @Test
  void replayFiltersPrivateUpdatesByToken() {
    String b = Topics.base();
    String t = b + "t";
    String cursor = publish(hub, t, "cursor");
    String p1 = publishPrivate(hub, "private 1", t);
    String pub = publish(hub, t, "public");
    String p2 = publishPrivate(hub, "private 2", t, b + "alt");
    try (SseClient anon = SseClient.open(hub.hub(topics(t)), lastEventId(cursor));
         SseClient other = SseClient.open(hub.hub(topics(t)), with(lastEventId(cursor), Fixtures.bearer(Tokens.subscriberUntil(null, b + "nope"))));
         SseClient onlyAlt = SseClient.open(hub.hub(topics(t)), with(lastEventId(cursor), Fixtures.bearer(Tokens.subscriberUntil(null, b + "alt"))));
         SseClient all = SseClient.open(hub.hub(topics(t)), with(lastEventId(cursor), Fixtures.bearer(Tokens.subscriberUntil(null, t))))) {
      expectId(anon, pub);
      expectId(other, pub);
      expectId(onlyAlt, pub);
      expectId(onlyAlt, p2);
      expectId(all, p1);
      expectId(all, pub);
      expectId(all, p2);
      String live = publish(hub, t, "live");
      expectId(anon, live);
      expectId(other, live);
      expectId(onlyAlt, live);
      expectId(all, live);
    }
  }

  /** Verifies that the lastEventID query parameter replays like the header and is echoed in the Last-Event-ID response header. */
  @Test
  void queryParameterReplays() {
    String t = Topics.base() + "t";
    String u1 = publish(hub, t, "1");
    String u2 = publish(hub, t, "2");
    try (SseClient sub = SseClient.open(hub.hub(topics(t) + "&lastEventID=" + enc(u1)))) {
      awaitOpen(sub);
      assertEquals(u1, sub.header("Last-Event-ID"));
      expectId(sub, u2);
      String live = publish(hub, t, "live");
      expectId(sub, live);
    }
  }

  /** Verifies that the Last-Event-ID header takes precedence over the lastEventID query parameter. */
  @Test
  void headerWinsOverQueryParameter() {
    String t = Topics.base() + "t";
    String u1 = publish(hub, t, "1");
    String u2 = publish(hub, t, "2");
    String u3 = publish(hub, t, "3");
    try (SseClient sub = SseClient.open(hub.hub(topics(t) + "&lastEventID=" + enc(u1)), lastEventId(u2))) {
      awaitOpen(sub);
      assertEquals(u2, sub.header("Last-Event-ID"));
      expectId(sub, u3);
    }
    String u4 = publish(hub, t, "4");
    try (SseClient sub = SseClient.open(hub.hub(topics(t) + "&lastEventID=earliest"), lastEventId(u3))) {
      awaitOpen(sub);
      assertEquals(u3, sub.header("Last-Event-ID"));
      expectId(sub, u4);
      String live = publish(hub, t, "live");
      expectId(sub, live);
    }
  }

  /** Verifies that earliest replays every retained update of the topic, in order, with the response header earliest. */
  @Test
  void earliestReplaysAllRetained() {
    String b = Topics.base();
    String t = b + "t";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(publish(hub, t, "n" + i));
      publish(hub, b + "noise", "noise");
    }
    try (SseClient sub = SseClient.open(hub.hub(topics(t)), lastEventId("earliest"))) {
      awaitOpen(sub);
      assertEquals("earliest", sub.header("Last-Event-ID"));
      for (String id : ids) {
        expectId(sub, id);
      }
      String live = publish(hub, t, "live");
      expectId(sub, live);
    }
    try (SseClient sub = SseClient.open(hub.hub(topics(t) + "&lastEventID=earliest"))) {
      awaitOpen(sub);
      assertEquals("earliest", sub.header("Last-Event-ID"));
      assertEquals(ids.get(0), sub.next().lastEventId());
    }
  }

  /** Verifies that an unknown cursor replays nothing, answers earliest, and live updates then flow. */
  @Test
  void unknownCursor() {
    String t = Topics.base() + "t";
    publish(hub, t, "before");
    try (SseClient sub = SseClient.open(hub.hub(topics(t)), lastEventId("urn:uuid:" + UUID.randomUUID()))) {
      awaitOpen(sub);
      assertEquals("earliest", sub.header("Last-Event-ID"));
      String live = publish(hub, t, "live");
      expectId(sub, live);
    }
  }

  /** Verifies that no Last-Event-ID response header is sent when the request carried no cursor. */
  @Test
  void noCursorNoHeader() {
    String t = Topics.base() + "t";
    publish(hub, t, "before");
    try (SseClient sub = SseClient.open(hub.hub(topics(t)))) {
      awaitOpen(sub);
      assertEquals(null, sub.header("Last-Event-ID"));
      String live = publish(hub, t, "live");
      expectId(sub, live);
    }
  }

  /** Verifies that replay never discloses a private update (its id or data) to a subscriber that may not receive it. */
  @Test
  void privateIdsNeverRevealedByReplay() {
    String b = Topics.base();
    String t = b + "t";
    String first = publish(hub, t, "public 1");
    String secret = publishPrivate(hub, "secret", t);
    String second = publish(hub, t, "public 2");
    for (Map<String, String> headers : List.of(lastEventId("earliest"), lastEventId(first),
        with(lastEventId(first), Fixtures.bearer(Tokens.subscriberUntil(null, b + "unrelated/{x}"))))) {
      try (SseClient sub = SseClient.open(hub.hub(topics(t, b + "control")), headers)) {
        awaitOpen(sub);
        String control = publish(hub, b + "control", "control");
        List<SseClient.Event> seen = new ArrayList<>();
        SseClient.Event e;
        do {
          e = sub.next();
          seen.add(e);
        } while (!e.lastEventId().equals(control));
        for (SseClient.Event ev : seen) {
          assertFalse(ev.lastEventId().equals(secret) || ev.data().equals("secret"), () -> "private update leaked: " + seen);
        }
        assertFalse(secret.equals(sub.header("Last-Event-ID")));
        List<String> ids = seen.stream().map(SseClient.Event::lastEventId).toList();
        assertTrue(ids.contains(second), () -> "public 2 replayed: " + ids);
      }
    }
  }

  /** Verifies that earliest on a hub with an empty history answers earliest and then delivers live updates. */
  @Test
  void earliestOnEmptyHistory() {
    try (TestHub fresh = TestHub.start();
         SseClient sub = SseClient.open(fresh.hub(topics("*")), lastEventId("earliest"))) {
      awaitOpen(sub);
      assertEquals("earliest", sub.header("Last-Event-ID"));
      String live = Fixtures.publish(fresh, "https://example.com/first", "first");
      expectId(sub, live);
    }
  }

  /** Verifies that with QS_HISTORY_SIZE=5 a retained cursor replays the rest, earliest replays the last 5, and a trimmed cursor answers earliest. */
  @Test
  void boundedHistory() {
    try (TestHub small = TestHub.start(Map.of("QS_HISTORY_SIZE", "5"))) {
      String t = "https://example.com/bounded";
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ids.add(Fixtures.publish(small, t, "n" + i));
      }
      // retained: ids 3..7
      try (SseClient sub = SseClient.open(small.hub(topics(t)), lastEventId(ids.get(3)))) {
        awaitOpen(sub);
        assertEquals(ids.get(3), sub.header("Last-Event-ID"));
        for (String id : ids.subList(4, 8)) {
          expectId(sub, id);
        }
      }
      try (SseClient sub = SseClient.open(small.hub(topics(t)), lastEventId("earliest"))) {
        awaitOpen(sub);
        assertEquals("earliest", sub.header("Last-Event-ID"));
        for (String id : ids.subList(3, 8)) {
          expectId(sub, id);
        }
      }
      for (String trimmed : List.of(ids.get(0), ids.get(2))) {
        try (SseClient sub = SseClient.open(small.hub(topics(t)), lastEventId(trimmed))) {
          awaitOpen(sub);
          assertEquals("earliest", sub.header("Last-Event-ID"), "a trimmed cursor reports possible loss");
          String live = Fixtures.publish(small, t, "live");
          SseClient.Event e = sub.next();
          // the hub replays nothing for a cursor it no longer holds (as for an unknown id); the next event is live
          assertEquals(live, e.lastEventId());
        }
      }
    }
  }
}
