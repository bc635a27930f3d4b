package io.quicksilver.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hub's one percent-encoder with the sets of its syntaxes. Each set is checked against the rule it was written
 * from before the encoders were one: an octet-by-octet encoder keeping exactly the characters that syntax allows.
 */
class PercentEncodingTest {

  /** Every ASCII character alone, some non-ASCII ones, and random mixes of both. */
  static List<String> samples() {
    List<String> out = new ArrayList<>();
    for (char c = 0; c < 0x80; c++) {
      out.add(String.valueOf(c));
    }
    out.addAll(List.of("", "é", "€", "😀", "urn:uuid:0f4c", "https://example.com/books/{id}?q=a b#f", "100%,\"x\""));
    Random random = new Random(15);
    int[] alphabet = "aZ09-._~!#$&'()*+,/:;=?@[]%\" <>\\^`{|}\u007f\u0000\té€😀".codePoints().toArray();
    for (int i = 0; i < 500; i++) {
      StringBuilder sb = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
      }
      out.add(sb.toString());
    }
    return out;
  }

  /** Verifies the RFC 6570 simple expansion: unreserved characters kept, every other octet encoded (as URLEncoder's RFC 3986 idiom does). */
  @ParameterizedTest
  @MethodSource("samples")
  void simpleExpansion(String value) {
    String rfc3986 = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    assertEquals(rfc3986, PercentEncoding.encode(value, PercentEncoding.SIMPLE_EXPANSION));
    assertEquals(octets(value, c -> isAlphaDigit(c) || "-._~".indexOf(c) >= 0), PercentEncoding.encode(value, PercentEncoding.SIMPLE_EXPANSION));
  }

  /** Verifies RFC 8187 attr-char: ALPHA, DIGIT and ! # $ & + - . ^ _ ` | ~ kept, every other octet encoded. */
  @ParameterizedTest
  @MethodSource("samples")
  void attrChar(String value) {
    assertEquals(octets(value, c -> isAlphaDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0), PercentEncoding.encode(value, PercentEncoding.ATTR_CHAR));
  }

  /** Verifies the entity tag's opaque part: etagc (! and # to ~) kept but for % and the comma, every other octet encoded. */
  @ParameterizedTest
  @MethodSource("samples")
  void entityTag(String value) {
    assertEquals(octets(value, c -> c == 0x21 || (c >= 0x23 && c <= 0x7E && c != '%' && c != ',')), PercentEncoding.encode(value, PercentEncoding.ENTITY_TAG));
  }

  /** Verifies a few encodings by hand: upper-case hex, UTF-8 octets, a % encoded once. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://example.com/a b|https%3A%2F%2Fexample.com%2Fa%20b",
      "{id}|%7Bid%7D",
      "%41|%2541",
      "é|%C3%A9",
      "~user.name_1-2|~user.name_1-2"})
  void byHand(String value, String encoded) {
    assertEquals(encoded, PercentEncoding.encode(value, PercentEncoding.SIMPLE_EXPANSION));
  }

  /**
   * Verifies that an unpaired surrogate is encoded as U+FFFD, as the URL Standard says (the hand-written encoders
   * before wrote the {@code ?} that Java's UTF-8 encoder puts there; no request reaches them with one, as the hub
   * refuses input that is not UTF-8).
   */
  @Test
  void unpairedSurrogateIsReplacementCharacter() {
    for (String set : List.of(PercentEncoding.SIMPLE_EXPANSION, PercentEncoding.ATTR_CHAR, PercentEncoding.ENTITY_TAG)) {
      assertEquals("a%EF%BF%BDb", PercentEncoding.encode("a\uD800b", set));
    }
  }

  private static boolean isAlphaDigit(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  /** The value's UTF-8 octets, those that {@code kept} allows as they are, the others as %XX. */
  private static String octets(String value, IntPredicate kept) {
    StringBuilder sb = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (kept.test(c)) {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }
}
