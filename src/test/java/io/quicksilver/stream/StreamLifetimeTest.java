package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.bearer;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.support.Topics.topics;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.quicksilver.support.Topics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How long a stream lives: QS_WRITE_TIMEOUT, and the token's exp ("Authorization/Subscribers"). */
@Timeout(60)
class StreamLifetimeTest {

  /** Verifies that QS_WRITE_TIMEOUT=1s ends live and replaying streams within about 2 s. */
  @Test
  void writeTimeoutEndsStream() {
    try (TestHub hub = TestHub.start(Map.of("QS_WRITE_TIMEOUT", "1s"))) {
      String topic = Topics.unique("life");
      try (SseClient live = SseClient.open(hub.hub(topics(topic)));
           SseClient replaying = SseClient.open(hub.hub(topics(topic)), Map.of("Last-Event-ID", "earliest"))) {
        awaitOpen(live);
        awaitOpen(replaying);
        assertTrue(live.awaitEnd(Duration.ofMillis(2500)), "live stream ended");
        assertTrue(replaying.awaitEnd(Duration.ofMillis(2500)), "replaying stream ended");
      }
    }
  }

  /** Verifies that a token whose exp is 2 s away ends the stream by then, although the write timeout is long. */
  @Test
  void tokenExpiryEndsStream() {
    try (TestHub hub = TestHub.start(Map.of("QS_WRITE_TIMEOUT", "600s", "QS_ANONYMOUS", "false"))) {
      String topic = Topics.unique("life");
      double exp = (System.currentTimeMillis() + 2000) / 1000.0;
      String expiring = Tokens.subscriberUntil(exp, topic);
      try (SseClient header = SseClient.open(hub.hub(topics(topic)), bearer(expiring));
           SseClient query = SseClient.open(hub.hub(topics(topic) + "&authorization=" + Topics.enc(expiring)));
           SseClient lasting = SseClient.open(hub.hub(topics(topic)), bearer(Tokens.subscriberUntil(null, topic)))) {
        awaitOpen(header);
        awaitOpen(query);
        awaitOpen(lasting);
        String id = Fixtures.publishPrivate(hub, "while valid", topic);
        expectId(header, id);
        expectId(query, id);
        expectId(lasting, id);
        assertTrue(header.awaitEnd(Duration.ofSeconds(5)), "stream with header token ended at exp");
        assertTrue(query.awaitEnd(Duration.ofSeconds(5)), "stream with query token ended at exp");
        String after = Fixtures.publish(hub, topic, "after expiry");
        expectId(lasting, after);
        assertFalse(lasting.ended(), "a token without exp keeps its stream");
      }
    }
  }

  /**
   * Verifies that a token whose exp lies beyond what a count of milliseconds holds (any NumericDate up to
   * {@link java.time.Instant#MAX} is valid) opens a stream like one without exp, instead of failing the request.
   */
  @Test
  void farExpiryKeepsStream() {
    try (TestHub hub = TestHub.start(Map.of("QS_WRITE_TIMEOUT", "0", "QS_ANONYMOUS", "false"))) {
      String topic = Topics.unique("life");
      for (double exp : new double[] {1e16, java.time.Instant.MAX.getEpochSecond()}) {
        try (SseClient far = SseClient.open(hub.hub(topics(topic)), bearer(Tokens.subscriberUntil(exp, topic)))) {
          awaitOpen(far);
          expectId(far, Fixtures.publishPrivate(hub, "far", topic));
          assertFalse(far.ended(), "exp " + exp + " is far away");
        }
      }
    }
  }
}
