package io.quicksilver.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Await;
import io.quicksilver.support.Http;
import io.quicksilver.support.HubEndpoint;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;




/** Shared helpers of the subscription tests: queries, publishing, tokens and bounded waits. */
final class Fixtures {

  /** A publisher token allowed to publish anywhere. */
  static final String PUBLISHER = Tokens.publisher("*");

  private Fixtures() {
  }

  /** Publishes a public update and returns its id. */
  static String publish(HubEndpoint hub, String topic, String data) {
    return Http.publish(hub, PUBLISHER, "topic", topic, "data", data);
  }

  /** Publishes a private update with these topics (canonical first) and returns its id. */
  static String publishPrivate(HubEndpoint hub, String data, String... topics) {
    List<String> pairs = new ArrayList<>();
    for (String t : topics) {
      pairs.add("topic");
      pairs.add(t);
    }
    pairs.addAll(List.of("data", data, "private", "on"));
    return Http.publish(hub, PUBLISHER, pairs.toArray(String[]::new));
  }

  /** {@code Authorization: Bearer <token>}. */
  static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  /** Waits until the condition holds, polling, or fails after the timeout. */
  static void await(BooleanSupplier condition, Duration timeout, String what) {
    Await.until(condition::getAsBoolean, done -> done, timeout, last -> "timed out after " + timeout + " waiting for: " + what);
  }

  /** Waits until the stream's opening comment has been parsed (the stream is registered and live or replaying by then). */
  static void awaitOpen(SseClient client) {
    assertEquals(200, client.status(), () -> "subscription refused: " + client.errorBody());
    await(() -> client.comments() >= 1, Duration.ofSeconds(5), "the opening comment");
  }

  /** Asserts that the next event has this id (used as the control event that proves earlier ones were not sent). */
  static SseClient.Event expectId(SseClient client, String id) {
    SseClient.Event e = client.next();
    assertEquals(id, e.lastEventId(), () -> "unexpected event " + e);
    return e;
  }
}
