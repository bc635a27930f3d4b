package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.support.Topics.topics;
import static io.quicksilver.support.Topics.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.HubEndpoint;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;




/**
 * Streams written straight to their socket, with one flush per event-loop iteration: bursts, HTTP/1.1
 * chunked framing as a plain client reads it, the end of a stream, and the idle timeout.
 */
@Timeout(120)
class DirectWriteTest {

  private static final int PUBLISHERS = 8;
  private static final int PER_PUBLISHER = 50;

  /**
   * Verifies that a burst of concurrent publishes reaches two subscribers complete, without duplicates, each
   * publisher's updates in the order it sent them, and both subscribers in the same order.
   */
  @Test
  void burstArrivesCompleteAndInOrder() throws Exception {
    try (TestHub hub = TestHub.start()) {
      String topic = Topics.unique("burst");
      try (SseClient a = SseClient.open(hub.hub(topics(topic)));
           RawStream b = RawStream.open(hub, topics(topic))) {
        awaitOpen(a);
        b.awaitOpen();
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
        List<Future<?>> sent = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
          int publisher = p;
          sent.add(pool.submit(() -> {
            for (int k = 0; k < PER_PUBLISHER; k++) {
              Fixtures.publish(hub, topic, publisher + " " + k);
            }
          }));
        }
        for (Future<?> f : sent) {
          f.get();
        }
        pool.shutdown();
        int total = PUBLISHERS * PER_PUBLISHER;
        List<SseClient.Event> viaA = a.next(total, Duration.ofSeconds(30));
        List<String> dataA = new ArrayList<>();
        for (SseClient.Event e : viaA) {
          dataA.add(e.data());
        }
        assertInPublisherOrder(dataA, total);
        assertEquals(dataA, b.data(total, Duration.ofSeconds(30)), "both subscribers see the same order");
      }
    }
  }

  /**
   * Verifies that a stream ended by the hub (QS_WRITE_TIMEOUT) carries its updates as well-formed chunks,
   * ends with the last chunk, and leaves the keep-alive connection able to serve another request.
   */
  @Test
  void endedStreamIsWellFramedAndConnectionServesNextRequest() throws Exception {
    try (TestHub hub = TestHub.start(Map.of("QS_WRITE_TIMEOUT", "2s"))) {
      String topic = Topics.unique("end");
      try (RawStream raw = RawStream.open(hub, topics(topic))) {
        raw.awaitOpen();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          ids.add(Fixtures.publish(hub, topic, "update " + i));
        }
        assertEquals(List.of("update 0", "update 1", "update 2"), raw.data(3, Duration.ofSeconds(10)));
        assertEquals(ids, raw.ids());
        raw.awaitLastChunk(Duration.ofSeconds(10));
        raw.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals(200, raw.readStatus(), "the connection serves the next request");
      }
    }
  }

  /**
   * Verifies that a stream without heartbeats is still closed after the idle timeout once updates stop. The timeout
   * leaves room for the publish before it on a loaded machine (with 1 s, a slow publish found the stream closed).
   */
  @Test
  void idleTimeoutClosesSilentStream() {
    try (TestHub hub = TestHub.start(Map.of("QS_IDLE_TIMEOUT", "4s", "QS_HEARTBEAT", "0"))) {
      String topic = Topics.unique("idle");
      try (SseClient sub = SseClient.open(hub.hub(topics(topic)))) {
        awaitOpen(sub);
        expectId(sub, Fixtures.publish(hub, topic, "one"));
        assertTrue(sub.awaitEnd(Duration.ofSeconds(20)), "the silent stream was closed");
      }
    }
  }

  /** Verifies that heartbeats more frequent than the idle timeout keep a stream open past it. */
  @Test
  void heartbeatsKeepStreamOpenPastIdleTimeout() throws Exception {
    try (TestHub hub = TestHub.start(Map.of("QS_IDLE_TIMEOUT", "1s", "QS_HEARTBEAT", "200ms"))) {
      String topic = Topics.unique("beat");
      try (SseClient sub = SseClient.open(hub.hub(topics(topic)))) {
        awaitOpen(sub);
        expectId(sub, Fixtures.publish(hub, topic, "one"));
        int comments = sub.comments();
        Fixtures.await(() -> sub.comments() >= comments + 15, Duration.ofSeconds(30), "heartbeats over three idle timeouts");
        assertFalse(sub.ended(), "the stream stayed open");
        expectId(sub, Fixtures.publish(hub, topic, "two"));
      }
    }
  }

  /** Each publisher's updates ("p k") in its order, every one once. */
  private static void assertInPublisherOrder(List<String> data, int total) {
    assertEquals(total, data.size());
    Map<String, Integer> next = new HashMap<>();
    for (String d : data) {
      String[] pk = d.split(" ");
      int expected = next.getOrDefault(pk[0], 0);
      assertEquals(expected, Integer.parseInt(pk[1]), () -> "publisher " + pk[0] + " out of order in " + data);
      next.put(pk[0], expected + 1);
    }
    assertEquals(PUBLISHERS, next.size());
  }

  /**
   * A subscription read from a plain socket: the status line and headers, then HTTP/1.1 chunks decoded by
   * hand (a malformed chunk fails the test), then SSE fields ({@code id} and {@code data} lines only).
   */
  private static final class RawStream implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final List<String> ids = new ArrayList<>();
    private final List<String> data = new ArrayList<>();
    private final StringBuilder pending = new StringBuilder();
    private boolean lastChunk;
    private boolean chunked;

    private RawStream(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
    }

    static RawStream open(HubEndpoint hub, String query) throws IOException {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", hub.port()), 5000);
      socket.setSoTimeout(30_000);
      RawStream raw = new RawStream(socket);
      raw.send("GET /.well-known/mercure" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
      assertEquals(200, raw.readStatus());
      assertTrue(raw.chunked, "the stream is chunked");
      return raw;
    }

    void send(String request) throws IOException {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
    }

    /** Reads a response head and returns its status. */
    int readStatus() throws IOException {
      String status = line();
      boolean chunked = false;
      for (String h = line(); !h.isEmpty(); h = line()) {
        chunked |= h.equalsIgnoreCase("transfer-encoding: chunked");
      }
      this.chunked = chunked;
      lastChunk = false;
      return Integer.parseInt(status.split(" ")[1]);
    }

    /** Reads until the opening comment. */
    void awaitOpen() throws IOException {
      while (pending.indexOf(":\n\n") < 0) {
        chunk();
      }
      pending.setLength(0);
    }

    /** Reads chunks until {@code n} events have arrived; their data lines. */
    List<String> data(int n, Duration timeout) throws IOException {
      socket.setSoTimeout((int) timeout.toMillis());
      while (data.size() < n) {
        chunk();
        parseEvents();
      }
      return data;
    }

    List<String> ids() {
      return ids;
    }

    void awaitLastChunk(Duration timeout) throws IOException {
      socket.setSoTimeout((int) timeout.toMillis());
      while (!lastChunk) {
        chunk();
      }
      assertEquals("", line(), "the last chunk ends with an empty trailer section");
    }

    private void parseEvents() {
      for (int end = pending.indexOf("\n\n"); end >= 0; end = pending.indexOf("\n\n")) {
        String event = pending.substring(0, end);
        pending.delete(0, end + 2);
        for (String field : event.split("\n")) {
          if (field.startsWith("id: ")) {
            ids.add(field.substring(4));
          } else if (field.startsWith("data: ")) {
            data.add(field.substring(6));
          }
        }
      }
    }

    /** One chunk: {@code <hex size> CRLF <bytes> CRLF}; size 0 is the last chunk. */
    private void chunk() throws IOException {
      int size = Integer.parseInt(line(), 16);
      if (size == 0) {
        lastChunk = true;
        return;
      }
      byte[] body = in.readNBytes(size);
      assertEquals(size, body.length, "the chunk is complete");
      assertEquals("", line(), "the chunk ends with CRLF");
      pending.append(new String(body, StandardCharsets.UTF_8));
    }

    /** A CRLF-terminated line (a bare LF fails). */
    private String line() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int prev = -1;
      for (int b = in.read(); ; b = in.read()) {
        if (b < 0) {
          throw new IOException("end of stream inside a line: " + out);
        }
        if (b == '\n') {
          assertEquals('\r', prev, "lines of the HTTP framing end with CRLF");
          byte[] bytes = out.toByteArray();
          return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
        }
        out.write(b);
        prev = b;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
