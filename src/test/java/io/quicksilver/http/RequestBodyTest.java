package io.quicksilver.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.metrics.Scrape;
import io.quicksilver.support.Await;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.Tokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the hub reads a request's body: {@code Expect: 100-continue}, and a body the connection cannot deliver. */
@Timeout(60)
class RequestBodyTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_MAX_BODY", "1KiB"));

  private static final String FORM = "application/x-www-form-urlencoded";

  private static String head(String method, String token, String... headers) {
    StringBuilder head = new StringBuilder(method + " /.well-known/mercure HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (token != null) {
      head.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", hub.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static BufferedReader reader(Socket socket) throws IOException {
    return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
  }

  /** Verifies that a publisher waiting for {@code 100 Continue} gets it, sends its body, and the update is published. */
  @Test
  void expectContinueIsAnswered() throws IOException {
    String body = "topic=https://example.com/continue&data=x";
    try (Socket socket = connect()) {
      write(socket, head("POST", Tokens.publisher("*"), "Content-Type: " + FORM, "Content-Length: " + body.length(),
          "Expect: 100-continue"));
      BufferedReader in = reader(socket);
      assertEquals("HTTP/1.1 100 Continue", in.readLine(), "the interim answer comes before the body is sent");
      assertEquals("", in.readLine());
      write(socket, body);
      assertEquals("HTTP/1.1 200 OK", in.readLine());
    }
  }

  /** Verifies that a body declared over the limit, or a request without a token, is answered at once, without 100 Continue. */
  @Test
  void expectContinueRefusedWithoutContinue() throws IOException {
    try (Socket socket = connect()) {
      write(socket, head("POST", Tokens.publisher("*"), "Content-Type: " + FORM, "Content-Length: 4096", "Expect: 100-continue"));
      assertEquals("HTTP/1.1 413 Request Entity Too Large", reader(socket).readLine());
    }
    try (Socket socket = connect()) {
      write(socket, head("POST", null, "Content-Type: " + FORM, "Content-Length: 10", "Expect: 100-continue"));
      assertEquals("HTTP/1.1 401 Unauthorized", reader(socket).readLine());
    }
  }

  /**
   * Verifies that a malformed chunked body is the client's fault: the answer, if the connection still takes one, is a
   * 400, the refusal is counted as a bad request and never as a failure of the hub, and nothing is published.
   */
  @Test
  void malformedChunkIsBadRequest() throws IOException {
    URI metrics = hub.uri("/metrics");
    Scrape before = Scrape.of(metrics);
    try (Socket socket = connect()) {
      write(socket, head("POST", Tokens.publisher("*"), "Content-Type: " + FORM, "Transfer-Encoding: chunked") + "zz\r\n");
      String status = reader(socket).readLine();
      assertTrue(status == null || status.startsWith("HTTP/1.1 400 "), "no answer, or a 400: " + status);
    }
    Scrape after = Await.until(() -> Scrape.of(metrics),
        s -> s.value("quicksilver_publish_rejections_total") - before.value("quicksilver_publish_rejections_total") >= 1,
        Duration.ofSeconds(10), s -> "the refusal counted; last scrape:\n" + s.text());
    String[] badRequest = {"reason", "bad_request"};
    assertEquals(1, after.value("quicksilver_publish_rejections_total", badRequest)
        - before.value("quicksilver_publish_rejections_total", badRequest));
    assertEquals(1, after.value("quicksilver_publish_rejections_total") - before.value("quicksilver_publish_rejections_total"),
        "no other reason moved");
    assertEquals(0, after.value("mercure_updates_total") - before.value("mercure_updates_total"));
  }

  /** Verifies that a body in a transfer coding the hub does not apply is refused (501), not misread, and nothing is published. */
  @Test
  void unknownTransferCodingIs501() throws IOException {
    URI metrics = hub.uri("/metrics");
    Scrape before = Scrape.of(metrics);
    try (Socket socket = connect()) {
      write(socket, head("POST", Tokens.publisher("*"), "Content-Type: " + FORM, "Transfer-Encoding: gzip, chunked")
          + "7\r\ntopic=a\r\n0\r\n\r\n");
      assertEquals("HTTP/1.1 501 Not Implemented", reader(socket).readLine());
    }
    assertEquals(0, Scrape.of(metrics).value("mercure_updates_total") - before.value("mercure_updates_total"));
  }
}
