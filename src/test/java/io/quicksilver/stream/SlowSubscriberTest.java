package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.support.Topics.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;




/**
 * A subscriber that stops reading must be disconnected (so that it can resume by cursor) without holding
 * back anybody else: QS_SUBSCRIBER_BUFFER=64KiB and QS_DISPATCH_TIMEOUT=500ms.
 */
@Timeout(180)
class SlowSubscriberTest {

  private static final int DATA_BYTES = 64 * 1024;
  /** Loop bounds: at most this many 64 KiB updates (~64 MiB) and this long. */
  private static final int MAX_PUBLISHES = 1000;
  private static final Duration MAX_PUBLISHING = Duration.ofSeconds(90);

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of(
        "QS_SUBSCRIBER_BUFFER", "64KiB",
        "QS_DISPATCH_TIMEOUT", "500ms",
        "QS_HEARTBEAT", "0"));

  /** Verifies that a client that never reads is disconnected by the hub while a normal subscriber keeps receiving every update in order. */
  @Test
  void nonReadingClientIsDisconnectedOthersUnaffected() throws Exception {
    String topic = Topics.unique("slow");
    String filler = "x".repeat(DATA_BYTES);

    try (Socket slow = new Socket(); SseClient normal = SseClient.open(hub.hub(topics(topic)))) {
      slow.setReceiveBufferSize(4096); // before connect, so the advertised window stays small
      slow.connect(new InetSocketAddress("127.0.0.1", hub.port()), 5000);
      String target = "/.well-known/mercure" + topics(topic);
      slow.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + hub.port()
          + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      awaitOpen(normal);

      boolean probeAvailable = HubSideSocket.readable();
      boolean closedSeen = false;
      int published = 0;
      long deadline = System.nanoTime() + MAX_PUBLISHING.toNanos();
      while (published < MAX_PUBLISHES && System.nanoTime() < deadline) {
        String id = Fixtures.publish(hub, topic, published + " " + filler);
        published++;
        SseClient.Event e = normal.next(Duration.ofSeconds(10));
        assertEquals(id, e.lastEventId(), "the normal subscriber receives every update, in order");
        assertTrue(e.data().startsWith((published - 1) + " "));
        if (probeAvailable && HubSideSocket.closed(hub.port(), slow.getLocalPort())) {
          closedSeen = true;
          break;
        }
      }
      assertTrue(closedSeen || !probeAvailable,
          "the hub did not drop the non-reading subscriber after " + published + " updates of 64 KiB");

      // Drain what the kernels buffered: the stream must then end (EOF or reset), not stall.
      slow.setSoTimeout(10_000);
      InputStream in = slow.getInputStream();
      byte[] buf = new byte[64 * 1024];
      long drained = 0;
      boolean ended = false;
      byte[] head = new byte[12];
      long drainDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < drainDeadline) {
        int n;
        try {
          n = in.read(buf);
        } catch (SocketTimeoutException timeout) {
          break; // nothing more and no end: the hub kept the stream open
        } catch (SocketException reset) {
          ended = true;
          break;
        }
        if (n < 0) {
          ended = true;
          break;
        }
        if (drained < head.length) {
          System.arraycopy(buf, 0, head, (int) drained, (int) Math.min(n, head.length - drained));
        }
        drained += n;
      }
      System.out.printf("slow subscriber: dropped after %d updates of 64 KiB; %d bytes were still buffered (probe %s)%n",
          published, drained, probeAvailable ? "used" : "unavailable");
      assertTrue(ended, "the slow stream ended (EOF or reset) after draining " + drained + " bytes");
      if (drained >= head.length) {
        assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
      }

      // The hub and the normal subscriber carry on.
      String after = Fixtures.publish(hub, topic, "after");
      expectId(normal, after);
      try (SseClient late = SseClient.open(hub.hub(topics(topic)))) {
        awaitOpen(late);
        String last = Fixtures.publish(hub, topic, "last");
        expectId(late, last);
        expectId(normal, last);
      }
    }
  }

  /**
   * Looks up the hub's end of a loopback TCP connection in the kernel's table (Linux {@code /proc/net/tcp*}),
   * which tells whether the hub closed it without reading from the client socket (a read would unstall it).
   */
  static final class HubSideSocket {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    static boolean readable() {
      return TABLES.stream().anyMatch(Files::isReadable);
    }

    /** True when no ESTABLISHED socket has local port {@code serverPort} and remote port {@code clientPort}. */
    static boolean closed(int serverPort, int clientPort) throws IOException {
      String local = String.format(Locale.ROOT, ":%04X", serverPort);
      String remote = String.format(Locale.ROOT, ":%04X", clientPort);
      for (Path table : TABLES) {
        if (!Files.isReadable(table)) {
          continue;
        }
        for (String line : Files.readAllLines(table)) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 3 && f[1].endsWith(local) && f[2].endsWith(remote)) {
            return !f[3].equals("01"); // 01 = ESTABLISHED
          }
        }
      }
      return true;
    }
  }
}
