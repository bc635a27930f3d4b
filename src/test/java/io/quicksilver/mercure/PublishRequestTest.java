package io.quicksilver.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;



/** Validation of publish requests (classic protocol, "Publication"). */
class PublishRequestTest {

  private static final String T = "https://example.com/books/1";
  private static final int MAX_TOPICS = 3;

  /** A form from alternating names and values (values are already decoded, so they may hold CR or LF). */
  private static FormData form(String... nameValues) {
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      fields.add(Map.entry(nameValues[i], nameValues[i + 1]));
    }
    return new FormData(fields);
  }

  private static PublishRequest valid(String... nameValues) {
    return PublishRequest.from(form(nameValues), MAX_TOPICS);
  }

  /** A description, the form, and a word the 400 reason must contain. */
  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("no topic", form("data", "x"), "topic"),
        Arguments.of("no fields", form(), "topic"),
        Arguments.of("empty topic", form("topic", ""), "topic"),
        Arguments.of("empty alternate topic", form("topic", T, "topic", ""), "topic"),
        Arguments.of("CR in topic", form("topic", T + "\rx"), "topic"),
        Arguments.of("LF in topic", form("topic", T + "\nx"), "topic"),
        Arguments.of("NUL in topic", form("topic", T + "\0"), "topic"),
        Arguments.of("LF in alternate topic", form("topic", T, "topic", "a\nb"), "topic"),
        Arguments.of("too many topics", form("topic", "a", "topic", "b", "topic", "c", "topic", "d"), "topic"),
        Arguments.of("type of hub events", form("topic", T, "type", "mercure"), "mercure"),
        Arguments.of("CR in id", form("topic", T, "id", "a\rb"), "id"),
        Arguments.of("LF in id", form("topic", T, "id", "a\nb"), "id"),
        Arguments.of("CRLF in id", form("topic", T, "id", "a\r\n"), "id"),
        Arguments.of("NUL in id", form("topic", T, "id", "a\0b"), "id"),
        Arguments.of("id starting with #", form("topic", T, "id", "#1"), "id"),
        Arguments.of("id earliest", form("topic", T, "id", "earliest"), "id"),
        Arguments.of("CR in type", form("topic", T, "type", "a\rb"), "type"),
        Arguments.of("LF in type", form("topic", T, "type", "a\n"), "type"),
        Arguments.of("NUL in type", form("topic", T, "type", "\0"), "type"),
        Arguments.of("retry +5", form("topic", T, "retry", "+5"), "retry"),
        Arguments.of("retry -1", form("topic", T, "retry", "-1"), "retry"),
        Arguments.of("retry 1.5", form("topic", T, "retry", "1.5"), "retry"),
        Arguments.of("retry with leading space", form("topic", T, "retry", " 5"), "retry"),
        Arguments.of("retry with trailing space", form("topic", T, "retry", "5 "), "retry"),
        Arguments.of("retry 1e3", form("topic", T, "retry", "1e3"), "retry"),
        Arguments.of("retry 0x10", form("topic", T, "retry", "0x10"), "retry"),
        Arguments.of("retry with non-ASCII digit", form("topic", T, "retry", "\u0665"), "retry"),
        Arguments.of("retry just above 2^31-1", form("topic", T, "retry", "2147483648"), "retry"),
        Arguments.of("retry beyond long", form("topic", T, "retry", "99999999999999999999999"), "retry"));
  }

  /** Verifies that each invalid request is refused with 400 and a reason naming the field. */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("refused")
  void refusedWith400(String description, FormData form, String reasonWord) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> PublishRequest.from(form, MAX_TOPICS));
    assertEquals(400, e.status());
    assertTrue(e.reason().contains(reasonWord), e.reason());
  }

  /** Verifies that a minimal request has one topic, no id, empty data, and is public. */
  @Test
  void minimal() {
    PublishRequest r = valid("topic", T);
    assertEquals(List.of(T), r.topics());
    assertNull(r.id());
    assertEquals("", r.data());
    assertFalse(r.privateUpdate());
    assertNull(r.type());
    assertNull(r.retry());
  }

  /** Verifies that every field is carried over when valid. */
  @Test
  void allFields() {
    PublishRequest r = valid("topic", T, "data", "line1\nline2", "id", "urn:uuid:x", "type", "price", "retry", "5000", "private", "on");
    assertEquals("line1\nline2", r.data());
    assertEquals("urn:uuid:x", r.id());
    assertEquals("price", r.type());
    assertEquals(5000L, r.retry());
    assertTrue(r.privateUpdate());
  }

  /** Verifies that private is set by its presence alone, even with an empty value. */
  @ParameterizedTest
  @ValueSource(strings = {"", "on", "off", "false", "0"})
  void privatePresentWithAnyValue(String value) {
    assertTrue(valid("topic", T, "private", value).privateUpdate());
  }

  /** Verifies that unknown fields are ignored. */
  @Test
  void unknownFieldsIgnored() {
    PublishRequest r = valid("topic", T, "foo", "bar", "authorization", "x", "lastEventID", "y", "Topic", "\n");
    assertEquals(List.of(T), r.topics());
  }

  /** Verifies that the first topic is the canonical one and the others are alternates, in order. */
  @Test
  void firstTopicCanonical() {
    PublishRequest r = valid("topic", "https://example.com/a", "data", "x", "topic", "https://example.com/b", "topic", "c");
    assertEquals(List.of("https://example.com/a", "https://example.com/b", "c"), r.topics());
    Update u = r.toUpdate("urn:uuid:1");
    assertEquals("https://example.com/a", u.canonicalTopic());
    assertEquals("urn:uuid:1", u.id());
    assertEquals(0, u.sequence());
  }

  /** Verifies that exactly the maximum number of topics is accepted. */
  @Test
  void maxTopicsAccepted() {
    assertEquals(3, valid("topic", "a", "topic", "b", "topic", "c").topics().size());
  }

  /** Verifies that an empty id or type counts as absent, so the hub generates the id. */
  @Test
  void emptyIdAndTypeAbsent() {
    PublishRequest r = valid("topic", T, "id", "", "type", "");
    assertNull(r.id());
    assertNull(r.type());
  }

  /** Verifies that ids that are IRIs, and ids merely containing # or earliest, are accepted. */
  @ParameterizedTest
  @ValueSource(strings = {"urn:uuid:e1ee88e2-532a-4d6f-ba70-f0f8bd584022", "https://example.com/e#1", "earliest2", "Earliest", "1"})
  void acceptedIds(String id) {
    assertEquals(id, valid("topic", T, "id", id).id());
  }

  /** Verifies that retry values of ASCII digits up to 2^31-1 are accepted; an empty retry is absent. */
  @Test
  void acceptedRetry() {
    assertEquals(0L, valid("topic", T, "retry", "0").retry());
    assertEquals(7L, valid("topic", T, "retry", "007").retry());
    assertEquals(PublishRequest.MAX_RETRY, valid("topic", T, "retry", "2147483647").retry());
    assertNull(valid("topic", T, "retry", "").retry());
  }

  /** Verifies that only the first data, id, type and retry fields count. */
  @Test
  void firstOccurrenceOfScalarFields() {
    PublishRequest r = valid("topic", T, "data", "one", "data", "two", "id", "a", "id", "#b", "retry", "1", "retry", "x");
    assertEquals("one", r.data());
    assertEquals("a", r.id());
    assertEquals(1L, r.retry());
  }
}
