package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.support.Topics.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Topics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;




/** Heartbeat comments on idle streams (QS_HEARTBEAT); each test needs its own hub configuration. */
@Timeout(60)
class HeartbeatTest {

  /** Verifies that with QS_HEARTBEAT=200ms an idle stream keeps receiving comment lines and no events. */
  @Test
  void idleStreamReceivesHeartbeats() {
    try (TestHub hub = TestHub.start(Map.of("QS_HEARTBEAT", "200ms"));
         SseClient sub = SseClient.open(hub.hub(topics(Topics.unique("hb"))))) {
      awaitOpen(sub);
      int initial = sub.comments();
      Fixtures.await(() -> sub.comments() >= initial + 3, Duration.ofSeconds(10), "three heartbeats after the opening comment");
      assertTrue(sub.drain().isEmpty(), "heartbeats are comments, not events");
      assertFalse(sub.ended());
    }
  }

  /** Verifies that with QS_HEARTBEAT=200ms a stream opened with a cursor (replay path) also receives heartbeats. */
  @Test
  void replayingStreamReceivesHeartbeats() {
    try (TestHub hub = TestHub.start(Map.of("QS_HEARTBEAT", "200ms"));
         SseClient sub = SseClient.open(hub.hub(topics(Topics.unique("hb"))), Map.of("Last-Event-ID", "earliest"))) {
      awaitOpen(sub);
      int initial = sub.comments();
      Fixtures.await(() -> sub.comments() >= initial + 3, Duration.ofSeconds(10), "three heartbeats");
    }
  }

  /** Verifies that with QS_HEARTBEAT=0 no comment follows the opening one during a window ended by a control event. */
  @Test
  void heartbeatOff() {
    try (TestHub hub = TestHub.start(Map.of("QS_HEARTBEAT", "0"))) {
      String topic = Topics.unique("hb");
      try (SseClient sub = SseClient.open(hub.hub(topics(topic)))) {
        awaitOpen(sub);
        // a window of 1.5 s (the upkeep timer runs every second here, a 200 ms heartbeat would have fired ~7 times)
        assertThrows(AssertionError.class, () -> sub.next(Duration.ofMillis(1500)));
        String control = Fixtures.publish(hub, topic, "control");
        expectId(sub, control);
        // comments written before the control event were parsed before it
        assertEquals(1, sub.comments(), "only the opening comment");
      }
    }
  }
}
