package io.quicksilver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Http;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



@Timeout(60)
class SmokeTest {

  /** Verifies that a published update reaches a subscriber of its topic. */
  @Test
  void publishReachesSubscriber() {
    try (TestHub hub = TestHub.start(); SseClient sub = SseClient.open(hub.hub("?topic=https%3A%2F%2Fexample.com%2Fbooks%2F1"))) {
      assertEquals(200, sub.status());
      String id = Http.publish(hub, Tokens.publisher("*"), "topic", "https://example.com/books/1", "data", "hello");
      SseClient.Event e = sub.next();
      assertEquals(id, e.lastEventId());
      assertEquals("hello", e.data());
    }
  }
}
