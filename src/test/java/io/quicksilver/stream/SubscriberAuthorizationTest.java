package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.stream.Fixtures.publish;
import static io.quicksilver.stream.Fixtures.publishPrivate;
import static io.quicksilver.support.Topics.enc;
import static io.quicksilver.support.Topics.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import io.quicksilver.support.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;




/**
 * Subscriber credentials ("Authorization"): anonymous access off, token presentation precedence
 * (header, then {@code authorization} query parameter, then the {@code mercureAuthorization} cookie), expiry.
 *
 * <p>Which credential the hub used is observed through what it lets through: each credential grants a
 * different private topic.
 */
@Timeout(60)
class SubscriberAuthorizationTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_ANONYMOUS", "false"));

  private record Topics(String a, String b, String c) {
    static Topics fresh() {
      String base = "https://example.com/" + UUID.randomUUID() + "/";
      return new Topics(base + "a", base + "b", base + "c");
    }

    String query() {
      return topics(a, b, c);
    }
  }

  private static SseClient open(String query, String header, String queryToken, String cookie) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (header != null) {
      headers.put("Authorization", "Bearer " + header);
    }
    if (cookie != null) {
      headers.put("Cookie", "mercureAuthorization=" + cookie);
    }
    String q = queryToken == null ? query : query + "&authorization=" + enc(queryToken);
    return SseClient.open(hub.hub(q), headers);
  }

  /** Asserts that of private updates on a, b and c (in that order) the stream receives exactly the one on {@code granted}. */
  private static void receivesOnlyPrivate(SseClient sub, Topics t, String granted) {
    awaitOpen(sub);
    String ida = publishPrivate(hub, "a", t.a());
    String idb = publishPrivate(hub, "b", t.b());
    String idc = publishPrivate(hub, "c", t.c());
    String expected = granted.equals(t.a()) ? ida : granted.equals(t.b()) ? idb : idc;
    expectId(sub, expected);
    String control = publish(hub, t.c(), "public control");
    expectId(sub, control);
  }

  /** Verifies that with anonymous access off a subscription without any credential is refused with 401. */
  @Test
  void noTokenIs401() {
    try (SseClient sub = SseClient.open(hub.hub(topics("https://example.com/x")))) {
      assertEquals(401, sub.status());
    }
  }

  /** Verifies that with anonymous access off a valid token without subscribe rights is enough to receive public updates. */
  @Test
  void validTokenReceivesPublic() {
    Topics t = Topics.fresh();
    try (SseClient sub = open(t.query(), Tokens.subscriberUntil(null), null, null)) {
      awaitOpen(sub);
      publishPrivate(hub, "secret", t.a());
      String id = publish(hub, t.a(), "public");
      expectId(sub, id);
    }
  }

  /** Verifies that forged, malformed, non-Bearer and empty credentials are refused with 401. */
  @Test
  void invalidTokensAre401() {
    Topics t = Topics.fresh();
    try (SseClient forged = open(t.query(), Tokens.forgedSubscriber("*"), null, null);
         SseClient malformed = open(t.query(), "not.a.jwt", null, null);
         SseClient basic = SseClient.open(hub.hub(t.query()), Map.of("Authorization", "Basic dXNlcjpwYXNz"));
         SseClient emptyQuery = SseClient.open(hub.hub(t.query() + "&authorization="));
         SseClient forgedCookie = open(t.query(), null, null, Tokens.forgedSubscriber("*"))) {
      assertEquals(401, forged.status());
      assertEquals(401, malformed.status());
      assertEquals(401, basic.status());
      assertEquals(401, emptyQuery.status());
      assertEquals(401, forgedCookie.status());
    }
  }

  /** Verifies that an expired token is refused with 401 in every presentation. */
  @Test
  void expiredTokenIs401() {
    Topics t = Topics.fresh();
    String expired = Tokens.subscriberUntil(System.currentTimeMillis() / 1000.0 - 60, "*");
    try (SseClient header = open(t.query(), expired, null, null);
         SseClient query = open(t.query(), null, expired, null);
         SseClient cookie = open(t.query(), null, null, expired)) {
      assertEquals(401, header.status());
      assertEquals(401, query.status());
      assertEquals(401, cookie.status());
    }
  }

  /** Verifies that the Authorization header is used when query parameter and cookie are also present. */
  @Test
  void headerWinsOverQueryAndCookie() {
    Topics t = Topics.fresh();
    try (SseClient sub = open(t.query(), Tokens.subscriberUntil(null, t.a()), Tokens.subscriberUntil(null, t.b()), Tokens.subscriberUntil(null, t.c()))) {
      receivesOnlyPrivate(sub, t, t.a());
    }
  }

  /** Verifies that the authorization query parameter is used over the cookie when there is no header. */
  @Test
  void queryWinsOverCookie() {
    Topics t = Topics.fresh();
    try (SseClient sub = open(t.query(), null, Tokens.subscriberUntil(null, t.b()), Tokens.subscriberUntil(null, t.c()))) {
      receivesOnlyPrivate(sub, t, t.b());
    }
  }

  /** Verifies that the mercureAuthorization cookie alone authorizes a subscriber. */
  @Test
  void cookieAlone() {
    Topics t = Topics.fresh();
    try (SseClient sub = open(t.query(), null, null, Tokens.subscriberUntil(null, t.c()))) {
      receivesOnlyPrivate(sub, t, t.c());
    }
  }

  /** Verifies that lower-priority invalid credentials are ignored when a valid higher-priority one is present. */
  @Test
  void invalidLowerPriorityCredentialsIgnored() {
    Topics t = Topics.fresh();
    try (SseClient sub = open(t.query(), Tokens.subscriberUntil(null, t.a()), "garbage", Tokens.forgedSubscriber("*"))) {
      receivesOnlyPrivate(sub, t, t.a());
    }
    try (SseClient sub = open(t.query(), null, Tokens.subscriberUntil(null, t.b()), "garbage")) {
      receivesOnlyPrivate(sub, t, t.b());
    }
  }

  /** Verifies that an invalid higher-priority credential is refused with 401 even when a lower-priority one is valid. */
  @Test
  void invalidHigherPriorityCredentialIs401() {
    Topics t = Topics.fresh();
    String valid = Tokens.subscriberUntil(null, "*");
    String expired = Tokens.subscriberUntil(System.currentTimeMillis() / 1000.0 - 60, "*");
    try (SseClient headerOverQuery = open(t.query(), Tokens.forgedSubscriber("*"), valid, null);
         SseClient headerOverCookie = open(t.query(), "garbage", null, valid);
         SseClient queryOverCookie = open(t.query(), null, expired, valid)) {
      assertEquals(401, headerOverQuery.status());
      assertEquals(401, headerOverCookie.status());
      assertEquals(401, queryOverCookie.status());
    }
  }
}
