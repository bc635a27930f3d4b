package io.quicksilver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.ClusterNodes;
import io.quicksilver.support.Http;
import io.quicksilver.support.HubProcess;
import io.quicksilver.support.RedisServer;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestCertificates;
import io.quicksilver.support.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;



/** The event bus between members with mutual TLS: updates cross it, and a peer without a member certificate is turned away. */
@Tag("cluster")
@Timeout(180)
class BusTlsTest {

  private static final Pattern BUS = Pattern.compile("event bus on [^:]+:(\\d+) \\(mutual TLS\\)");

  @TempDir
  Path dir;

  /** Verifies that an update published on one node reaches a subscriber on the other over the TLS bus, and that the bus port refuses cleartext and certificate-less TLS peers. */
  @Test
  void updatesCrossTheEncryptedBusAndStrangersAreRefused() throws Exception {
    TestCertificates.Pair member = TestCertificates.create(dir, "member"); // self-signed: its own CA
    String topic = "https://example.com/bus-tls/" + UUID.randomUUID();
    try (RedisServer redis = RedisServer.start();
         ClusterNodes cluster = ClusterNodes.start(2, redis, Map.of("QS_CLUSTER_TLS_CERT", member.cert().toString(),
             "QS_CLUSTER_TLS_KEY", member.key().toString(), "QS_CLUSTER_TLS_CA", member.cert().toString()))) {
      HubProcess a = cluster.node(0);
      HubProcess b = cluster.node(1);
      try (SseClient onB = SseClient.open(b.hub("?topic=" + java.net.URLEncoder.encode(topic, StandardCharsets.UTF_8)))) {
        assertEquals(200, onB.status());
        String id = "urn:bus-tls:" + UUID.randomUUID();
        // the subscription may take a moment to be known cluster-wide: publish until it arrives (bounded)
        SseClient.Event got = null;
        for (int i = 0; i < 20 && got == null; i++) {
          assertEquals(200, Http.post(a.hub(""), Tokens.publisher("*"), Http.form("topic", topic, "id", id + ":" + i, "data", "private")).statusCode());
          try {
            got = onB.next(Duration.ofSeconds(1));
          } catch (AssertionError notYet) {
            // retry
          }
        }
        assertTrue(got != null && got.lastEventId().startsWith(id), "an update crossed the TLS bus from A to B");
      }

      int busPort = busPort(b);
      try (Socket plain = new Socket("127.0.0.1", busPort)) {
        plain.setSoTimeout(10_000);
        plain.getOutputStream().write("not TLS at all\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(-1, readOrEnd(plain.getInputStream()), "cleartext is dropped");
      }
      try (SSLSocket peer = (SSLSocket) member.presenting().getSocketFactory().createSocket("127.0.0.1", busPort)) {
        peer.setSoTimeout(10_000);
        peer.startHandshake(); // the port speaks TLS, with the member certificate
        assertEquals(member.certificate(), peer.getSession().getPeerCertificates()[0]);
      }
      try (SSLSocket stranger = (SSLSocket) TestCertificates.trustingAll().getSocketFactory().createSocket("127.0.0.1", busPort)) {
        stranger.setSoTimeout(10_000);
        assertThrows(IOException.class, () -> {
          stranger.startHandshake();
          stranger.getOutputStream().write(1);
          stranger.getOutputStream().flush();
          if (stranger.getInputStream().read() == -1) {
            throw new IOException("closed");
          }
        }, "a TLS peer without a member certificate is refused");
      }
    }
  }

  private static int readOrEnd(InputStream in) {
    try {
      byte[] buf = new byte[512];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("HTTP")) {
          return n; // something answered in cleartext
        }
      }
      return -1;
    } catch (IOException reset) {
      return -1;
    }
  }

  private static int busPort(HubProcess node) {
    Matcher m = BUS.matcher(node.log());
    assertTrue(m.find(), node.log());
    return Integer.parseInt(m.group(1));
  }
}
