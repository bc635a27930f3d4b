package io.quicksilver.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;



/** Strict {@code application/x-www-form-urlencoded} decoding. */
class FormDataTest {

  private static FormData parse(String body) {
    return FormData.parse(body.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Verifies that repeated names keep every value in body order. */
  @Test
  void repeatedNames() {
    FormData form = parse("topic=a&data=x&topic=b&topic=c");
    assertEquals(List.of("a", "b", "c"), form.all("topic"));
    assertEquals("a", form.first("topic"));
    assertEquals(List.of(), form.all("missing"));
    assertNull(form.first("missing"));
    assertEquals(List.of(Map.entry("topic", "a"), Map.entry("data", "x"), Map.entry("topic", "b"), Map.entry("topic", "c")),
        form.fields());
  }

  /** Encoded value → decoded value. */
  static Stream<Arguments> decoding() {
    return Stream.of(
        Arguments.of("a+b", "a b"),
        Arguments.of("a%20b", "a b"),
        Arguments.of("a%2Bb", "a+b"),
        Arguments.of("%26%3D%25", "&=%"),
        Arguments.of("caf%C3%A9", "caf\u00e9"),
        Arguments.of("caf%c3%a9", "caf\u00e9"),
        Arguments.of("%F0%9F%98%80", "\uD83D\uDE00"),
        Arguments.of("https%3A%2F%2Fexample.com%2Fbooks%2F1", "https://example.com/books/1"),
        Arguments.of("https://example.com/books/1?x", "https://example.com/books/1?x"),
        Arguments.of("line%0D%0Anext", "line\r\nnext"),
        Arguments.of("=b", "=b"),
        Arguments.of("", ""));
  }

  /** Verifies that values are decoded with + as space and percent escapes as UTF-8 bytes. */
  @ParameterizedTest
  @MethodSource("decoding")
  void decodesValues(String encoded, String decoded) {
    assertEquals(decoded, parse("v=" + encoded).first("v"));
  }

  /** Verifies that names are decoded like values. */
  @Test
  void decodesNames() {
    assertEquals("x", parse("na%6De=x").first("name"));
    assertEquals("y", parse("a+b=y").first("a b"));
  }

  /** Verifies that raw UTF-8 bytes in the body are decoded. */
  @Test
  void rawUtf8() {
    assertEquals("caf\u00e9", FormData.parse("v=caf\u00e9".getBytes(StandardCharsets.UTF_8)).first("v"));
  }

  /** Verifies that empty pairs between separators are skipped. */
  @ParameterizedTest
  @ValueSource(strings = {"&&a=1&", "&a=1", "a=1&&", "a=1"})
  void emptyPairsSkipped(String body) {
    FormData form = parse(body);
    assertEquals(List.of(Map.entry("a", "1")), form.fields());
  }

  /** Verifies that an empty body has no fields. */
  @Test
  void emptyBody() {
    assertEquals(List.of(), FormData.parse(new byte[0]).fields());
    assertEquals(List.of(), parse("&&&").fields());
  }

  /** Verifies that a name without = is present with an empty value, like one with an empty value. */
  @Test
  void nameWithoutEquals() {
    FormData form = parse("topic=t&private&other=");
    assertTrue(form.has("private"));
    assertEquals("", form.first("private"));
    assertTrue(form.has("other"));
    assertEquals("", form.first("other"));
    assertFalse(form.has("absent"));
  }

  /** Verifies that only the first = separates name and value. */
  @Test
  void firstEqualsSeparates() {
    assertEquals("b=c", parse("a=b=c").first("a"));
    assertEquals("x", parse("=x").first(""));
  }

  /** Verifies that malformed percent escapes and invalid UTF-8 are refused with 400, never replaced. */
  @ParameterizedTest
  @ValueSource(strings = {"a=%", "a=%4", "a=x%", "a=%zz", "a=%4g", "a=%g4", "a=%%41", "%=a", "%4=a", "a=%4&b=1",
      "a=%C3", "a=%C3%28", "a=%FF", "a=%80", "a=%C0%AF", "a=%ED%A0%80", "a=%F4%90%80%80", "a%FF=b", "a=%E2%82"})
  void malformedRefused(String body) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> parse(body));
    assertEquals(400, e.status());
  }

  /** Verifies that raw bytes that are not UTF-8 are refused with 400. */
  @Test
  void rawInvalidUtf8Refused() {
    byte[] body = {'a', '=', (byte) 0xC3, (byte) 0x28};
    assertEquals(400, assertThrows(ProtocolException.class, () -> FormData.parse(body)).status());
    byte[] lone = {'a', '=', (byte) 0xFF};
    assertEquals(400, assertThrows(ProtocolException.class, () -> FormData.parse(lone)).status());
  }
}
