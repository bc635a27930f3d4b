package io.quicksilver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static final class Collector implements SseParser.Listener {
    final List<String> events = new ArrayList<>();
    final List<String> comments = new ArrayList<>();
    final List<Long> retries = new ArrayList<>();

    @Override
    public void onEvent(String id, String type, String data) {
      events.add(id + "|" + type + "|" + data);
    }

    @Override
    public void onComment(String text) {
      comments.add(text);
    }

    @Override
    public void onRetry(long millis) {
      retries.add(millis);
    }
  }

  private static Collector parseInChunks(String stream, int chunk) {
    Collector c = new Collector();
    SseParser p = new SseParser(c);
    byte[] b = stream.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i += chunk) {
      p.feed(b, i, Math.min(chunk, b.length - i));
    }
    return c;
  }

  @Test
  void parsesTheHubFramingWhateverTheChunkBoundaries() {
    String stream = ":\n\n"
        + "id: urn:uuid:1\ndata: qsb 0 0 123\n\n"
        + "event: price\r\nretry: 2500\r\nid: urn:uuid:2\r\ndata: line one\r\ndata: line two\r\n\r\n"
        + "id: urn:uuid:3\rdata:no-space\r\r"
        + ": heartbeat\n\n"
        + "data: é ü \u2028 inside\n\n";
    for (int chunk = 1; chunk <= stream.length() + 1; chunk++) {
      Collector c = parseInChunks(stream, chunk);
      assertEquals(List.of(
          "urn:uuid:1|message|qsb 0 0 123",
          "urn:uuid:2|price|line one\nline two",
          "urn:uuid:3|message|no-space",
          "urn:uuid:3|message|é ü \u2028 inside"), c.events, "chunk size " + chunk);
      assertEquals(List.of("", " heartbeat"), c.comments);
      assertEquals(List.of(2500L), c.retries);
    }
  }

  @Test
  void crlfSplitAcrossChunksIsOneLineEnd() {
    Collector c = new Collector();
    SseParser p = new SseParser(c);
    p.feed("data: a\r".getBytes(StandardCharsets.UTF_8));
    p.feed("\n\r".getBytes(StandardCharsets.UTF_8));
    p.feed("\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("|message|a"), c.events);
  }

  @Test
  void edgeCasesOfTheGrammar() {
    Collector c = parseInChunks("\uFEFFdata\n\n" // BOM skipped; field without colon: empty data, still dispatched
        + "id: bad\0id\ndata: x\n\n" // id with NUL ignored
        + "event: only-type\n\n" // no data: nothing dispatched, type reset
        + "data: y\n\n"
        + "retry: 12a\nretry: +5\ndata: z\n\n" // invalid retry values ignored
        + "data: unterminated", 3);
    assertEquals(List.of("|message|", "|message|x", "|message|y", "|message|z"), c.events);
    assertEquals(List.of(), c.retries);
  }

  @Test
  void lastEventIdPersistsAcrossEventsAndResets() {
    Collector c = new Collector();
    SseParser p = new SseParser(c);
    p.feed("id: 7\ndata: a\n\ndata: b\n\nid: 8\ndata: part".getBytes(StandardCharsets.UTF_8));
    assertEquals("7", p.lastEventId()); // id 8 belongs to an event not yet complete
    p.reset(); // connection lost mid-event: the partial event is dropped, the id kept
    p.feed("data: c\n\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("7|message|a", "7|message|b", "7|message|c"), c.events);
    assertEquals(3, p.events());
  }
}
