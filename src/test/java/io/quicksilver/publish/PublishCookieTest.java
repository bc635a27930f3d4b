package io.quicksilver.publish;

import static io.quicksilver.publish.Watcher.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubEndpoint;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/**
 * Publishing with the authorization cookie, which needs an allowed Origin or Referer (CSRF mitigation,
 * classic protocol "Security Considerations"), with QS_PUBLISH_ORIGINS="https://app.example.com".
 */
@Timeout(60)
class PublishCookieTest {

  private static final String ALLOWED = "https://app.example.com";
  private static final String TOPIC = "https://example.com/books/1";

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_PUBLISH_ORIGINS", ALLOWED));
  @RegisterExtension
  static final HubExtension renamed = HubExtension.withEnv(Map.of("QS_PUBLISH_ORIGINS", ALLOWED, "QS_COOKIE_NAME", "hubAuth"));
  private static Watcher watcher;
  private static Watcher renamedWatcher;

  @BeforeAll
  static void watch() {
    watcher = Watcher.open(hub);
    renamedWatcher = Watcher.open(renamed);
  }

  @AfterAll
  static void unwatch() {
    watcher.close();
    renamedWatcher.close();
  }

  @BeforeEach
  void sync() {
    watcher.sync();
    renamedWatcher.sync();
  }

  private static HttpResponse<String> postWithCookie(HubEndpoint target, String cookie, Map<String, String> headers) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Cookie", cookie);
    return Http.post(target.hub(""), null, Http.form("topic", TOPIC, "data", "cookie"), all);
  }

  private static String cookie() {
    return "mercureAuthorization=" + Tokens.publisher("*");
  }

  /** Verifies that the cookie with an allowed Origin publishes. */
  @Test
  void cookieWithAllowedOriginIsAccepted() {
    HttpResponse<String> r = postWithCookie(hub, cookie(), Map.of("Origin", ALLOWED));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that the cookie with an Origin outside the list is refused with 403 and nothing is dispatched. */
  @Test
  void cookieWithOtherOriginIsRefused() {
    HttpResponse<String> r = postWithCookie(hub, cookie(), Map.of("Origin", "https://evil.example.net"));
    assertRefused(403, r, Tokens.publisher("*"));
    watcher.assertNothingDispatched();
  }

  /** Verifies that an allowed Referer does not rescue a disallowed Origin: the Origin decides. */
  @Test
  void originDecidesOverReferer() {
    HttpResponse<String> r = postWithCookie(hub, cookie(),
        Map.of("Origin", "https://evil.example.net", "Referer", ALLOWED + "/page"));
    assertRefused(403, r);
    watcher.assertNothingDispatched();
  }

  /** Verifies that an origin that merely starts like an allowed one is refused with 403 and nothing is dispatched. */
  @Test
  void lookalikeOriginIsRefused() {
    HttpResponse<String> r = postWithCookie(hub, cookie(), Map.of("Origin", ALLOWED + ".evil.net"));
    assertRefused(403, r);
    watcher.assertNothingDispatched();
  }

  /** Verifies that without Origin, a Referer on an allowed origin lets the cookie publish. */
  @Test
  void cookieWithAllowedRefererIsAccepted() {
    HttpResponse<String> r = postWithCookie(hub, cookie(), Map.of("Referer", ALLOWED + "/page"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that a browser-style Referer whose query keeps characters browsers leave unescaped ({, }, |) still names its origin. */
  @Test
  void refererWithUnescapedQueryCharactersIsAccepted() {
    HttpResponse<String> r = postWithCookie(hub, cookie(), Map.of("Referer", ALLOWED + "/search?q={a}|b^c"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that a Referer on the allowed origin with a userinfo pointing elsewhere is judged by its real host (refused, 403). */
  @Test
  void refererUserinfoTrickIsRefused() {
    HttpResponse<String> r = postWithCookie(hub, cookie(), Map.of("Referer", ALLOWED + "@evil.example.net/page"));
    assertRefused(403, r);
    watcher.assertNothingDispatched();
  }

  /** Verifies that without Origin, a Referer on another origin is refused with 403 and nothing is dispatched. */
  @Test
  void cookieWithOtherRefererIsRefused() {
    HttpResponse<String> r = postWithCookie(hub, cookie(), Map.of("Referer", "https://evil.example.net/page"));
    assertRefused(403, r);
    watcher.assertNothingDispatched();
  }

  /** Verifies that the cookie with neither Origin nor Referer is refused with 403 and nothing is dispatched. */
  @Test
  void cookieWithoutOriginOrRefererIsRefused() {
    HttpResponse<String> r = postWithCookie(hub, cookie(), Map.of());
    assertRefused(403, r, Tokens.publisher("*"));
    watcher.assertNothingDispatched();
  }

  /** Verifies that an Authorization header token needs no Origin. */
  @Test
  void headerTokenNeedsNoOrigin() {
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), Http.form("topic", TOPIC));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that a header token wins over the cookie, so a disallowed Origin that only matters for the cookie does not refuse it. */
  @Test
  void headerTokenWinsOverCookieFromOtherOrigin() {
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), Http.form("topic", TOPIC),
        Map.of("Cookie", cookie(), "Origin", "https://evil.example.net"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), watcher.next().lastEventId());
  }

  /** Verifies that an invalid cookie token from an allowed origin is refused with 401 and nothing is dispatched. */
  @Test
  void invalidCookieTokenIsRefused() {
    HttpResponse<String> r = postWithCookie(hub, "mercureAuthorization=" + Tokens.hs256(TestHub.SUBSCRIBER_KEY,
        new io.vertx.core.json.JsonObject()), Map.of("Origin", ALLOWED));
    assertRefused(401, r);
    watcher.assertNothingDispatched();
  }

  /** Verifies that QS_COOKIE_NAME renames the cookie: the new name publishes, the default name is not read (401). */
  @Test
  void cookieNameIsConfigurable() {
    HttpResponse<String> r = postWithCookie(renamed, "hubAuth=" + Tokens.publisher("*"), Map.of("Origin", ALLOWED));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(r.body(), renamedWatcher.next().lastEventId());

    HttpResponse<String> old = postWithCookie(renamed, cookie(), Map.of("Origin", ALLOWED));
    assertRefused(401, old);
    renamedWatcher.assertNothingDispatched();
  }
}
