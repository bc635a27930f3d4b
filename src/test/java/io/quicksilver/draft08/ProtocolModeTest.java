package io.quicksilver.draft08;

import static io.quicksilver.draft08.Draft08AuthorizationTest.ISSUER;
import static io.quicksilver.draft08.Draft08AuthorizationTest.publisherToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/** {@code QS_PROTOCOL}: what a hub in {@code classic} or {@code draft-08} mode accepts. */
@Timeout(60)
class ProtocolModeTest {

  /** Verifies that a classic-only hub serves no draft-08 surface: no metadata, no QUERY, match parameters ignored. */
  @Test
  void classicMode() {
    try (TestHub hub = TestHub.start(Map.of("QS_PROTOCOL", "classic", "QS_DEFAULT_ISSUER", ISSUER))) {
      assertEquals(404, Http.get(hub.uri("/.well-known/oauth-protected-resource/.well-known/mercure"), Map.of()).statusCode());
      HttpResponse<String> r = Http.get(hub.hub("?match=a&matchx=b"), Map.of());
      assertEquals(400, r.statusCode());
      assertTrue(r.body().contains("\"topic\""), r.body());
      try (SseClient query = SseClient.open("QUERY", hub.hub(""), Map.of(), "topic=a")) {
        assertEquals(405, query.status());
      }
      // an access token is read by the classic rules: it carries no mercure claim, so it grants nothing
      HttpResponse<String> p = Http.post(hub.hub(""), publisherToken(hub, "*"), Http.form("topic", "https://example.com/x"));
      assertEquals(403, p.statusCode());
      assertFalse(p.headers().firstValue("WWW-Authenticate").isPresent());
    }
  }

  /** Verifies that a draft-08-only hub ignores classic selectors and cursors and refuses classic tokens as invalid_token. */
  @Test
  void draft08Mode() {
    try (TestHub hub = TestHub.start(Map.of("QS_PROTOCOL", "draft-08", "QS_DEFAULT_ISSUER", ISSUER))) {
      HttpResponse<String> r = Http.get(hub.hub("?topic=a"), Map.of());
      assertEquals(400, r.statusCode());
      assertTrue(r.body().contains("\"match\""), r.body());
      HttpResponse<String> classic = Http.post(hub.hub(""), Tokens.publisher("*"), Http.form("topic", "https://example.com/x"));
      assertEquals(401, classic.statusCode());
      assertTrue(classic.headers().firstValue("WWW-Authenticate").orElse("").endsWith("error=\"invalid_token\""));
      HttpResponse<String> noToken = Http.post(hub.hub(""), null, Http.form("topic", "https://example.com/x"));
      assertEquals(401, noToken.statusCode());
      assertTrue(noToken.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer resource_metadata="));
      HttpResponse<String> malformed = Http.post(hub.hub(""), null, Http.form("topic", "https://example.com/x"),
          Map.of("Authorization", "Basic dXNlcjpwYXNz"));
      assertEquals(400, malformed.statusCode());
      assertTrue(malformed.headers().firstValue("WWW-Authenticate").orElse("").endsWith("error=\"invalid_request\""));

      String t = "https://example.com/mode/" + System.nanoTime();
      String first = Http.publish(hub, publisherToken(hub, "*"), "topic", t, "data", "1");
      Http.publish(hub, publisherToken(hub, "*"), "topic", t, "data", "2"); // what a honoured cursor would replay
      try (SseClient sub = SseClient.open(hub.hub("?match=" + enc(t) + "&lastEventID=" + enc(first)))) {
        assertEquals(200, sub.status());
        assertEquals(null, sub.header("Mercure-Last-Event-ID"), "lastEventID is not a draft-08 cursor");
        String live = Http.publish(hub, publisherToken(hub, "*"), "topic", t, "data", "3");
        assertEquals(live, sub.next(Duration.ofSeconds(5)).lastEventId(), "no replay before the live update");
      }
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
