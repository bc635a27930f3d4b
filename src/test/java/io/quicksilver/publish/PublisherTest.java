package io.quicksilver.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.bus.Codecs;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.NotStoredException;
import io.quicksilver.history.OutcomeUnknownException;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.mercure.Update;
import io.quicksilver.metrics.HubMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The node's publish path called directly: the store's verdict is the answer (stored: the id; not stored or unknown:
 * the store's own failure), and a quiesce refuses new publishes and completes once the appends in flight have theirs.
 */
class PublisherTest {

  private static final Vertx VERTX = Vertx.vertx();

  static {
    Codecs.register(VERTX);
  }

  @AfterAll
  static void close() {
    VERTX.close();
  }

  /** A store whose appends wait until the test gives them an outcome. */
  private final List<Promise<EventStore.Appended>> appends = new ArrayList<>();
  private final List<Update> appended = new ArrayList<>();
  private final EventStore store = (EventStore) Proxy.newProxyInstance(EventStore.class.getClassLoader(),
      new Class<?>[] {EventStore.class}, (proxy, method, args) -> {
        if (!method.getName().equals("add")) {
          throw new UnsupportedOperationException(method.getName());
        }
        appended.add((Update) args[0]);
        Promise<EventStore.Appended> p = Promise.promise();
        appends.add(p);
        return p.future();
      });
  private final Publisher publisher = new Publisher(VERTX, store, new HubMetrics());

  private static PublishRequest request(String id) {
    return new PublishRequest(List.of("https://example.com/a"), id, "data", false, null, null);
  }

  private void store(int i, long sequence) {
    appends.get(i).complete(new EventStore.Appended("epoch", appended.get(i).withSequence(sequence)));
  }

  /** Verifies that a stored update answers its id (the publisher's, or a generated urn:uuid). */
  @Test
  void storedAnswersTheId() {
    Future<String> given = publisher.publish(request("urn:x:1"));
    Future<String> generated = publisher.publish(request(null));
    store(0, 1);
    store(1, 2);
    assertEquals("urn:x:1", given.result());
    assertTrue(generated.result().startsWith("urn:uuid:"), generated.result());
    assertEquals(generated.result(), appended.get(1).id());
  }

  /** Verifies that the store's two final failures are the answer, as they are. */
  @Test
  void refusalsAreTheStoresVerdict() {
    Future<String> refused = publisher.publish(request("a"));
    Future<String> unknown = publisher.publish(request("b"));
    Future<String> broken = publisher.publish(request("c"));
    appends.get(0).fail(new NotStoredException("no"));
    appends.get(1).fail(new OutcomeUnknownException("maybe"));
    appends.get(2).fail(new IllegalStateException("other"));
    assertInstanceOf(NotStoredException.class, refused.cause());
    assertInstanceOf(OutcomeUnknownException.class, unknown.cause());
    assertInstanceOf(NotStoredException.class, broken.cause(), "any other failure is a store that did not take it");
  }

  /** Verifies that a quiesce refuses new publishes at once and completes only once the appends in flight have their outcome. */
  @Test
  void quiesceWaitsForAppendsInFlight() {
    Future<String> inFlight = publisher.publish(request("a"));
    Future<Void> quiet = publisher.quiesce();
    assertFalse(quiet.isComplete(), "an append is in flight");
    Future<String> late = publisher.publish(request("b"));
    assertInstanceOf(NotStoredException.class, late.cause());
    assertEquals(1, appends.size(), "the late publish never reached the store");
    store(0, 1);
    assertEquals("a", inFlight.result());
    assertTrue(quiet.succeeded());
    assertTrue(new Publisher(VERTX, store, new HubMetrics()).quiesce().succeeded(), "nothing in flight: quiet at once");
  }
}
