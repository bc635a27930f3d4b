package io.quicksilver.publish;

import static io.quicksilver.publish.Watcher.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.Tokens;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;



/** Publications the hub refuses for their content (400, 413, 415), none of which may be dispatched. */
@Timeout(120)
class PublishValidationTest extends WatchedHubTest {

  private static final String TOPIC = "https://example.com/books/1";
  private static final int ONE_MIB = 1 << 20;

  @RegisterExtension
  static final HubExtension HUB = HubExtension.standard();

  static Stream<Arguments> badRequests() {
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      topics.add("topic");
      topics.add("urn:quicksilver:many:" + i);
    }
    return Stream.of(
        Arguments.of("missing topic", Http.form("data", "x")),
        Arguments.of("empty topic", Http.form("topic", "", "data", "x")),
        Arguments.of("empty alternate topic", Http.form("topic", TOPIC, "topic", "", "data", "x")),
        Arguments.of("CR in topic", Http.form("topic", TOPIC + "\rx")),
        Arguments.of("LF in topic", Http.form("topic", TOPIC + "\nx")),
        Arguments.of("NUL in topic", Http.form("topic", TOPIC + "\0x")),
        Arguments.of("LF in alternate topic", Http.form("topic", TOPIC, "topic", "a\nb")),
        Arguments.of("CR in id", Http.form("topic", TOPIC, "id", "a\rb")),
        Arguments.of("LF in id", Http.form("topic", TOPIC, "id", "a\nb")),
        Arguments.of("NUL in id", Http.form("topic", TOPIC, "id", "a\0b")),
        Arguments.of("CR in type", Http.form("topic", TOPIC, "type", "a\rb")),
        Arguments.of("LF in type", Http.form("topic", TOPIC, "type", "a\nb")),
        Arguments.of("NUL in type", Http.form("topic", TOPIC, "type", "a\0b")),
        Arguments.of("id starting with #", Http.form("topic", TOPIC, "id", "#42")),
        Arguments.of("id earliest", Http.form("topic", TOPIC, "id", "earliest")),
        Arguments.of("retry +5", Http.form("topic", TOPIC, "retry", "+5")),
        Arguments.of("retry abc", Http.form("topic", TOPIC, "retry", "abc")),
        Arguments.of("retry -1", Http.form("topic", TOPIC, "retry", "-1")),
        Arguments.of("retry 1.5", Http.form("topic", TOPIC, "retry", "1.5")),
        Arguments.of("retry beyond 32 bits", Http.form("topic", TOPIC, "retry", "99999999999")),
        Arguments.of("invalid percent escape", "topic=" + TOPIC + "&data=%zz"),
        Arguments.of("truncated percent escape", "topic=" + TOPIC + "&data=%2"),
        Arguments.of("percent-encoded invalid UTF-8", "topic=" + TOPIC + "&data=%C3%28"),
        Arguments.of("percent-encoded lone continuation byte", "topic=" + TOPIC + "&data=%80"),
        Arguments.of("invalid UTF-8 in a name", "topic=" + TOPIC + "&%C3%28=x"),
        Arguments.of("reserved subscriptions topic", Http.form("topic", "/.well-known/mercure/subscriptions/x")),
        Arguments.of("reserved absolute topic", Http.form("topic", "https://example.com/.well-known/mercure/x")),
        Arguments.of("reserved topic with encoded m", Http.form("topic", "/.well-known/%6Dercure/x")),
        Arguments.of("reserved topic with dot segments", Http.form("topic", "https://example.com/a/../.well-known/mercure/x")),
        Arguments.of("reserved hub URL itself", Http.form("topic", "https://example.com/.well-known/mercure")),
        Arguments.of("reserved alternate topic", Http.form("topic", TOPIC, "topic", "/.well-known/mercure/subscriptions/x")),
        Arguments.of("1001 topics", Http.form(topics.toArray(String[]::new))));
  }

  /** Verifies that each malformed publication is refused with 400 and a one-line reason, and is not dispatched. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void refusesWith400(String name, String body) {
    String token = Tokens.publisher("*");
    HttpResponse<String> r = Http.post(hub.hub(""), token, body);
    assertRefused(400, r, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that raw (not percent-encoded) invalid UTF-8 bytes in the body are refused with 400 and not dispatched. */
  @Test
  void refusesRawInvalidUtf8() {
    byte[] prefix = ("topic=" + TOPIC + "&data=").getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[prefix.length + 2];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    body[prefix.length] = (byte) 0xC3;
    body[prefix.length + 1] = (byte) 0x28;
    String token = Tokens.publisher("*");
    HttpResponse<String> r = Http.send(HttpRequest.newBuilder(hub.hub(""))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build());
    assertRefused(400, r, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that a JSON Content-Type is refused with 415 even when the body is a valid form, and nothing is dispatched. */
  @Test
  void refusesJsonContentType() {
    String token = Tokens.publisher("*");
    HttpResponse<String> r = Http.post(hub.hub(""), token, Http.form("topic", TOPIC, "data", "x"),
        Map.of("Content-Type", "application/json"));
    assertRefused(415, r, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that a media type merely starting with the form type is refused with 415, while parameters are allowed. */
  @Test
  void comparesTheWholeMediaType() {
    String token = Tokens.publisher("*");
    HttpResponse<String> r = Http.post(hub.hub(""), token, Http.form("topic", TOPIC, "data", "x"),
        Map.of("Content-Type", "application/x-www-form-urlencodedXYZ"));
    assertRefused(415, r, token);
    watcher.assertNothingDispatched();
    HttpResponse<String> ok = Http.post(hub.hub(""), token, Http.form("topic", TOPIC, "data", "x"),
        Map.of("Content-Type", "Application/X-WWW-Form-URLEncoded; charset=UTF-8"));
    assertEquals(200, ok.statusCode(), ok.body());
  }

  /** Verifies that a publication without a Content-Type is refused with 415 and nothing is dispatched. */
  @Test
  void refusesMissingContentType() {
    String token = Tokens.publisher("*");
    HttpResponse<String> r = Http.send(HttpRequest.newBuilder(hub.hub(""))
        .timeout(Duration.ofSeconds(15))
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(Http.form("topic", TOPIC, "data", "x")))
        .build());
    assertRefused(415, r, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that a form Content-Type with a charset parameter is accepted. */
  @Test
  void acceptsFormContentTypeWithCharset() {
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), Http.form("topic", TOPIC, "data", "cs"),
        Map.of("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that with the default limit (1 MiB) a body of 1 MiB + 1 byte is refused with 413 and nothing is dispatched. */
  @Test
  void refusesBodyOverDefaultLimit() {
    String token = Tokens.publisher("*");
    HttpResponse<String> r = Http.post(hub.hub(""), token, bodyOfSize(ONE_MIB + 1));
    assertRefused(413, r, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that with the default limit a body of exactly 1 MiB is accepted. */
  @Test
  void acceptsBodyAtDefaultLimit() {
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), bodyOfSize(ONE_MIB));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that a chunked body (no Content-Length) growing past the default limit is refused with 413 and nothing is dispatched. */
  @Test
  void refusesChunkedBodyOverDefaultLimit() {
    String token = Tokens.publisher("*");
    byte[] body = bodyOfSize(ONE_MIB + 1).getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> r = Http.send(HttpRequest.newBuilder(hub.hub(""))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
        .build());
    assertRefused(413, r, token);
    watcher.assertNothingDispatched();
  }

  /** A valid form body of exactly {@code size} bytes. */
  static String bodyOfSize(int size) {
    String head = "topic=" + TOPIC + "&data=";
    return head + "a".repeat(size - head.length());
  }
}
