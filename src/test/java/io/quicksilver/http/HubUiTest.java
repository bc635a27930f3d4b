package io.quicksilver.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hub UI's {@code config.json}: what the page is told this hub speaks. */
@Timeout(60)
class HubUiTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_UI", "true", "QS_PROTOCOL", "classic", "QS_SUBSCRIPTIONS", "true"));

  /** Verifies that config.json names the hub path, the configured protocol versions and whether subscriptions are on, uncached. */
  @Test
  void configJsonSaysWhatTheHubSpeaks() {
    HttpResponse<String> r = Http.send(HttpRequest.newBuilder(hub.uri(HubUi.PATH + "config.json")).timeout(Duration.ofSeconds(15)).build());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(new JsonObject().put("hubUrl", "/.well-known/mercure").put("protocol", "classic").put("subscriptions", true),
        new JsonObject(r.body()));
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
    assertEquals(HubUi.CONTENT_SECURITY_POLICY, r.headers().firstValue("Content-Security-Policy").orElse(""));
  }
}
