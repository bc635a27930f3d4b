package io.quicksilver.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/**
 * Clients that hold connections without finishing their requests (slowloris: headers a byte at a time; a body a
 * byte at a time; nothing at all) are closed past the header timeout, and a subscriber that never reads while its
 * history is replayed is dropped past the dispatch timeout — while a bystander keeps being served.
 */
@Timeout(90)
class SlowClientsTest {

  private static final long HEADER_TIMEOUT_MS = 1000;

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_HEADER_TIMEOUT", HEADER_TIMEOUT_MS + "ms", "QS_DISPATCH_TIMEOUT", "1s"));

  /** A connection under attack: what it sends first, and whether it then drips a byte at a time. */
  private record Slow(SocketChannel channel, boolean drips) {
  }

  private static Slow connect(Selector selector, String start, boolean drips) throws IOException {
    SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", hub.port()));
    channel.configureBlocking(false);
    channel.write(ByteBuffer.wrap(start.getBytes(StandardCharsets.US_ASCII)));
    channel.register(selector, SelectionKey.OP_READ);
    return new Slow(channel, drips);
  }

  /**
   * Verifies that 500 slowloris connections, slow bodies and silent connections are all closed within one and a
   * half header timeouts (plus scheduling slack), and that a bystander is served within a second meanwhile.
   */
  @Test
  void slowConnectionsAreClosed() throws Exception {
    try (Bystander bystander = Bystander.watch(hub); Selector selector = Selector.open();
         LoopLag lag = LoopLag.watch(hub.running().vertx(), 8)) {
      long baseline = bystander.baseline();
      lag.reset();
      bystander.start();
      String host = "Host: 127.0.0.1:" + hub.port() + "\r\n";
      List<Slow> slow = new ArrayList<>();
      long started = System.nanoTime();
      for (int i = 0; i < 500; i++) {
        slow.add(connect(selector, "GET /.well-known/mercure?topic=x HTTP/1.1\r\n" + host + "X-Slow: ", true));
      }
      for (int i = 0; i < 20; i++) {
        slow.add(connect(selector, "POST /.well-known/mercure HTTP/1.1\r\n" + host
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\ntopic=", true));
      }
      for (int i = 0; i < 20; i++) {
        slow.add(connect(selector, "", false));
      }
      Map<SocketChannel, Long> closedAfter = new HashMap<>();
      ByteBuffer drop = ByteBuffer.allocate(4096);
      ByteBuffer drip = ByteBuffer.wrap(new byte[] {'a'});
      long deadline = started + 10 * HEADER_TIMEOUT_MS * 1_000_000;
      while (closedAfter.size() < slow.size() && System.nanoTime() < deadline) {
        for (Slow s : slow) {
          if (s.drips() && !closedAfter.containsKey(s.channel())) {
            try {
              s.channel().write(drip.rewind());
            } catch (IOException e) {
              closedAfter.put(s.channel(), (System.nanoTime() - started) / 1_000_000);
            }
          }
        }
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel channel = (SocketChannel) key.channel();
          int read;
          try {
            read = channel.read(drop.clear());
          } catch (IOException e) {
            read = -1;
          }
          if (read < 0) {
            closedAfter.putIfAbsent(channel, (System.nanoTime() - started) / 1_000_000);
            key.cancel();
          }
        }
        selector.selectedKeys().clear();
      }
      long worst = bystander.stop();
      long last = closedAfter.values().stream().mapToLong(Long::longValue).max().orElse(-1);
      System.out.printf("slow clients: %d of %d closed, the last after %d ms; bystander %d ms (%d ms before); event loop late %d ms%n",
          closedAfter.size(), slow.size(), last, worst, baseline, lag.worstMillis());
      for (Slow s : slow) {
        s.channel().close();
      }
      assertEquals(slow.size(), closedAfter.size(), "every slow connection is closed");
      assertTrue(last < 2 * HEADER_TIMEOUT_MS + Bystander.limit(baseline), "the last slow connection was closed after " + last + " ms");
      assertTrue(worst < Bystander.limit(baseline), "a bystander waited " + worst + " ms (" + baseline + " ms before the attack)");
    }
  }

  /**
   * Verifies that a subscriber asking for the whole history and never reading is dropped past the dispatch timeout
   * (the replay gets the live streams' stall rule), long before its replay is written.
   */
  @Test
  void nonReadingReplayIsDropped() throws Exception {
    String topic = "urn:quicksilver:replay:" + UUID.randomUUID();
    String token = Tokens.publisher("*");
    String data = "x".repeat(100_000);
    int updates = 80;
    for (int i = 0; i < updates; i++) {
      Http.publish(hub, token, "topic", topic, "data", data);
    }
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", hub.port()));
      socket.getOutputStream().write(("GET /.well-known/mercure?topic=" + topic + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Last-Event-ID: earliest\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(4000); // reads nothing for four dispatch timeouts
      socket.setSoTimeout(5000);
      long read = 0;
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[65536];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          read += n;
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the stream was still open after " + read + " bytes");
      } catch (IOException e) {
        // reset: dropped
      }
      System.out.printf("non-reading replay: dropped after %d of %d bytes%n", read, (long) updates * data.length());
      assertTrue(read < (long) updates * data.length() / 2, "the replay was dropped early: " + read + " bytes read");
    }
  }
}
