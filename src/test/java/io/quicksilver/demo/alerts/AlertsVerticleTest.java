package io.quicksilver.demo.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.api.HubApi;
import io.quicksilver.auth.KeyRing;
import io.quicksilver.bus.Codecs;
import io.quicksilver.config.ConfigLoader;
import io.quicksilver.config.HubConfig;
import io.quicksilver.demo.prices.PriceTicks;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.InMemoryEventStore;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.mercure.Update;
import io.quicksilver.metrics.HubMetrics;
import io.quicksilver.publish.PublisherVerticle;
import io.quicksilver.server.NodeApi;
import io.quicksilver.support.Await;
import io.quicksilver.support.TestHub;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/** The alerts watcher reads prices like a stream does: in order, with gaps of the event bus filled from the history. */
@Timeout(60)
class AlertsVerticleTest {

  private static final HubConfig.Demo DEMO = new HubConfig.Demo(true, "http://localhost:8080", List.of("AAPL"),
      Duration.ofSeconds(1), 0.4, 42, List.of(), "", Duration.ofMinutes(5));

  private Vertx vertx;
  private EventStore store;
  private HubApi hub;
  private AlertStore alerts;

  @BeforeEach
  void deploy() throws Exception {
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    store = new InMemoryEventStore(1000);
    alerts = AlertStore.inMemory();
    HubConfig config = ConfigLoader.load(TestHub.baseEnv(Map.of()), null);
    KeyRing keys = await(KeyRing.start(vertx, List.of(config.auth().subscriber()), config.auth().verification()));
    hub = new NodeApi(vertx, config, store, keys, null);
    await(vertx.deployVerticle(new PublisherVerticle(store, new HubMetrics())));
    await(vertx.deployVerticle(new AlertsVerticle(hub, DEMO, alerts)));
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static PublishRequest tick(double price) {
    String data = new JsonObject().put("symbol", "AAPL").put("price", price).put("timestamp", 1).encode();
    return new PublishRequest(List.of(PriceTicks.topic(DEMO, "AAPL")), null, data, false, PriceTicks.EVENT_TYPE, null);
  }

  private List<String> firedAlerts() {
    try {
      return await(store.latest(100)).stream().filter(u -> AlertsVerticle.EVENT_TYPE.equals(u.type()))
          .map(u -> new JsonObject(u.data()).getString("alertId")).toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Verifies that a price tick the event bus never delivered to the watcher still fires the alert it crosses:
   * the next tick reveals the gap, which is filled from the history in order.
   */
  @Test
  void tickLostOnTheBusStillFires() throws Exception {
    await(alerts.add(new Alert("low", "alice", "AAPL", false, 95)));
    await(alerts.add(new Alert("high", "alice", "AAPL", true, 100)));
    // the watcher is counting once its first alert fired (bounded retries while its feed starts)
    Await.until(() -> {
      hub.publish(tick(90));
      return firedAlerts();
    }, fired -> fired.contains("low"), Duration.ofSeconds(10), fired -> "the watcher never saw a tick: " + fired);

    Update lost = await(store.append(tick(120).toUpdate("urn:test:lost-tick"))); // stored, never on the bus
    assertTrue(lost.sequence() > 0);
    await(hub.publish(tick(96)));
    Await.until(this::firedAlerts, fired -> fired.contains("high"), Duration.ofSeconds(10),
        fired -> "the tick at 120 crossed the threshold but fired nothing: " + fired);
    assertEquals(List.of(), await(alerts.all()), "each alert fired once");
  }
}
