package io.quicksilver.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/** {@code POST /api/login} over HTTP: the same answer for unknown users and wrong passwords, and a throttle with 429. */
@Timeout(60)
class DemoLoginTest {

  private static TestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = TestHub.start(Map.of("QS_DEMO", "true", "QS_DEMO_INTERVAL", "1h",
        "QS_DEMO_USERS", "alice:Alice:" + hash("alice-password") + " bob:Bob:" + hash("bob-password")));
  }

  @AfterAll
  static void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  /** A cheap PBKDF2 hash (1000 iterations) in the format of demo.users. */
  private static String hash(String password) throws Exception {
    byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 1000, 256)).getEncoded();
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "pbkdf2-sha256:1000:" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
  }

  private static HttpResponse<String> login(String user, String password) {
    return Http.send(HttpRequest.newBuilder(hub.uri("/api/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
        .build());
  }

  /** Verifies that an unknown user and a wrong password get the same answer, and that a user is locked after five failures. */
  @Test
  void sameAnswerAndThrottle() {
    HttpResponse<String> unknown = login("mallory", "guess");
    HttpResponse<String> wrong = login("alice", "guess");
    assertEquals(401, unknown.statusCode());
    assertEquals(401, wrong.statusCode());
    assertEquals(wrong.body(), unknown.body());
    for (int i = 1; i < LoginThrottle.FAILURES_PER_USER; i++) {
      assertEquals(401, login("alice", "guess-" + i).statusCode());
    }
    HttpResponse<String> locked = login("alice", "alice-password");
    assertEquals(429, locked.statusCode(), "even the right password waits once the name is locked");
    String retryAfter = locked.headers().firstValue("Retry-After").orElse(null);
    assertNotNull(retryAfter);
    assertTrue(Long.parseLong(retryAfter) >= 1 && Long.parseLong(retryAfter) <= 60, retryAfter);
    assertTrue(locked.body().startsWith("too many login attempts"), locked.body());
    assertEquals(200, login("bob", "bob-password").statusCode(), "another user is not locked");
  }

  /** Verifies that /api/ticks answers the public price ticks of the history, oldest first, and the cursor to continue from. */
  @Test
  void recentTicks() {
    String token = Tokens.publisher("*");
    String topic = "http://localhost:8080/stocks/AAPL";
    String first = Http.publish(hub, token, "topic", topic, "type", "stock_update",
        "data", "{\"symbol\":\"AAPL\",\"price\":101.5,\"open\":100,\"change\":1.5,\"changePercent\":1.5,\"timestamp\":1,\"sequence\":1}");
    Http.publish(hub, token, "topic", topic, "type", "stock_update", "private", "on",
        "data", "{\"symbol\":\"AAPL\",\"price\":1,\"sequence\":99}");
    Http.publish(hub, token, "topic", "http://localhost:8080/stocks/MSFT", "type", "stock_update",
        "data", "{\"symbol\":\"AAPL\",\"price\":2,\"sequence\":98}");
    String last = Http.publish(hub, token, "topic", "https://example.com/other", "data", "not a tick");
    HttpResponse<String> r = Http.get(hub.uri("/api/ticks"), Map.of());
    assertEquals(200, r.statusCode());
    JsonObject body = new JsonObject(r.body());
    JsonArray ticks = body.getJsonArray("ticks");
    assertEquals(1, ticks.size(), "only public ticks on their own symbol's topic: " + ticks);
    assertEquals(first, ticks.getJsonObject(0).getString("id"));
    assertEquals(101.5, ticks.getJsonObject(0).getDouble("price"));
    assertEquals(last, body.getString("lastEventId"), "the cursor is the newest update looked at");
  }
}
