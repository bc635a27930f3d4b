package io.quicksilver.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reserved {@code /.well-known/mercure} topic namespace. */
class ReservedTopicsTest {

  /** Verifies that topics inside the hub's namespace, however spelled, are reserved in both modes. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
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
      "//example.com/.well-known/mercure/x",
      "/.well-known/%6Dercure/x",
      "/.well-known/%6dercure/x",
      "/%2Ewell-known/mercure",
      "/.well%2Dknown/mercure/x",
      "/.well-known/mercure/../mercure/x",
      "/.well-known/x/../mercure/y",
      "/.well-known/./mercure",
      "/a/b/../../.well-known/mercure",
      "/../.well-known/mercure",
      "https://example.com/x/%2E%2E/.well-known/mercure"})
  void reserved(String topic) {
    assertEquals(true, ReservedTopics.isReserved(topic, false), topic);
    assertEquals(true, ReservedTopics.isReserved(topic, true), topic);
  }

  /** Verifies that topics outside the namespace are not reserved in either mode. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/.well-known/mercurex",
      "/.well-known/mercure.json",
      "/.well-known/Mercure",
      "/.well-known/mercure%2Fx",
      "urn:x:/.well-known/mercure",
      "mailto:/.well-known/mercure",
      "https://example.com/books/1",
      "https://example.com",
      "https://example.com?/.well-known/mercure",
      "https://example.com/x#/.well-known/mercure",
      "https://example.com/x?/.well-known/mercure",
      "/.well-known/mercure/../x",
      "/well-known/mercure",
      "/x/.well-known/mercure"})
  void notReserved(String topic) {
    assertEquals(false, ReservedTopics.isReserved(topic, false), topic);
    assertEquals(false, ReservedTopics.isReserved(topic, true), topic);
  }

  /** Verifies that relative references are opaque names classically, and resolve against the hub URL when asked. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "mercure/x       | false | true",
      "mercure         | false | true",
      "''              | false | true",
      "?topic=x        | false | true",
      "'#x'            | false | true",
      "./mercure/x     | false | true",
      "x/../mercure/y  | false | true",
      "books/1         | false | false",
      "../books/1      | false | false",
      "mercurex        | false | false",
      "../mercure      | false | false"})
  void relative(String topic, boolean classic, boolean resolved) {
    assertEquals(classic, ReservedTopics.isReserved(topic, false), "classic: " + topic);
    assertEquals(resolved, ReservedTopics.isReserved(topic, true), "resolved: " + topic);
  }
}
