package io.quicksilver.mercure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;



/** Server-Sent Events framing of updates. */
class SseEncoderTest {

  private static Update update(String data, String type, Long retry) {
    return new Update(7, "urn:uuid:1", List.of("https://example.com/t"), data, false, type, retry);
  }

  /** Verifies that the fields come in the order event, retry, id, data, followed by a blank line. */
  @Test
  void fieldOrder() {
    assertEquals("event: price\nretry: 5000\nid: urn:uuid:1\ndata: hello\n\n",
        SseEncoder.encodeToString(update("hello", "price", 5000L)));
  }

  /** Verifies that event and retry lines are left out when the update has no type and no retry (or retry 0, as the reference hub). */
  @Test
  void optionalFieldsOmitted() {
    assertEquals("id: urn:uuid:1\ndata: hello\n\n", SseEncoder.encodeToString(update("hello", null, null)));
    assertEquals("id: urn:uuid:1\ndata: hello\n\n", SseEncoder.encodeToString(update("hello", "", null)));
    assertEquals("id: urn:uuid:1\ndata: x\n\n", SseEncoder.encodeToString(update("x", null, 0L)));
  }

  /** Data → the data lines the event must carry. */
  static Stream<Arguments> dataLines() {
    return Stream.of(
        Arguments.of("", List.of("")),
        Arguments.of("one", List.of("one")),
        Arguments.of("a\nb", List.of("a", "b")),
        Arguments.of("a\rb", List.of("a", "b")),
        Arguments.of("a\r\nb", List.of("a", "b")),
        Arguments.of("a\n\rb", List.of("a", "", "b")),
        Arguments.of("a\n\nb", List.of("a", "", "b")),
        Arguments.of("a\r\rb", List.of("a", "", "b")),
        Arguments.of("a\r\n\r\nb", List.of("a", "", "b")),
        Arguments.of("a\n", List.of("a", "")),
        Arguments.of("a\r\n", List.of("a", "")),
        Arguments.of("\n", List.of("", "")),
        Arguments.of("\r", List.of("", "")),
        Arguments.of("a\u0085b", List.of("a\u0085b")),
        Arguments.of("a\u2028b", List.of("a\u2028b")),
        Arguments.of("a\u2029b", List.of("a\u2029b")),
        Arguments.of("a\u000Bb\fc", List.of("a\u000Bb\fc")),
        Arguments.of(" leading space", List.of(" leading space")),
        Arguments.of("data: inner\n\nid: forged", List.of("data: inner", "", "id: forged")));
  }

  /** Verifies that data is split into data lines on CR, LF and CRLF only, keeping empty and trailing lines. */
  @ParameterizedTest
  @MethodSource("dataLines")
  void multiLineData(String data, List<String> lines) {
    StringBuilder expected = new StringBuilder("id: urn:uuid:1\n");
    for (String line : lines) {
      expected.append("data: ").append(line).append('\n');
    }
    expected.append('\n');
    assertEquals(expected.toString(), SseEncoder.encodeToString(update(data, null, null)));
  }

  /** Verifies that the encoded bytes are UTF-8. */
  @Test
  void encodesUtf8() {
    byte[] bytes = SseEncoder.encode(update("caf\u00e9 \uD83D\uDE00", null, null));
    assertArrayEquals("id: urn:uuid:1\ndata: caf\u00e9 \uD83D\uDE00\n\n".getBytes(StandardCharsets.UTF_8), bytes);
  }

  /** Verifies that the open and heartbeat frames are SSE comments that dispatch no event. */
  @Test
  void commentFrames() {
    assertEquals(":\n\n", new String(SseEncoder.OPEN_COMMENT, StandardCharsets.US_ASCII));
    assertEquals(":\n\n", new String(SseEncoder.HEARTBEAT, StandardCharsets.US_ASCII));
  }
}
