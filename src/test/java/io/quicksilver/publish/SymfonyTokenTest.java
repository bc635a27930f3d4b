package io.quicksilver.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.Tokens;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/** Tokens shaped like those Symfony's Mercure component and other libraries mint. */
@Timeout(60)
class SymfonyTokenTest {

  private static final String SECRET = "looooooooooooongenoughtestsecret";
  /** The token from Symfony's documentation: {"mercure":{"publish":["*"],"subscribe":[]}}, header {"typ":"JWT","alg":"HS256"}. */
  private static final String SYMFONY_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9"
      + ".eyJtZXJjdXJlIjp7InB1Ymxpc2giOlsiKiJdLCJzdWJzY3JpYmUiOltdfX0"
      + ".ZTK3JhEKO1338LAgRMw6j0lkGRMoaZtU4EtGiAylAns";

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("MERCURE_PUBLISHER_JWT_KEY", SECRET));
  private static Watcher watcher;

  @BeforeAll
  static void watch() {
    watcher = Watcher.open(hub, SYMFONY_TOKEN);
  }

  @AfterAll
  static void unwatch() {
    watcher.close();
  }

  @BeforeEach
  void sync() {
    watcher.sync();
  }

  /** Signs the exact header and claims JSON texts with HS256 and the test secret. */
  private static String sign(String headerJson, String claimsJson) {
    return Tokens.hs256Texts(SECRET, headerJson, claimsJson);
  }

  private void assertPublishes(String token) {
    HttpResponse<String> r = Http.post(hub.hub(""), token, Http.form("topic", "https://example.com/books/1", "data", "s"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that the token from Symfony's documentation publishes. */
  @Test
  void symfonyDocumentationTokenPublishes() {
    assertPublishes(SYMFONY_TOKEN);
  }

  /** Verifies that a token whose exp is a fractional number in the future publishes. */
  @Test
  void fractionalExpPublishes() {
    double exp = Instant.now().getEpochSecond() + 3600.25;
    assertPublishes(sign("{\"typ\":\"JWT\",\"alg\":\"HS256\"}", "{\"mercure\":{\"publish\":[\"*\"]},\"exp\":" + exp + "}"));
  }

  /** Verifies that a fractional exp in the past is refused with 401 and nothing is dispatched. */
  @Test
  void fractionalExpInThePastIsRefused() {
    double exp = Instant.now().getEpochSecond() - 10.5;
    String token = sign("{\"alg\":\"HS256\"}", "{\"exp\":" + exp + ",\"mercure\":{\"publish\":[\"*\"]}}");
    HttpResponse<String> r = Http.post(hub.hub(""), token, Http.form("topic", "https://example.com/books/1"));
    Watcher.assertRefused(401, r, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that a token with its claims and mercure keys in another order publishes. */
  @Test
  void keysInAnotherOrderPublish() {
    long now = Instant.now().getEpochSecond();
    assertPublishes(sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
        "{\"iat\":" + now + ",\"mercure\":{\"subscribe\":[],\"payload\":{\"user\":1},\"publish\":[\"*\"]},\"exp\":" + (now + 600) + "}"));
  }

  /** Verifies that a token without a typ header publishes. */
  @Test
  void noTypHeaderPublishes() {
    assertPublishes(sign("{\"alg\":\"HS256\"}", "{\"mercure\":{\"publish\":[\"*\"]}}"));
  }
}
