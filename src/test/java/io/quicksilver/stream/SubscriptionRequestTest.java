package io.quicksilver.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.mercure.FormData;
import io.quicksilver.mercure.MatcherValues;
import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.TopicSelector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;




/** Reading subscription parameters of both generations (draft-08 "Subscription", classic "Subscription"). */
class SubscriptionRequestTest {

  private static final String BASE = "https://example.com/.well-known/mercure";

  private static SubscriptionRequest both(String query, String header) {
    return SubscriptionRequest.parse(FormData.parse(query.getBytes(StandardCharsets.UTF_8)), header, true, true, BASE, 1000);
  }

  private static SubscriptionRequest both(String query) {
    return both(query, null);
  }

  private static int status(Runnable r) {
    return assertThrows(ProtocolException.class, r::run).status();
  }

  /** Verifies that {@code match} and {@code match_exact} give exact matchers and {@code topic} a classic selector, in request order. */
  @Test
  void namesGiveTheirKinds() {
    SubscriptionRequest r = both("topic=a&match=b&match_exact=c");
    assertEquals(List.of(TopicSelector.of("a"), TopicSelector.exact("b"), TopicSelector.exact("c")),
        SubscriptionRequest.selectors(r.matchers()));
    assertEquals(List.of("a", "b", "c"), r.matchers().stream().map(SubscriptionRequest.Matcher::value).toList());
    assertEquals("exact", r.matchers().get(1).matchType());
    assertNull(r.matchers().get(0).matchType());
    assertTrue(r.draft08(), "any match parameter makes the request a draft-08 one");
  }

  /** Verifies that a request with only classic selectors is a classic request. */
  @Test
  void topicOnlyIsClassic() {
    assertFalse(both("topic=a").draft08());
  }

  /** Verifies that an exact matcher compares byte for byte: no resolution of relative values, no normalization. */
  @Test
  void exactIsByteForByte() {
    TopicSelector s = both("match=books%2F1").matchers().get(0).selector();
    assertTrue(s.matches("books/1"));
    assertFalse(s.matches("https://example.com/.well-known/books/1"));
    assertFalse(s.matches("Books/1"));
  }

  /** Verifies that {@code *} matches every topic whichever parameter carries it. */
  @ParameterizedTest
  @ValueSource(strings = {"topic=*", "match=*", "match_exact=*"})
  void wildcardEverywhere(String query) {
    assertTrue(both(query).matchers().get(0).selector().matches("urn:anything"));
  }

  /** Verifies that the same type and value twice subscribe once, while the same value under two types stays two. */
  @Test
  void deduplicatesByTypeAndValue() {
    assertEquals(1, both("match=a&match_exact=a").matchers().size());
    assertEquals(2, both("match=a&topic=a").matchers().size());
  }

  /** Verifies that every other name in the reserved {@code match} namespace is a 400, case-insensitively. */
  @ParameterizedTest
  @ValueSource(strings = {"matches=a", "match_regex=a", "MATCH=a", "Match_exact=a", "match_URLPATTERN=a", "matchx=a", "match_=a"})
  void unknownMatchParameterIs400(String query) {
    assertEquals(400, status(() -> both("match=ok&" + query)));
  }

  /** Verifies that a request without any selector is a 400 naming both parameters. */
  @Test
  void missingSelectorIs400() {
    ProtocolException e = assertThrows(ProtocolException.class, () -> both("last_event_id=x"));
    assertEquals(400, e.status());
    assertTrue(e.reason().contains("topic") && e.reason().contains("match"));
  }

  /** Verifies that more than 100 matchers, or a matcher over 4096 bytes, is a 400. */
  @Test
  void limits() {
    StringBuilder q = new StringBuilder("match=0");
    for (int i = 1; i <= SubscriptionRequest.MAX_MATCHERS; i++) {
      q.append("&match=").append(i);
    }
    assertEquals(400, status(() -> both(q.toString())));
    assertEquals(400, status(() -> both("match=" + "a".repeat(MatcherValues.MAX_MATCHER_BYTES + 1))));
    assertEquals(1, both("match=" + "a".repeat(MatcherValues.MAX_MATCHER_BYTES)).matchers().size());
    // multi-byte characters count in UTF-8 bytes
    assertEquals(400, status(() -> both("match=" + "%C3%A9".repeat(MatcherValues.MAX_MATCHER_BYTES / 2 + 1))));
  }

  /** Verifies that control characters (C0, DEL, C1) and format characters (Cf) in a matcher are a 400. */
  @ParameterizedTest
  @ValueSource(strings = {"%00", "%0A", "%1F", "%7F", "%C2%80", "%C2%9F", "%E2%80%8B", "%E2%80%AE", "%EF%BB%BF"})
  void controlAndFormatCharactersAre400(String encoded) {
    assertEquals(400, status(() -> both("match=a" + encoded + "b")));
  }

  /** Verifies the cursor's precedence: Last-Event-ID header, then last_event_id, then the classic lastEventID. */
  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "h, match=a&last_event_id=q&lastEventID=c, h",
      "null, match=a&last_event_id=q&lastEventID=c, q",
      "null, match=a&lastEventID=c&last_event_id=q, q",
      "null, match=a&lastEventID=c, c",
      "null, topic=a&last_event_id=q, q",
      "null, match=a, null"})
  void cursorPrecedence(String header, String query, String expected) {
    assertEquals(expected, both(query, header).cursor());
  }

  /** Verifies that in classic mode match parameters are ignored like any unknown parameter and last_event_id is not read. */
  @Test
  void classicModeIgnoresDraft08() {
    SubscriptionRequest r = SubscriptionRequest.parse(FormData.parse("topic=a&match=b&matchx=c&last_event_id=q".getBytes(StandardCharsets.UTF_8)),
        null, true, false, BASE, 1000);
    assertEquals(1, r.matchers().size());
    assertNull(r.cursor());
    assertFalse(r.draft08());
    assertEquals(400, status(() -> SubscriptionRequest.parse(FormData.parse("match=b".getBytes(StandardCharsets.UTF_8)),
        null, true, false, BASE, 1000)));
  }

  /** Verifies that in draft-08 mode topic parameters are not selectors, lastEventID is not a cursor, and the request is draft-08. */
  @Test
  void draft08ModeIgnoresClassic() {
    SubscriptionRequest r = SubscriptionRequest.parse(FormData.parse("topic=a&match=b&lastEventID=c".getBytes(StandardCharsets.UTF_8)),
        null, false, true, BASE, 1000);
    assertEquals(List.of("b"), r.matchers().stream().map(SubscriptionRequest.Matcher::value).toList());
    assertNull(r.cursor());
    assertTrue(r.draft08());
    assertEquals(400, status(() -> SubscriptionRequest.parse(FormData.parse("topic=a".getBytes(StandardCharsets.UTF_8)),
        null, false, true, BASE, 1000)));
  }
}
