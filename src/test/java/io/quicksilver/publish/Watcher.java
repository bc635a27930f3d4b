package io.quicksilver.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubEndpoint;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;



/**
 * A subscriber to every topic, private ones included, used to prove that a refused publication was not
 * dispatched: after the refusal a control update is published, and it must be the watcher's next event.
 */
final class Watcher implements AutoCloseable {

  /** The topic of control updates. */
  static final String CONTROL_TOPIC = "urn:quicksilver:test:control";

  private final HubEndpoint hub;
  private final String controlToken;
  private final SseClient sse;

  private Watcher(HubEndpoint hub, String controlToken, SseClient sse) {
    this.hub = hub;
    this.controlToken = controlToken;
    this.sse = sse;
  }

  /** Watches a hub whose publisher key is the test HS256 key. */
  static Watcher open(HubEndpoint hub) {
    return open(hub, Tokens.publisher("*"));
  }

  /** Watches a hub; {@code controlToken} publishes the control updates. */
  static Watcher open(HubEndpoint hub, String controlToken) {
    SseClient sse = SseClient.open(hub.hub("?topic=*"), Map.of("Authorization", "Bearer " + Tokens.subscriber("*")));
    assertEquals(200, sse.status(), sse.errorBody());
    return new Watcher(hub, controlToken, sse);
  }

  /** The next event (5 s at most). */
  SseClient.Event next() {
    return sse.next();
  }

  /** The next {@code n} events. */
  java.util.List<SseClient.Event> next(int n) {
    return sse.next(n, java.time.Duration.ofSeconds(10));
  }

  /** Skips whatever an earlier test left: publishes a marker and discards events up to it. */
  void sync() {
    String data = "sync-" + UUID.randomUUID();
    Http.publish(hub, controlToken, "topic", CONTROL_TOPIC, "data", data);
    while (!sse.next().data().equals(data)) {
      // an earlier test's leftover
    }
  }

  /** Publishes a control update and asserts that it is the next event, so nothing else was dispatched since the last one taken. */
  void assertNothingDispatched() {
    String data = "control-" + UUID.randomUUID();
    String id = Http.publish(hub, controlToken, "topic", CONTROL_TOPIC, "data", data);
    SseClient.Event e = sse.next();
    assertEquals(data, e.data(), "an update was dispatched before the control one: " + e);
    assertEquals(id, e.lastEventId());
  }

  @Override
  public void close() {
    sse.close();
  }

  /** Asserts the status and that the body is one line of plain text, without stack trace and without any of the secrets. */
  static void assertRefused(int status, HttpResponse<String> r, String... secrets) {
    assertEquals(status, r.statusCode(), r.body());
    assertOneLine(r.body(), secrets);
  }

  /** Asserts that an error body is one line of text, with no stack trace and none of the secrets. */
  static void assertOneLine(String body, String... secrets) {
    assertTrue(body.endsWith("\n"), "error body ends with a line feed: " + body);
    String line = body.substring(0, body.length() - 1);
    assertFalse(line.isBlank(), "error body has a reason");
    assertFalse(line.contains("\n") || line.contains("\r"), "error body is one line: " + body);
    assertFalse(line.contains("Exception") || line.contains("\tat ") || line.contains("io.quicksilver"), "no stack trace: " + body);
    for (String s : secrets) {
      if (s != null && !s.isEmpty()) {
        assertFalse(body.contains(s), "the error body must not echo a token");
        for (String part : s.split("\\.")) {
          if (part.length() > 8) {
            assertFalse(body.contains(part), "the error body must not echo part of a token");
          }
        }
      }
    }
  }
}
