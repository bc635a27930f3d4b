package io.quicksilver.mercure;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;



/** The reserved namespace of the hub, one rule for every mode: {@link ReservedTopics}. */
class ReservedTopicsTest {

  private static final ReservedTopics HUB = ReservedTopics.of("https://example.com/.well-known/mercure");

  /** Verifies that topics inside the hub's namespace are reserved, however spelled. */
  @ParameterizedTest
  @ValueSource(strings = {
      "/.well-known/mercure",
      "/.well-known/mercure/",
      "/.well-known/mercure/subscriptions/x",
      "/.well-known/mercure/subscriptions/{topic}/{subscriber}",
      "/.well-known/mercure?topic=x",
      "/.well-known/mercure#x",
      "https://example.com/.well-known/mercure",
      "https://example.com/.well-known/mercure/x",
      "https://example.com:8443/.well-known/mercure/x?y#z",
      "HTTPS://example.com/.well-known/mercure/x",
      "https://other.example/.well-known/mercure/subscriptions/x",
      "foo://host/.well-known/mercure/x",
      "mailto:/.well-known/mercure",
      "//example.com/.well-known/mercure/x",
      // percent-encoded unreserved characters, either case
      "/.well-known/%6Dercure/x",
      "/.well-known/%6dercure/x",
      "/%2Ewell-known/mercure",
      "/%2ewell-known/%6D%65%72%63%75%72%65/subscriptions/x",
      "/.well%2Dknown/mercure/x",
      "/.well-known/mercur%65",
      // dot segments, plain and encoded
      "/.well-known/mercure/../mercure/x",
      "/.well-known/x/../mercure/y",
      "/.well-known/./mercure",
      "/a/b/../../.well-known/mercure",
      "/../.well-known/mercure",
      "https://example.com/x/%2E%2E/.well-known/mercure",
      "/.well-known/x/%2e%2E/mercure/y",
      // relative references, resolved against the hub URL
      "mercure/subscriptions/exact/x/urn%3Auuid%3Afake",
      "mercure",
      "",
      "?topic=x",
      "#x",
      "./mercure/x",
      "x/../mercure/y",
      // backslashes, tabs and newlines inside, spaces and controls around
      "\\.well-known\\mercure\\subscriptions\\x",
      "https://example.com\\.well-known\\mercure/x",
      "/.well-known/mer\tcure/subscriptions/x",
      "/.well-\nknown/mercure/x",
      "/.well-known/mercure\r/x",
      "  /.well-known/mercure/x  ",
      "\u0001/.well-known/mercure/x\u001F",
      "mer\tcure/subscriptions/x"})
  void reserved(String topic) {
    assertEquals(true, HUB.contains(topic), topic);
    ProtocolException e = assertThrows(ProtocolException.class, () -> HUB.check(List.of("https://example.com/ok", topic)));
    assertEquals(400, e.status());
  }

  /** Verifies that topics outside the namespace, or naming no hub path, are not reserved. */
  @ParameterizedTest
  @ValueSource(strings = {
      "/.well-known/mercurex",
      "/.well-known/mercure.json",
      "/.well-known/Mercure",
      "/.WELL-KNOWN/MERCURE/x",
      "/.well-known/mercure%2Fx",
      "/.well-known/mer%E2%80%8Bcure/x",
      "/.well-known/mercure/../x",
      "urn:x:/.well-known/mercure",
      "https://example.com/books/1",
      "https://example.com",
      "https://example.com?/.well-known/mercure",
      "https://example.com/x#/.well-known/mercure",
      "https://example.com/x?/.well-known/mercure",
      "/well-known/mercure",
      "/x/.well-known/mercure",
      "books/1",
      "../books/1",
      "mercurex",
      "../mercure",
      "https://exa mple.com/.well-known/mercure/x"})
  void notReserved(String topic) {
    assertEquals(false, HUB.contains(topic), topic);
    assertDoesNotThrow(() -> HUB.check(List.of(topic)));
  }

  /** Verifies that the hub URL's own path is reserved, and the path where the hub publishes its events too. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://hub.example/mercure        | /mercure/x                     | true",
      "https://hub.example/mercure        | /.well-known/mercure/x         | true",
      "https://hub.example/mercure/       | /mercure/x                     | true",
      "https://hub.example/mercure/       | /mercurex                      | false",
      "https://hub.example/a/hub          | hub/x                          | true",
      "https://hub.example/a/hub          | /a/x                           | false",
      "https://hub.example/               | /books/1                       | false",
      "https://hub.example/               | /.well-known/mercure/x         | true"})
  void namespaceFollowsHubPath(String hub, String topic, boolean reserved) {
    assertEquals(reserved, ReservedTopics.of(hub).contains(topic));
  }

  /** Verifies that the type of hub events is refused, and other types pass. */
  @Test
  void hubEventTypeIsReserved() {
    assertEquals(400, assertThrows(ProtocolException.class, () -> ReservedTopics.checkType("mercure")).status());
    assertDoesNotThrow(() -> ReservedTopics.checkType(null));
    assertDoesNotThrow(() -> ReservedTopics.checkType("Mercure"));
    assertDoesNotThrow(() -> ReservedTopics.checkType("mercure-ish"));
  }

  /** Verifies dot-segment removal (RFC 3986 section 5.2.4), including a path of many segments. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "/a/b/c/./../../g | /a/g",
      "mid/content=5/../6 | mid/6",
      "/a/.. | /",
      "/a/. | /a/",
      "../a | a",
      ". | ''",
      ".. | ''",
      "/./ | /"})
  void removesDotSegments(String in, String out) {
    assertEquals(out, ReservedTopics.removeDotSegments(in));
    String many = "/a".repeat(200_000) + "/..".repeat(200_000) + "/x";
    assertEquals("/x", ReservedTopics.removeDotSegments(many));
  }
}
