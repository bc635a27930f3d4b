package io.quicksilver.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/**
 * Publishers holding every right try to forge the hub's subscription events, in many spellings of its namespace
 * and with both token generations: every attempt is refused (400), and observers of the subscription events —
 * draft-08 and classic, and a subscriber to everything — see no forged event before a real one.
 */
@Timeout(60)
class NamespaceForgeryTest {

  private static final String ISSUER = "https://app.example";
  private static final String FORGED = "{\"forged\":true,\"active\":false}";

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_SUBSCRIPTIONS", "true", "QS_DEFAULT_ISSUER", ISSUER));

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A draft-08 access token of the default issuer allowed to publish anything. */
  private static String accessToken() {
    return Tokens.accessToken(ISSUER, "http://127.0.0.1:" + hub.port() + "/.well-known/mercure", "publish", "*");
  }

  /** Spellings of a subscription event's topic that all land in the hub's namespace. */
  private static List<String> spellings() {
    String origin = "http://127.0.0.1:" + hub.port();
    String rest = "subscriptions/exact/x/urn%3Auuid%3Afake";
    return List.of(
        "mercure/" + rest,
        "./mercure/" + rest,
        "mercure",
        "/.well-known/mercure/" + rest,
        "/.well-known/mercure",
        "/.well-known/mercure?x=1",
        "/.well-known/%6Dercure/" + rest,
        "/.well-known/%6dercure/" + rest,
        "/%2Ewell-known/mercure/" + rest,
        "/.well%2Dknown/%6D%65%72%63%75%72%65/" + rest,
        "/.well-known/./mercure/" + rest,
        "/.well-known/x/../mercure/" + rest,
        "/a/b/../../.well-known/mercure/" + rest,
        "/.well-known/x/%2e%2E/mercure/" + rest,
        "\\.well-known\\mercure\\subscriptions\\exact\\x\\y",
        "/.well-known\\mercure/" + rest,
        "/.well-known/mer\tcure/" + rest,
        "/.well-\nknown/mercure/" + rest,
        " /.well-known/mercure/" + rest,
        origin + "/.well-known/mercure/" + rest,
        "HTTP://127.0.0.1:" + hub.port() + "/.well-known/mercure/" + rest,
        "//127.0.0.1:" + hub.port() + "/.well-known/mercure/" + rest,
        "https://evil.example/.well-known/mercure/" + rest,
        "foo://host/.well-known/mercure/" + rest);
  }

  /**
   * Verifies that no spelling of the namespace, and no {@code type=mercure}, is accepted from a classic token or an
   * access token, and that observers of subscription events receive the next real one with nothing forged before it.
   */
  @Test
  void forgeriesAreRefusedAndNeverDelivered() {
    String observerToken = Tokens.subscriber("*");
    Map<String, String> auth = Map.of("Authorization", "Bearer " + observerToken);
    try (SseClient draft08 = SseClient.open(hub.hub("?match_urlpattern=" + enc("/.well-known/mercure/subscriptions/*")), auth);
         SseClient classic = SseClient.open(hub.hub("?topic=" + enc("/.well-known/mercure/subscriptions{/topic}{/subscriber}")), auth);
         SseClient everything = SseClient.open(hub.hub("?topic=*"), auth)) {
      for (SseClient observer : List.of(draft08, classic, everything)) {
        assertEquals(200, observer.status(), observer.errorBody());
      }
      List<String> accepted = new ArrayList<>();
      for (String token : List.of(Tokens.publisher("*"), accessToken())) {
        for (String topic : spellings()) {
          for (String type : new String[] {"mercure", ""}) {
            HttpResponse<String> r = Http.post(hub.hub(""), token,
                Http.form("topic", topic, "type", type, "private", "on", "data", FORGED));
            if (r.statusCode() != 400) {
              accepted.add(r.statusCode() + " " + topic + " type=" + type);
            }
          }
        }
        HttpResponse<String> typeOnly = Http.post(hub.hub(""), token,
            Http.form("topic", "https://example.com/books/1", "type", "mercure", "data", FORGED));
        assertEquals(400, typeOnly.statusCode(), "type=mercure on an ordinary topic: " + typeOnly.body());
      }
      assertEquals(List.of(), accepted, "forgeries the hub accepted");

      String control = "urn:quicksilver:control:" + UUID.randomUUID();
      // a classic and a draft-08 subscription: each observer sees the events of its generation's shape
      try (SseClient subject = SseClient.open(hub.hub("?topic=" + enc(control) + "&match=" + enc(control)))) {
        assertEquals(200, subject.status(), subject.errorBody());
        for (SseClient observer : List.of(draft08, classic, everything)) {
          awaitControlWithoutForgery(observer, control);
        }
      }
    }
  }

  /** Reads events until the subscription event of the control subscription, failing on any forged one before it. */
  private static void awaitControlWithoutForgery(SseClient observer, String control) {
    for (int i = 0; i < 200; i++) {
      SseClient.Event e = observer.next(Duration.ofSeconds(10));
      assertFalse(e.data().contains("forged"), "a forged event was delivered: " + e);
      if (e.data().contains(control)) {
        return;
      }
    }
    throw new AssertionError("the control subscription event did not arrive");
  }
}
