package io.quicksilver.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/**
 * Floods of what a client controls: form fields, query parameters, topics per subscription (whose subscription
 * events must not push updates out of the history), connections and streams.
 */
@Timeout(90)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FloodTest {

  private static final int MAX_CONNECTIONS = 60;
  /** The streams' share: all but max(16, a tenth) of the connections. */
  private static final int MAX_STREAMS = MAX_CONNECTIONS - 16;

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_SUBSCRIPTIONS", "true", "QS_HISTORY_SIZE", "100",
      "QS_HEADER_TIMEOUT", "1s", "QS_MAX_CONNECTIONS", String.valueOf(MAX_CONNECTIONS)));

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Verifies that a body of 200 000 tiny fields is refused (413) and a query of 5000 parameters too (400), quickly. */
  @Test
  void manyFieldsAreRefused() {
    long started = System.nanoTime();
    HttpResponse<String> body = Http.post(hub.hub(""), Tokens.publisher("*"), "topic=x&" + "a&".repeat(200_000));
    assertEquals(413, body.statusCode(), body.body());
    HttpResponse<String> query = Http.get(hub.hub("?topic=x" + "&a".repeat(5000)), Map.of());
    assertEquals(400, query.statusCode(), query.body());
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(millis < 4000, "answered after " + millis + " ms");
  }

  /**
   * Verifies that subscriptions of 1000 topics each, opened and closed five times over (10 000 subscription events
   * for a history of 100), leave an update published before them replayable by its id.
   */
  @Test
  void subscriptionEventsKeepUpdatesReplayable() {
    String topic = "urn:quicksilver:flood:" + UUID.randomUUID();
    String token = Tokens.publisher("*");
    String before = Http.publish(hub, token, "topic", topic, "data", "before");
    String topics = IntStream.range(0, 1000).mapToObj(i -> "topic=" + enc("urn:quicksilver:flooded:" + i))
        .collect(Collectors.joining("&"));
    for (int i = 0; i < 5; i++) {
      try (SseClient flood = SseClient.open(hub.hub("?" + topics))) {
        assertEquals(200, flood.status(), flood.errorBody());
      }
    }
    String after = Http.publish(hub, token, "topic", topic, "data", "after");
    try (SseClient resumed = SseClient.open(hub.hub("?topic=" + enc(topic)), Map.of("Last-Event-ID", before))) {
      assertEquals(200, resumed.status(), resumed.errorBody());
      assertEquals(before, resumed.header("Last-Event-ID"), "the cursor is still known");
      SseClient.Event replayed = resumed.next(Duration.ofSeconds(10));
      assertEquals(after, replayed.lastEventId());
      assertEquals("after", replayed.data());
    }
  }

  /**
   * Verifies that when streams fill the node, one more stream gets 503 with Retry-After while publishing and health
   * probes still get in; connections past the limit are closed at once, and idle ones after the header timeout.
   */
  @Test
  @Order(Integer.MAX_VALUE) // fills the node: the last of this class
  void streamsLeaveHeadroom() throws Exception {
    List<SseClient> streams = new ArrayList<>();
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_STREAMS; i++) {
        SseClient stream = SseClient.open(hub.hub("?topic=urn:quicksilver:full"));
        streams.add(stream);
        assertEquals(200, stream.status(), "stream " + i + ": " + stream.errorBody());
      }
      try (SseClient refused = SseClient.open(hub.hub("?topic=urn:quicksilver:full"))) {
        assertEquals(503, refused.status(), refused.errorBody());
        assertTrue(refused.header("Retry-After") != null, "503 with Retry-After");
      }
      assertEquals(200, Http.get(hub.uri("/healthz"), Map.of()).statusCode());
      Http.publish(hub, Tokens.publisher("*"), "topic", "urn:quicksilver:full", "data", "still published");
      assertEquals("still published", streams.get(0).next(Duration.ofSeconds(10)).data());

      int closedAtOnce = 0;
      for (int i = 0; i < 30; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", hub.port()));
        idle.add(s);
      }
      for (Socket s : idle) {
        if (closedWithin(s, 300)) {
          closedAtOnce++;
        }
      }
      assertTrue(closedAtOnce >= 30 - (MAX_CONNECTIONS - MAX_STREAMS), "connections past the limit are closed at once: " + closedAtOnce);
      for (Socket s : idle) {
        assertTrue(closedWithin(s, 5000), "an idle connection is closed after the header timeout");
      }
      assertEquals(200, Http.get(hub.uri("/healthz"), Map.of()).statusCode(), "probes get in again");
    } finally {
      streams.forEach(SseClient::close);
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  private static boolean closedWithin(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }
}
