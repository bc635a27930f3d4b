package io.quicksilver.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;



/** How the subscriptions API tells a draft-08 request from a classic one, and the draft-08 header values, without a hub. */
class ApiGenerationTest {

  /** Verifies the recognition table: path shapes only draft-08 has, then the {@code Accept} header, classic by default. */
  @ParameterizedTest(name = "{0} Accept={1} -> draft-08 {2}")
  @CsvSource(nullValues = "-", value = {
      "'',                                  -,                                  false",
      "'',                                  application/json,                   true",
      "'',                                  'application/json; charset=utf-8',  true",
      "'',                                  application/ld+json,                false",
      "'',                                  'application/ld+json, application/json', false",
      "'',                                  '*/*',                              false",
      "https%3A%2F%2Fexample.com%2Fa,       -,                                  false",
      "https%3A%2F%2Fexample.com%2Fa,       application/json,                   false",
      "exact/https%3A%2F%2Fexample.com%2Fa, -,                                  true",
      "urlpattern/https%3A%2F%2Fexample.com%2F%3Aid, -,                         true",
      "urlpattern/https%3A%2F%2Fexample.com%2F%3Aid, application/ld+json,       false",
      "https%3A%2F%2Fexample.com%2Fa/urn%3Auuid%3A1, -,                         false",
      "https%3A%2F%2Fexample.com%2Fa/urn%3Auuid%3A1, application/json,          true",
      "URLPattern/https%3A%2F%2Fexample.com%2F%3Aid, -,                         false",
      "exact/x/urn%3Auuid%3A1,              -,                                  true",
      "exact/x/urn%3Auuid%3A1,              application/ld+json,                true",
  })
  void recognition(String rest, String accept, boolean draft08) {
    List<String> segments = rest.isEmpty() ? List.of() : List.of(rest.split("/"));
    assertEquals(draft08, SubscriptionsApi.draft08(segments, accept));
  }

  /** Verifies that the entity tag is the event id when it can be, and an injective escape of it otherwise. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "urn:uuid:5e94c686-2c0b-4f9b-958c-92ccc3bbb4eb | urn:uuid:5e94c686-2c0b-4f9b-958c-92ccc3bbb4eb",
      "earliest | earliest",
      "'a b\"c' | a%20b%22c",
      "a%20b | a%2520b",
      "a,b | a%2Cb",
      "é | %C3%A9",
  })
  void entityTag(String eventId, String tag) {
    assertEquals(tag, SubscriptionsApi.entityTag(eventId));
    assertTrue(SubscriptionsApi.matches("\"" + tag + "\"", tag));
  }

  /** Verifies that the Link attribute is a quoted string for printable ASCII and the RFC 8187 form otherwise. */
  @Test
  void linkAttribute() {
    assertEquals("last-event-id=\"urn:uuid:1\"", SubscriptionsApi.linkAttribute("last-event-id", "urn:uuid:1"));
    assertEquals("last-event-id=\"a\\\"b\\\\c\"", SubscriptionsApi.linkAttribute("last-event-id", "a\"b\\c"));
    assertEquals("last-event-id*=UTF-8''https%3A%2F%2Fexample.com%2F%C3%A9v%C3%A9nement", SubscriptionsApi.linkAttribute("last-event-id", "https://example.com/événement"));
  }
}
