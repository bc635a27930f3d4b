package io.quicksilver.mercure;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;



/** Draft-08 rules on publish request fields ("Publication", "Reserved Hub Namespace"), through {@link Draft08Topics}. */
class Draft08TopicsTest {

  private static final String HUB = "https://example.com/.well-known/mercure";

  private static void assertBadRequest(Runnable check) {
    ProtocolException e = assertThrows(ProtocolException.class, check::run);
    assertEquals(400, e.status());
  }

  /**
   * Verifies that topics addressing the hub's namespace are refused, however spelled. "Each topic MUST be resolved
   * against the hub's URL [...] A topic addresses the reserved namespace when the resolved path component equals the
   * path of the hub's URL or begins with that path followed by {@code /} [...] regardless of scheme or authority.
   * Before this comparison, the path MUST have its dot-segments removed and its percent-encoded octets that
   * correspond to unreserved characters decoded." The empty topic resolves to the hub URL itself.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "/.well-known/mercure",
      "/.well-known/mercure/",
      "/.well-known/mercure/x",
      "/.well-known/%6Dercure/x",
      "/.well-known/%6dercure/x",
      "/%2Ewell-known/mercure/x",
      "/.well%2Dknown/mercure/x",
      "/.well-known/mercure/../mercure/x",
      "/.well-known/x/../mercure/y",
      "/.well-known/x/%2E%2E/mercure/y",
      "/.well-known/./mercure",
      "/../.well-known/mercure",
      "mercure/x",
      "./mercure/x",
      "mercure",
      "''",
      "?topic=x",
      "'#x'",
      "https://example.com/.well-known/mercure/subscriptions/x",
      "https://example.com/.well-known/mercure/subscriptions/exact/t/s",
      "https://EXAMPLE.com/.well-known/mercure/x",
      "HTTPS://example.com:443/.well-known/mercure/x",
      "//example.com/.well-known/mercure/x",
      "https://example.com/.well-known\\mercure/x",
      "https://other.example/.well-known/mercure/x",
      "http://example.com:8080/.well-known/mercure",
      "foo://host/.well-known/mercure/x",
      "mailto:/.well-known/mercure"})
  void reservedTopicsAreRefused(String topic) {
    assertBadRequest(() -> Draft08Topics.checkPublishTopics(List.of(topic), ReservedTopics.of(HUB)));
  }

  /**
   * Verifies that topics outside the namespace pass, including opaque-path URLs (no hub path) and topics that are
   * not URL references: "A topic that cannot be parsed as a URL reference against the hub's URL does not address
   * the reserved namespace (it cannot name a hub path) and is not rejected by this rule."
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/.well-known/mercurex",
      "/.well-known/mercure.json",
      "/.well-known/Mercure",
      "/.well-known/mercure%2Fx",
      "/.well-known/mercure/../x",
      "mercurex",
      "../mercure",
      "books/1",
      "https://example.com/books/1",
      "https://example.com",
      "https://example.com/x?/.well-known/mercure",
      "https://example.com/x#/.well-known/mercure",
      "urn:uuid:e1ee88e2-532a-4d6f-ba70-f0f8bd584022",
      "urn:x:/.well-known/mercure",
      "https://exa mple.com/.well-known/mercure/x",
      "https://example.com:99999/.well-known/mercure/x"})
  void otherTopicsPass(String topic) {
    assertDoesNotThrow(() -> Draft08Topics.checkPublishTopics(List.of(topic), ReservedTopics.of(HUB)));
  }

  /**
   * Verifies the character constraints and the wildcard rule: "Topic strings MUST be valid UTF-8 and MUST NOT
   * contain C0 [...] or C1 [...] control characters, U+007F (DEL), or Unicode format characters" and "Every topic
   * value MUST NOT be exactly {@code *}".
   */
  @ParameterizedTest
  @ValueSource(strings = {"*", "https://example.com/a\u0000", "https://example.com/a\r\nid: x", "https://example.com/\t",
      "https://example.com/\u007F", "https://example.com/\u0085", "https://example.com/\u009F",
      "https://example.com/\u200B", "https://example.com/\u200E", "https://example.com/\u2066", "https://example.com/\uFEFF",
      "https://example.com/\uDB40\uDC01", "https://example.com/\uD800", "https://example.com/\uDC00x"})
  void invalidTopicValuesAreRefused(String topic) {
    assertBadRequest(() -> Draft08Topics.checkPublishTopics(List.of(topic), ReservedTopics.of(HUB)));
  }

  /** Verifies that valid non-ASCII topics and a topic merely containing {@code *} pass. */
  @ParameterizedTest
  @ValueSource(strings = {"**", "https://example.com/*", "https://example.com/café", "https://例え.jp/本",
      "https://example.com/\uD83D\uDE00", "https://example.com/\u00A0"})
  void validTopicValuesPass(String topic) {
    assertDoesNotThrow(() -> Draft08Topics.checkPublishTopics(List.of(topic), ReservedTopics.of(HUB)));
  }

  /**
   * Verifies the {@code id} and {@code type} rules: "The provided ID MUST NOT start with the {@code #} character,
   * MUST NOT be the reserved value {@code earliest} [...], and MUST NOT contain control characters [...] or Unicode
   * format characters"; for {@code type}, the same characters, and "hubs MUST reject a publish request whose
   * {@code type} is {@code mercure}". Null stands for an absent field.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', nullValues = "NULL", value = {
      "#1              | NULL      | true",
      "'#'             | NULL      | true",
      "earliest        | NULL      | true",
      "NULL            | mercure   | true",
      "'a\nb'          | NULL      | true",
      "'a\u200Bb'      | NULL      | true",
      "NULL            | 'a\rb'    | true",
      "NULL            | 'a\u202Eb'| true",
      "NULL            | NULL      | false",
      "urn:uuid:1      | message   | false",
      "''              | ''        | false",
      "1#2             | NULL      | false",
      "Earliest        | NULL      | false",
      "earliest2       | NULL      | false",
      "NULL            | Mercure   | false",
      "NULL            | mercure2  | false",
      "https://example.com/updates/1 | NULL | false"})
  void updateFields(String id, String type, boolean refused) {
    if (refused) {
      assertBadRequest(() -> Draft08Topics.checkUpdateFields(id, type));
    } else {
      assertDoesNotThrow(() -> Draft08Topics.checkUpdateFields(id, type));
    }
  }
}
