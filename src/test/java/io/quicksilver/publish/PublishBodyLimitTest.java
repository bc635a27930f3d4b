package io.quicksilver.publish;

import static io.quicksilver.publish.Watcher.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.Tokens;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/** The configured body limit (QS_MAX_BODY=1KiB). */
@Timeout(60)
class PublishBodyLimitTest extends WatchedHubTest {

  @RegisterExtension
  static final HubExtension HUB = HubExtension.withEnv(Map.of("QS_MAX_BODY", "1KiB"));

  /** Verifies that a body one byte over the configured 1 KiB is refused with 413 and nothing is dispatched. */
  @Test
  void refusesBodyOverConfiguredLimit() {
    String token = Tokens.publisher("*");
    HttpResponse<String> r = Http.post(hub.hub(""), token, PublishValidationTest.bodyOfSize(1025));
    assertRefused(413, r, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that a body far over the configured limit is refused with 413 and nothing is dispatched. */
  @Test
  void refusesBodyFarOverConfiguredLimit() {
    String token = Tokens.publisher("*");
    HttpResponse<String> r = Http.post(hub.hub(""), token, PublishValidationTest.bodyOfSize(64 * 1024));
    assertRefused(413, r, token);
    watcher.assertNothingDispatched();
  }

  /** Verifies that a body of exactly the configured 1 KiB is accepted and dispatched. */
  @Test
  void acceptsBodyAtConfiguredLimit() {
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), PublishValidationTest.bodyOfSize(1024));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }
}
