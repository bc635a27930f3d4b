package io.quicksilver.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;




/**
 * A stream with a cursor waits for the history before anything is written: with a slow store, no heartbeat can
 * send the response head before the cursor headers are set.
 */
@Timeout(60)
class SlowHistoryHeadTest {

  /** Verifies that the head of a resumed stream carries its cursor headers even when heartbeats fall due while the history is read. */
  @Test
  void headWaitsForTheHistory() {
    try (RedisServer redis = RedisServer.start();
         TestHub hub = TestHub.start(Map.of("QS_REDIS_URL", redis.url(), "QS_HEARTBEAT", "100ms", "QS_REDIS_TIMEOUT", "10s"))) {
      String topic = "urn:quicksilver:slow-history:" + UUID.randomUUID();
      String token = Tokens.publisher("*");
      String id = Http.publish(hub, token, "topic", topic, "data", "before");
      String after = Http.publish(hub, token, "topic", topic, "data", "after");
      redis.cli("CLIENT", "PAUSE", "1500", "ALL"); // every command waits: the history is slow to answer
      long started = System.nanoTime();
      try (SseClient stream = SseClient.open(hub.hub("?topic=" + topic), Map.of("Last-Event-ID", id))) {
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, stream.status(), stream.errorBody());
        assertEquals(id, stream.header("Last-Event-ID"), "the head carries the cursor");
        assertEquals(id, stream.header("Mercure-Last-Event-ID"));
        assertTrue(millis >= 500, "the head waited for the history (" + millis + " ms), not for a heartbeat");
        assertEquals(after, stream.next().lastEventId());
      }
    }
  }
}
