package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.PUBLISHER;
import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.support.Topics.topics;
import static io.quicksilver.support.Topics.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;




/** The subscription response ("Subscription") and the SSE framing as a browser parses it. */
@Timeout(60)
class StreamFormatTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.standard();

  /** Verifies that a subscription answers 200 with the SSE media type, private no-cache headers, no proxy buffering, and an opening comment before any update. */
  @Test
  void responseHeadersAndOpeningComment() {
    try (SseClient sub = SseClient.open(hub.hub(topics(Topics.unique("head"))))) {
      assertEquals(200, sub.status());
      assertEquals("text/event-stream", sub.header("Content-Type"));
      assertEquals("private, no-cache, no-store, must-revalidate, max-age=0", sub.header("Cache-Control"));
      assertEquals("no", sub.header("X-Accel-Buffering"));
      Fixtures.await(() -> sub.comments() >= 1, Duration.ofSeconds(5), "the opening comment");
      assertTrue(sub.drain().isEmpty(), "no event before any publish");
    }
  }

  /** Verifies that data holding LF, CRLF or CR line breaks reaches a browser-like parser with each break as LF. */
  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void multiLineDataRoundTrips(String br) {
    String topic = Topics.unique("lines");
    try (SseClient sub = SseClient.open(hub.hub(topics(topic)))) {
      awaitOpen(sub);
      Fixtures.publish(hub, topic, "first" + br + "second" + br + br + "fourth");
      Fixtures.publish(hub, topic, "trailing" + br);
      Fixtures.publish(hub, topic, br + "leading");
      assertEquals("first\nsecond\n\nfourth", sub.next().data());
      assertEquals("trailing\n", sub.next().data());
      assertEquals("\nleading", sub.next().data());
    }
  }

  /** Verifies that leading spaces, colons and non-ASCII text in data survive the framing unchanged. */
  @Test
  void dataWithSpacesColonsAndUnicodeRoundTrips() {
    String topic = Topics.unique("chars");
    String data = "  two leading spaces: and a colon \u00e9\u4e2d\ud83d\ude00 data: not-a-field";
    try (SseClient sub = SseClient.open(hub.hub(topics(topic)))) {
      awaitOpen(sub);
      Fixtures.publish(hub, topic, data);
      assertEquals(data, sub.next().data());
    }
  }

  /** Verifies that the update's type becomes the event type, retry becomes the retry field, and the id is always present. */
  @Test
  void typeRetryAndId() {
    String topic = Topics.unique("fields");
    try (SseClient sub = SseClient.open(hub.hub(topics(topic)))) {
      awaitOpen(sub);
      String typed = Http.publish(hub, PUBLISHER, "topic", topic, "data", "t", "type", "price-change", "retry", "2500");
      String given = Http.publish(hub, PUBLISHER, "topic", topic, "data", "p", "id", "https://example.com/revisions/42");
      String generated = Fixtures.publish(hub, topic, "g");

      SseClient.Event e1 = sub.next();
      assertEquals("price-change", e1.type());
      assertEquals(2500L, e1.retry());
      assertEquals(typed, e1.lastEventId());
      assertFalse(typed.isEmpty());

      SseClient.Event e2 = sub.next();
      assertEquals("message", e2.type());
      assertNull(e2.retry());
      assertEquals("https://example.com/revisions/42", given);
      assertEquals(given, e2.lastEventId());

      SseClient.Event e3 = sub.next();
      assertNotNull(e3.lastEventId());
      assertTrue(e3.lastEventId().startsWith("urn:uuid:"), e3.lastEventId());
      assertEquals(generated, e3.lastEventId());
    }
  }

  /** Verifies that an update without data (or with empty data) is still dispatched, with data "". */
  @Test
  void emptyDataDispatchesEvent() {
    String topic = Topics.unique("empty");
    try (SseClient sub = SseClient.open(hub.hub(topics(topic)))) {
      awaitOpen(sub);
      String absent = Http.publish(hub, PUBLISHER, "topic", topic);
      String empty = Http.publish(hub, PUBLISHER, "topic", topic, "data", "");
      List<SseClient.Event> events = sub.next(2, Duration.ofSeconds(5));
      assertEquals(absent, events.get(0).lastEventId());
      assertEquals("", events.get(0).data());
      assertEquals(empty, events.get(1).lastEventId());
      assertEquals("", events.get(1).data());
    }
  }
}
