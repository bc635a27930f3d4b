package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.stream.Fixtures.publish;
import static io.quicksilver.support.Topics.enc;
import static io.quicksilver.support.Topics.topics;
import static io.quicksilver.support.Topics.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Topics;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;




/**
 * Draft-08 subscriptions over HTTP in {@code both} mode: matcher parameters, reconnection names, the
 * {@code QUERY} method, the protected resource metadata, and a classic and a draft-08 subscriber side by side.
 */
@Timeout(60)
class Draft08SubscribeTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.standard();

  private static String resource() {
    return "http://127.0.0.1:" + hub.port() + "/.well-known/mercure";
  }

  /** Verifies that one hub serves a classic subscriber and a draft-08 subscriber the same update, with the same id. */
  @Test
  void classicAndDraft08SubscribersGetTheSameUpdate() {
    String t = Topics.unique("both");
    try (SseClient classic = SseClient.open(hub.hub(topics(t)));
         SseClient draft08 = SseClient.open(hub.hub("?match=" + enc(t)))) {
      awaitOpen(classic);
      awaitOpen(draft08);
      String id = publish(hub, t, "same");
      assertEquals("same", expectId(classic, id).data());
      assertEquals("same", expectId(draft08, id).data());
    }
  }

  /** Verifies that an exact matcher does not match a topic differing by case or by a trailing slash (proved with a later control update). */
  @Test
  void exactMatcherIsExact() {
    String t = Topics.unique("exact");
    try (SseClient sub = SseClient.open(hub.hub("?match_exact=" + enc(t)))) {
      awaitOpen(sub);
      publish(hub, t.toUpperCase(), "case");
      publish(hub, t + "/", "slash");
      String control = publish(hub, t, "control");
      assertEquals("control", expectId(sub, control).data());
    }
  }

  /** Verifies that a URL pattern matches what it should, and not what it should not (proved with a later control update). */
  @Test
  void urlPatternMatcher() {
    String base = Topics.unique("pattern");
    try (SseClient sub = SseClient.open(hub.hub("?match_urlpattern=" + enc(base + "/books/:id")))) {
      awaitOpen(sub);
      publish(hub, base + "/books/1/chapters", "too deep");
      publish(hub, base + "/authors/1", "other path");
      String hit = publish(hub, base + "/books/42", "hit");
      assertEquals("hit", expectId(sub, hit).data());
    }
  }

  /**
   * Verifies that a live stream and a replay deliver by the same rule: a topic spelled like a URL pattern that the
   * pattern does not match (the backslash reads as a slash) reaches neither (proved with a later control update).
   */
  @Test
  void urlPatternLiveAndReplayAgree() {
    String base = Topics.unique("digits");
    String pattern = base + "/(\\d+)";
    String query = "?match_urlpattern=" + enc(pattern);
    try (SseClient live = SseClient.open(hub.hub(query))) {
      awaitOpen(live);
      String before = publish(hub, base + "/7", "hit");
      publish(hub, pattern, "own text");
      String control = publish(hub, base + "/8", "control");
      assertEquals("hit", expectId(live, before).data());
      assertEquals("control", expectId(live, control).data());
      try (SseClient replay = SseClient.open(hub.hub(query), Map.of("Last-Event-ID", before))) {
        awaitOpen(replay);
        assertEquals("control", expectId(replay, control).data());
      }
    }
  }

  /** Verifies that a relative URL pattern is resolved against the hub's URL and matches relative topics and their absolute form. */
  @Test
  void relativeUrlPatternAndTopics() {
    String id = java.util.UUID.randomUUID().toString();
    try (SseClient sub = SseClient.open(hub.hub("?match_urlpattern=" + enc("/rel-" + id + "/:n")))) {
      awaitOpen(sub);
      String relative = publish(hub, "/rel-" + id + "/1", "relative");
      String absolute = publish(hub, "http://127.0.0.1:" + hub.port() + "/rel-" + id + "/2", "absolute");
      publish(hub, "https://elsewhere.example/rel-" + id + "/3", "other origin");
      String control = publish(hub, "/rel-" + id + "/4", "control");
      assertEquals("relative", expectId(sub, relative).data());
      assertEquals("absolute", expectId(sub, absolute).data());
      assertEquals("control", expectId(sub, control).data());
    }
  }

  /** Verifies that an invalid URL pattern is a 400. */
  @Test
  void invalidUrlPatternIs400() {
    for (String pattern : List.of("https://example.com/{", "https://example.com/(a)(\\1)", "https://example.com/((?=a)a)")) {
      assertEquals(400, Http.get(hub.hub("?match_urlpattern=" + enc(pattern)), Map.of()).statusCode(), pattern);
    }
  }

  /** Verifies that last_event_id replays what followed and the answer carries Mercure-Last-Event-ID (and Last-Event-ID). */
  @Test
  void lastEventIdQueryParameterReplays() {
    String t = Topics.unique("replay");
    String cursor = publish(hub, t, "1");
    String after = publish(hub, t, "2");
    try (SseClient sub = SseClient.open(hub.hub("?match=" + enc(t) + "&last_event_id=" + enc(cursor)))) {
      awaitOpen(sub);
      assertEquals(cursor, sub.header("Mercure-Last-Event-ID"));
      assertEquals(cursor, sub.header("Last-Event-ID"));
      assertEquals("2", expectId(sub, after).data());
    }
  }

  /** Verifies that the Last-Event-ID header wins over last_event_id, which wins over lastEventID. */
  @Test
  void cursorPrecedence() {
    String t = Topics.unique("precedence");
    String first = publish(hub, t, "1");
    String second = publish(hub, t, "2");
    String third = publish(hub, t, "3");
    String query = "?match=" + enc(t) + "&last_event_id=" + enc(first) + "&lastEventID=" + enc(first);
    try (SseClient sub = SseClient.open(hub.hub(query), Map.of("Last-Event-ID", second))) {
      awaitOpen(sub);
      assertEquals(second, sub.header("Mercure-Last-Event-ID"));
      assertEquals("3", expectId(sub, third).data());
    }
    try (SseClient sub = SseClient.open(hub.hub("?match=" + enc(t) + "&last_event_id=" + enc(second) + "&lastEventID=" + enc(first)))) {
      awaitOpen(sub);
      assertEquals(second, sub.header("Mercure-Last-Event-ID"));
      assertEquals("3", expectId(sub, third).data());
    }
  }

  /** Verifies that an unknown cursor and {@code earliest} answer Mercure-Last-Event-ID: earliest. */
  @Test
  void unknownCursorAnswersEarliest() {
    String t = Topics.unique("unknown");
    for (String cursor : List.of("urn:uuid:never-published", "earliest")) {
      try (SseClient sub = SseClient.open(hub.hub("?match=" + enc(t) + "&last_event_id=" + enc(cursor)))) {
        awaitOpen(sub);
        assertEquals("earliest", sub.header("Mercure-Last-Event-ID"));
      }
    }
  }

  /** Verifies that without a cursor no Mercure-Last-Event-ID is sent. */
  @Test
  void noCursorNoHeader() {
    try (SseClient sub = SseClient.open(hub.hub("?match=" + enc(Topics.unique("none"))))) {
      awaitOpen(sub);
      assertNull(sub.header("Mercure-Last-Event-ID"));
    }
  }

  /** Verifies that a QUERY request takes its matchers and cursor from the form body together with the query. */
  @Test
  void queryMethodReadsTheBody() {
    String inQuery = Topics.unique("query-q");
    String inBody = Topics.unique("query-b");
    String cursor = publish(hub, inBody, "cursor");
    String replayed = publish(hub, inBody, "replayed");
    try (SseClient sub = SseClient.open("QUERY", hub.hub("?match=" + enc(inQuery)), Map.of(),
        Http.form("match", inBody, "last_event_id", cursor))) {
      assertEquals(200, sub.status());
      assertEquals(cursor, sub.header("Mercure-Last-Event-ID"));
      assertEquals("replayed", expectId(sub, replayed).data());
      String q = publish(hub, inQuery, "q");
      assertEquals("q", expectId(sub, q).data());
    }
  }

  /** Verifies that a QUERY body that is not a form is a 415, and a malformed one a 400. */
  @Test
  void queryMethodBodyChecks() {
    try (SseClient sub = SseClient.open("QUERY", hub.hub(""), Map.of("Content-Type", "text/plain"), "match=a")) {
      assertEquals(415, sub.status());
    }
    try (SseClient sub = SseClient.open("QUERY", hub.hub(""), Map.of(), "match=%ZZ")) {
      assertEquals(400, sub.status());
    }
  }

  /** Verifies that an unknown match parameter is a 400 without a Bearer challenge (the request is malformed independently of any token). */
  @Test
  void unknownMatcherTypeIs400() {
    HttpResponse<String> r = Http.get(hub.hub("?match_regex=a"), Map.of());
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("match_regex"));
    assertFalse(r.headers().firstValue("WWW-Authenticate").isPresent());
  }

  /** Verifies the protected resource metadata document: resource, detail type, bearer methods, cookie, matcher types, subscriptions flag. */
  @Test
  void protectedResourceMetadata() {
    HttpResponse<String> r = Http.get(hub.uri("/.well-known/oauth-protected-resource/.well-known/mercure"), Map.of());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonObject doc = new JsonObject(r.body());
    assertEquals(resource(), doc.getString("resource"));
    assertEquals(List.of("https://mercure.rocks/authorization-detail"), doc.getJsonArray("authorization_details_types_supported").getList());
    assertEquals(List.of("header"), doc.getJsonArray("bearer_methods_supported").getList());
    assertEquals("mercureAuthorization", doc.getString("mercure_cookie"));
    assertEquals(List.of("exact", "urlpattern"), doc.getJsonArray("mercure_matcher_types_supported").getList());
    assertFalse(doc.containsKey("mercure_subscriptions"), "active subscriptions are off in this hub");
    assertFalse(doc.containsKey("authorization_servers"));
  }

  /** Verifies that when tokens are required, a draft-08 request without one gets a Bearer challenge naming the metadata and no error code; a classic request keeps its classic answer. */
  @Test
  void missingTokenChallenge() {
    try (TestHub closed = TestHub.start(Map.of("QS_ANONYMOUS", "false"))) {
      HttpResponse<String> r = Http.get(closed.hub("?match=a"), Map.of());
      assertEquals(401, r.statusCode());
      String metadata = "http://127.0.0.1:" + closed.port() + "/.well-known/oauth-protected-resource/.well-known/mercure";
      assertEquals("Bearer resource_metadata=\"" + metadata + "\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
      HttpResponse<String> classic = Http.get(closed.hub("?topic=a"), Map.of());
      assertEquals(401, classic.statusCode());
      assertFalse(classic.headers().firstValue("WWW-Authenticate").isPresent());
    }
  }
}
