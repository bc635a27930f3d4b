package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.bearer;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.stream.Fixtures.publish;
import static io.quicksilver.stream.Fixtures.publishPrivate;
import static io.quicksilver.support.Topics.enc;
import static io.quicksilver.support.Topics.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.quicksilver.support.Topics;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;




/** Private updates ("Authorization/Subscribers") on a hub that also lets anonymous subscribers in. */
@Timeout(60)
class PrivateUpdateTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_ANONYMOUS", "true"));

  /** Verifies that an anonymous subscriber never receives a private update of its topic but receives the public one after it. */
  @Test
  void anonymousDoesNotReceivePrivate() {
    String topic = Topics.base() + "books/1";
    try (SseClient sub = SseClient.open(hub.hub(topics(topic)))) {
      awaitOpen(sub);
      publishPrivate(hub, "secret", topic);
      String control = publish(hub, topic, "public");
      assertEquals("public", expectId(sub, control).data());
    }
  }

  /** Verifies that a token whose mercure.subscribe matches no topic of the update does not receive it. */
  @Test
  void nonMatchingTokenDoesNotReceivePrivate() {
    String b = Topics.base();
    String topic = b + "books/1";
    String token = Tokens.subscriberUntil(null, b + "books/2", b + "authors/{id}", b + "books/1/reviews");
    try (SseClient sub = SseClient.open(hub.hub(topics(b + "books/{id}")), bearer(token))) {
      awaitOpen(sub);
      publishPrivate(hub, "secret", topic, b + "alt/1");
      String control = publish(hub, topic, "public");
      expectId(sub, control);
    }
  }

  /** Verifies that a token with no mercure claim at all receives public updates only. */
  @Test
  void tokenWithoutMercureClaimReceivesPublicOnly() {
    String topic = Topics.base() + "books/1";
    String token = Tokens.hs256(TestHub.SUBSCRIBER_KEY, new JsonObject().put("sub", "x"));
    try (SseClient sub = SseClient.open(hub.hub(topics(topic)), bearer(token))) {
      awaitOpen(sub);
      publishPrivate(hub, "secret", topic);
      String control = publish(hub, topic, "public");
      expectId(sub, control);
    }
  }

  /** Verifies that a private update is delivered when an exact mercure.subscribe selector names its canonical topic. */
  @Test
  void exactSubscribeSelectorOnCanonical() {
    String topic = Topics.base() + "books/1";
    try (SseClient sub = SseClient.open(hub.hub(topics(topic)), bearer(Tokens.subscriberUntil(null, topic)))) {
      awaitOpen(sub);
      String id = publishPrivate(hub, "secret", topic);
      assertEquals("secret", expectId(sub, id).data());
    }
  }

  /** Verifies that a private update is delivered when a URI-template mercure.subscribe selector matches its canonical topic. */
  @Test
  void templateSubscribeSelector() {
    String b = Topics.base();
    try (SseClient sub = SseClient.open(hub.hub(topics(b + "books/{id}")), bearer(Tokens.subscriberUntil(null, b + "books/{id}")))) {
      awaitOpen(sub);
      String id = publishPrivate(hub, "secret", b + "books/9");
      expectId(sub, id);
    }
  }

  /** Verifies that a private update is delivered to a token whose mercure.subscribe is *. */
  @Test
  void anySubscribeSelector() {
    String topic = Topics.base() + "books/1";
    try (SseClient sub = SseClient.open(hub.hub(topics(topic)), bearer(Tokens.subscriberUntil(null, "*")))) {
      awaitOpen(sub);
      String id = publishPrivate(hub, "secret", topic);
      expectId(sub, id);
    }
  }

  /** Verifies that, as in the spec's example, selector books/{id} with claim users/foo/{?topic} receives a private update through its alternate topic only. */
  @Test
  void alternateTopicAuthorizesSpecExample() {
    String b = Topics.base();
    String book1 = b + "books/1";
    String book2 = b + "books/2";
    String claim = b + "users/foo/{?topic}";
    String alt1 = b + "users/foo/?topic=" + enc(book1);
    String altOther = b + "users/bar/?topic=" + enc(book2);
    try (SseClient sub = SseClient.open(hub.hub(topics(b + "books/{id}")), bearer(Tokens.subscriberUntil(null, claim)))) {
      awaitOpen(sub);
      publishPrivate(hub, "no alternate", book2);
      publishPrivate(hub, "another user's alternate", book2, altOther);
      String granted = publishPrivate(hub, "for foo", book1, alt1);
      String control = publish(hub, book2, "public");
      assertEquals("for foo", expectId(sub, granted).data());
      expectId(sub, control);
    }
  }

  /** Verifies that selection by an alternate topic and authorization by the canonical one also deliver a private update. */
  @Test
  void selectedByAlternateAuthorizedByCanonical() {
    String b = Topics.base();
    String canonical = b + "books/1";
    String alternate = b + "feeds/1";
    try (SseClient sub = SseClient.open(hub.hub(topics(alternate)), bearer(Tokens.subscriberUntil(null, canonical)))) {
      awaitOpen(sub);
      String id = publishPrivate(hub, "x", canonical, alternate);
      expectId(sub, id);
    }
  }

  /** Verifies that an invalid token is refused with 401 even though anonymous subscribers are allowed. */
  @Test
  void invalidTokenIs401EvenWithAnonymous() {
    String topic = Topics.base() + "x";
    try (SseClient forged = SseClient.open(hub.hub(topics(topic)), bearer(Tokens.forgedSubscriber("*")));
         SseClient garbage = SseClient.open(hub.hub(topics(topic) + "&authorization=not-a-jwt"));
         SseClient cookie = SseClient.open(hub.hub(topics(topic)), Map.of("Cookie", "mercureAuthorization=a.b.c"))) {
      assertEquals(401, forged.status());
      assertEquals(401, garbage.status());
      assertEquals(401, cookie.status());
    }
  }
}
