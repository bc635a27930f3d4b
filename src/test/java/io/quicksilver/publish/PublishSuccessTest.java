package io.quicksilver.publish;

import static io.quicksilver.support.Topics.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Http;
import io.quicksilver.support.HubExtension;
import io.quicksilver.support.SseClient;
import io.quicksilver.support.Tokens;
import io.quicksilver.support.Topics;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;



/** Successful publications (classic protocol, "Publication"). */
@Timeout(60)
class PublishSuccessTest extends WatchedHubTest {

  private static final Pattern URN_UUID =
      Pattern.compile("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  @RegisterExtension
  static final HubExtension HUB = HubExtension.standard();

  /** Verifies that a publication is answered 200 text/plain whose body is exactly the generated urn:uuid id, the id of the dispatched event. */
  @Test
  void answersWithGeneratedIdAsPlainText() {
    String topic = Topics.unique("books");
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), Http.form("topic", topic, "data", "hello"));
    assertEquals(200, r.statusCode(), r.body());
    String contentType = r.headers().firstValue("Content-Type").orElse("");
    assertTrue(contentType.startsWith("text/plain"), contentType);
    String id = r.body();
    assertTrue(URN_UUID.matcher(id).matches(), "a urn:uuid id with nothing around it: [" + id + "]");
    SseClient.Event e = watcher.next();
    assertEquals(id, e.lastEventId());
    assertEquals("hello", e.data());
    watcher.assertNothingDispatched();
  }

  /** Verifies that every generated id is distinct. */
  @Test
  void generatedIdsAreDistinct() {
    String a = Http.publish(hub, Tokens.publisher("*"), "topic", Topics.unique("books"));
    String b = Http.publish(hub, Tokens.publisher("*"), "topic", Topics.unique("books"));
    assertTrue(!a.equals(b), a);
    assertEquals(a, watcher.next().lastEventId());
    assertEquals(b, watcher.next().lastEventId());
  }

  /** Verifies that an id given by the publisher is echoed as the body and used as the event's id. */
  @Test
  void echoesGivenId() {
    String given = "https://example.com/revisions/" + UUID.randomUUID();
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), Http.form("topic", Topics.unique("books"), "id", given, "data", "x"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(given, r.body());
    assertEquals(given, watcher.next().lastEventId());
  }

  /** Verifies that unknown form fields are ignored and the update is published with the known ones. */
  @Test
  void ignoresUnknownFields() {
    String body = "foo=bar&" + Http.form("topic", Topics.unique("books"), "data", "known") + "&unknown=&flag&x%20y=z";
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), body);
    assertEquals(200, r.statusCode(), r.body());
    SseClient.Event e = watcher.next();
    assertEquals(r.body(), e.lastEventId());
    assertEquals("known", e.data());
  }

  /** Verifies that type and retry become the event's type and retry, and data keeps its line breaks. */
  @Test
  void typeRetryAndMultilineDataAreDispatched() {
    String id = Http.publish(hub, Tokens.publisher("*"), "topic", Topics.unique("books"), "type", "book-updated", "retry", "1500",
        "data", "line 1\nline 2");
    SseClient.Event e = watcher.next();
    assertEquals(id, e.lastEventId());
    assertEquals("book-updated", e.type());
    assertEquals(1500L, e.retry());
    assertEquals("line 1\nline 2", e.data());
  }

  /** Verifies that a private field with an empty value (or no value at all) makes the update private. */
  @Test
  void emptyPrivateValueMakesUpdatePrivate() {
    String topic = Topics.unique("books");
    try (SseClient anonymous = SseClient.open(hub.hub("?topic=" + enc(topic)));
         SseClient authorized = SseClient.open(hub.hub("?topic=" + enc(topic)),
             Map.of("Authorization", "Bearer " + Tokens.subscriber(topic)))) {
      assertEquals(200, anonymous.status());
      assertEquals(200, authorized.status());
      HttpResponse<String> withEmpty = Http.post(hub.hub(""), Tokens.publisher("*"), "topic=" + enc(topic) + "&data=p1&private=");
      assertEquals(200, withEmpty.statusCode(), withEmpty.body());
      HttpResponse<String> bare = Http.post(hub.hub(""), Tokens.publisher("*"), "topic=" + enc(topic) + "&data=p2&private");
      assertEquals(200, bare.statusCode(), bare.body());
      String publicId = Http.publish(hub, Tokens.publisher("*"), "topic", topic, "data", "public");

      assertEquals("p1", authorized.next().data());
      assertEquals("p2", authorized.next().data());
      assertEquals("public", authorized.next().data());
      SseClient.Event first = anonymous.next();
      assertEquals("public", first.data(), "the anonymous subscriber got a private update");
      assertEquals(publicId, first.lastEventId());
      assertEquals(3, watcher.next(3).size());
    }
  }

  /** Verifies that an update with topics A and B reaches a subscriber of B, and one of both A and B, exactly once. */
  @Test
  void alternateTopicReachesSubscriberOnce() {
    String a = Topics.unique("books");
    String b = "https://example.com/alternates/" + UUID.randomUUID();
    try (SseClient subB = SseClient.open(hub.hub("?topic=" + enc(b)));
         SseClient subBoth = SseClient.open(hub.hub("?topic=" + enc(a) + "&topic=" + enc(b)))) {
      assertEquals(200, subB.status());
      assertEquals(200, subBoth.status());
      String id = Http.publish(hub, Tokens.publisher("*"), "topic", a, "topic", b, "data", "both");
      String control = Http.publish(hub, Tokens.publisher("*"), "topic", b, "data", "control");
      for (SseClient s : List.of(subB, subBoth)) {
        SseClient.Event e = s.next();
        assertEquals(id, e.lastEventId());
        assertEquals("both", e.data());
        SseClient.Event next = s.next();
        assertEquals(control, next.lastEventId(), "the update with two matching topics was dispatched twice");
      }
      assertEquals(2, watcher.next(2).size());
    }
  }

  /** Verifies that a private update reaches a subscriber authorized only for its alternate topic, and not one authorized for neither. */
  @Test
  void privateUpdateAuthorizedThroughAlternateTopic() {
    String book = "https://example.com/books/" + UUID.randomUUID();
    String alternate = "https://example.com/users/foo/?topic=" + enc(book);
    String selector = "https://example.com/books/{id}";
    try (SseClient allowed = SseClient.open(hub.hub("?topic=" + enc(selector)),
             Map.of("Authorization", "Bearer " + Tokens.subscriber("https://example.com/users/foo/{?topic}")));
         SseClient denied = SseClient.open(hub.hub("?topic=" + enc(selector)),
             Map.of("Authorization", "Bearer " + Tokens.subscriber("https://example.com/users/bar/{?topic}")))) {
      assertEquals(200, allowed.status());
      assertEquals(200, denied.status());
      String id = Http.publish(hub, Tokens.publisher("*"), "topic", book, "topic", alternate, "private", "on", "data", "secret");
      String control = Http.publish(hub, Tokens.publisher("*"), "topic", book, "data", "public");
      assertEquals(id, allowed.next().lastEventId());
      assertEquals(control, allowed.next().lastEventId());
      assertEquals(control, denied.next().lastEventId(), "a private update reached a subscriber not authorized for any of its topics");
      assertEquals(2, watcher.next(2).size());
    }
  }

  /** Verifies that an update naming the same topic twice is dispatched once to its subscriber. */
  @Test
  void repeatedTopicIsDispatchedOnce() {
    String topic = Topics.unique("books");
    try (SseClient sub = SseClient.open(hub.hub("?topic=" + enc(topic)))) {
      assertEquals(200, sub.status());
      String id = Http.publish(hub, Tokens.publisher("*"), "topic", topic, "topic", topic, "data", "twice");
      String control = Http.publish(hub, Tokens.publisher("*"), "topic", topic, "data", "control");
      assertEquals(id, sub.next().lastEventId());
      assertEquals(control, sub.next().lastEventId());
      assertEquals(2, watcher.next(2).size());
    }
  }

  /** Verifies that an update may carry as many topics as the limit (1000) and is dispatched once. */
  @Test
  void acceptsExactlyMaxTopics() {
    List<String> pairs = new ArrayList<>();
    String prefix = "urn:quicksilver:many:" + UUID.randomUUID() + ":";
    for (int i = 0; i < 1000; i++) {
      pairs.add("topic");
      pairs.add(prefix + i);
    }
    HttpResponse<String> r = Http.post(hub.hub(""), Tokens.publisher("*"), Http.form(pairs.toArray(String[]::new)));
    assertEquals(200, r.statusCode(), r.body());
    SseClient.Event e = watcher.next();
    assertNotNull(e);
    assertEquals(r.body(), e.lastEventId());
    watcher.assertNothingDispatched();
  }
}
