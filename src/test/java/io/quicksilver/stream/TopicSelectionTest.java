package io.quicksilver.stream;

import static io.quicksilver.stream.Fixtures.PUBLISHER;
import static io.quicksilver.stream.Fixtures.awaitOpen;
import static io.quicksilver.stream.Fixtures.expectId;
import static io.quicksilver.stream.Fixtures.publish;
import static io.quicksilver.support.Topics.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Topics;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;




/** Topic selectors ("Topic Selectors", "Subscription"): which updates a subscription receives. */
@Timeout(60)
class TopicSelectionTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.standard();

  /** A unique https://example.com/<run>/ base so that tests do not see one another's updates. */
  /** Verifies that an exact selector receives its topic only, not other topics nor prefixes of it. */
  @Test
  void exactSelector() {
    String b = Topics.base();
    try (SseClient sub = SseClient.open(hub.hub(topics(b + "books/1")))) {
      awaitOpen(sub);
      publish(hub, b + "books/2", "other");
      publish(hub, b + "books/1/reviews", "longer");
      publish(hub, b + "books/", "shorter");
      String hit = publish(hub, b + "books/1", "hit");
      expectId(sub, hit);
    }
  }

  /** Verifies that the selector * receives updates of any topic. */
  @Test
  void anySelector() {
    String b = Topics.base();
    try (SseClient sub = SseClient.open(hub.hub(topics("*")))) {
      awaitOpen(sub);
      String a = publish(hub, b + "a", "1");
      String c = publish(hub, "urn:example:" + UUID.randomUUID(), "2");
      // other tests' updates cannot interleave: tests of a class run one at a time
      expectId(sub, a);
      expectId(sub, c);
    }
  }

  /** Verifies that a simple URI template {id} matches single-segment expansions and not other paths. */
  @Test
  void simpleTemplate() {
    String b = Topics.base();
    try (SseClient sub = SseClient.open(hub.hub(topics(b + "books/{id}")))) {
      awaitOpen(sub);
      publish(hub, b + "authors/1", "no");
      publish(hub, b + "books/1/reviews", "no: {id} holds no slash");
      String one = publish(hub, b + "books/1", "yes");
      String enc = publish(hub, b + "books/caf%C3%A9-2", "yes, percent-encoded");
      publish(hub, b + "books/1?x", "no");
      String self = publish(hub, b + "books/{id}", "yes: identical string");
      expectId(sub, one);
      expectId(sub, enc);
      expectId(sub, self);
    }
  }

  /** Verifies that a reserved expansion {+path} matches values holding slashes. */
  @Test
  void reservedExpansionTemplate() {
    String b = Topics.base();
    try (SseClient sub = SseClient.open(hub.hub(topics(b + "files{+path}")))) {
      awaitOpen(sub);
      publish(hub, b + "other/a", "no");
      String deep = publish(hub, b + "files/a/b/c.txt", "yes");
      String bare = publish(hub, b + "files", "yes, empty value");
      expectId(sub, deep);
      expectId(sub, bare);
    }
  }

  /** Verifies that a form-style query expansion {?q} matches the URL with and without the query. */
  @Test
  void queryExpansionTemplate() {
    String b = Topics.base();
    try (SseClient sub = SseClient.open(hub.hub(topics(b + "search{?q}")))) {
      awaitOpen(sub);
      publish(hub, b + "search/sub", "no");
      String withQ = publish(hub, b + "search?q=java", "yes");
      String without = publish(hub, b + "search", "yes");
      expectId(sub, withQ);
      expectId(sub, without);
    }
  }

  /** Verifies that an invalid URI template is compared as a plain string. */
  @Test
  void invalidTemplateIsPlainString() {
    String b = Topics.base();
    String invalid = b + "books/{id";
    try (SseClient sub = SseClient.open(hub.hub(topics(invalid)))) {
      awaitOpen(sub);
      publish(hub, b + "books/1", "no: not a template");
      String same = publish(hub, invalid, "yes: identical string");
      expectId(sub, same);
    }
  }

  /** Verifies that an update matched by several selectors of one subscription (and by several of its topics) is delivered once. */
  @Test
  void severalMatchingSelectorsDeliverOnce() {
    String b = Topics.base();
    String topic = b + "books/1";
    String alternate = b + "alt/1";
    try (SseClient sub = SseClient.open(hub.hub(topics(topic, b + "books/{id}", "*", alternate, topic)))) {
      awaitOpen(sub);
      String once = Http.publish(hub, PUBLISHER, "topic", topic, "topic", alternate, "data", "once");
      String control = publish(hub, b + "control", "control");
      expectId(sub, once);
      expectId(sub, control);
    }
  }

  /** Verifies that several topic parameters each select their updates. */
  @Test
  void severalTopicParameters() {
    String b = Topics.base();
    try (SseClient sub = SseClient.open(hub.hub(topics(b + "a", b + "b", b + "c/{x}")))) {
      awaitOpen(sub);
      String a = publish(hub, b + "a", "a");
      publish(hub, b + "d", "d");
      String bb = publish(hub, b + "b", "b");
      String c = publish(hub, b + "c/1", "c");
      expectId(sub, a);
      expectId(sub, bb);
      expectId(sub, c);
    }
  }

  /** Verifies that an update is selected through an alternate topic when the canonical one does not match. */
  @Test
  void alternateTopicSelects() {
    String b = Topics.base();
    try (SseClient sub = SseClient.open(hub.hub(topics(b + "alt/{id}")))) {
      awaitOpen(sub);
      String id = Http.publish(hub, PUBLISHER, "topic", b + "canonical", "topic", b + "alt/7", "data", "x");
      expectId(sub, id);
    }
  }

  /** Verifies that a subscription without a topic parameter is refused with 400. */
  @Test
  void missingTopicIs400() {
    assertEquals(400, Http.get(hub.hub(""), Map.of()).statusCode());
    assertEquals(400, Http.get(hub.hub("?lastEventID=earliest"), Map.of()).statusCode());
  }

  /** Verifies that 1001 topic parameters are refused with 400 while 1000 are accepted and all of them select. */
  @Test
  void topicLimit() {
    String b = Topics.base();
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      q.append(i == 0 ? '?' : '&').append("topic=").append(Topics.enc(b + i));
    }
    HttpResponse<String> tooMany = Http.get(hub.hub(q + "&topic=" + Topics.enc(b + "1000")), Map.of());
    assertEquals(400, tooMany.statusCode(), tooMany.body());

    try (SseClient sub = SseClient.open(hub.hub(q.toString()))) {
      awaitOpen(sub);
      String first = publish(hub, b + "0", "first");
      String last = publish(hub, b + "999", "last");
      publish(hub, b + "1000", "not selected");
      String control = publish(hub, b + "500", "control");
      expectId(sub, first);
      expectId(sub, last);
      expectId(sub, control);
      assertTrue(sub.drain().isEmpty());
    }
  }
}
