package io.quicksilver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the harness against the real hub and checks correctness only (counts, never timings: the machine
 * running the tests may be busy). A stuck wait fails the run with its own message well before the
 * {@code @Timeout}, which only backs that up.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HubScenariosTest {

  private static HubProcess hub;

  @BeforeAll
  static void startHub() throws Exception {
    hub = new HubProcess();
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  private static JsonObject subscribers(JsonObject result) {
    return result.getJsonObject("results").getJsonObject("subscribers");
  }

  @Test
  void broadcastToHundredSubscribersLosesAndDuplicatesNothing() {
    JsonObject r = Main.run(hub.options("broadcast")
        .set("subscribers", 100).set("rate", 100).set("duration", 2).set("publishers", 4).set("drain", 60));
    JsonObject res = r.getJsonObject("results");
    assertEquals(200, res.getJsonObject("publishes").getLong("accepted"), r::encodePrettily);
    JsonObject s = subscribers(r);
    assertEquals(100, s.getLong("open"), r::encodePrettily);
    assertEquals(0, s.getLong("connectErrors"), r::encodePrettily);
    assertEquals(0, s.getLong("disconnects"), r::encodePrettily);
    assertEquals(20_000, res.getLong("deliveries"), r::encodePrettily);
    assertEquals(0, res.getLong("lost"), r::encodePrettily);
    assertEquals(0, res.getLong("duplicates"), r::encodePrettily);
    assertEquals(0, s.getLong("unexpected"), r::encodePrettily);
    assertEquals(0, res.getLong("publishesNotReachingAll"), r::encodePrettily);
    assertEquals(200, res.getJsonObject("tLast").getLong("count"), r::encodePrettily);
    assertEquals(20_000, res.getJsonObject("deliveryLatency").getLong("count"), r::encodePrettily);
    assertTrue(r.getJsonObject("verdict").getBoolean("ok"), r::encodePrettily);
    assertTrue(r.getJsonObject("generator").getDouble("hubCpuSeconds") >= 0, r::encodePrettily);
  }

  @Test
  void childProcessesWithSourceAddressesMergeTheirCounts() {
    JsonObject r = Main.run(hub.options("broadcast")
        .set("subscribers", 60).set("rate", 50).set("duration", 1).set("publishers", 2).set("drain", 60)
        .set("procs", 2).set("source-addresses", "127.0.0.2-127.0.0.3"));
    JsonObject res = r.getJsonObject("results");
    assertEquals(60, subscribers(r).getLong("open"), r::encodePrettily);
    assertEquals(50 * 60, res.getLong("deliveries"), r::encodePrettily);
    assertEquals(0, res.getLong("lost"), r::encodePrettily);
    assertEquals(0, res.getLong("duplicates"), r::encodePrettily);
    assertEquals(0, res.getLong("publishesNotReachingAll"), r::encodePrettily);
    assertEquals(2, r.getJsonObject("generator").getInteger("procs"));
  }

  @Test
  void reconnectWithLastEventIdCatchesUpWithoutLoss() {
    JsonObject r = Main.run(hub.options("reconnect")
        .set("subscribers", 50).set("rate", 20).set("duration", 4).set("behind", 10).set("drain", 60));
    JsonObject res = r.getJsonObject("results");
    assertEquals(50, res.getLong("caughtUp"), r::encodePrettily);
    assertEquals(0, res.getLong("reconnectErrors"), r::encodePrettily);
    assertEquals(0, res.getLong("cursorLost"), r::encodePrettily);
    assertEquals(0, res.getLong("lost"), r::encodePrettily);
    assertEquals(0, res.getLong("duplicates"), r::encodePrettily);
    long accepted = res.getJsonObject("publishes").getLong("accepted");
    assertEquals(80 + 10 + 1, accepted, r::encodePrettily); // open loop, the "behind" burst, one warm-up update per topic
    assertEquals(accepted * 50, res.getLong("deliveries"), r::encodePrettily);
  }

  @Test
  void idleAndSparseAndPublishScenariosRun() {
    JsonObject idle = Main.run(hub.options("idle").set("subscribers", 50).set("duration", 1));
    assertEquals(50, idle.getJsonObject("results").getLong("connected"), idle::encodePrettily);
    assertTrue(idle.getJsonObject("results").getLong("hubRssAfterBytes") > 0, idle::encodePrettily);

    JsonObject sparse = Main.run(hub.options("sparse").set("subscribers", 40).set("rooms", 4).set("rate", 50)
        .set("duration", 1).set("drain", 60));
    JsonObject sr = sparse.getJsonObject("results");
    assertEquals(0, sr.getLong("lost"), sparse::encodePrettily);
    assertEquals(0, sr.getLong("duplicates"), sparse::encodePrettily);
    assertEquals(subscribers(sparse).getLong("expectedDeliveries"), sr.getLong("deliveries"), sparse::encodePrettily);
    assertTrue(sr.getLong("deliveries") >= 50, sparse::encodePrettily);

    JsonObject pub = Main.run(hub.options("publish").set("publishers", 2).set("duration", 1).set("rate", 20));
    JsonObject pr = pub.getJsonObject("results");
    assertTrue(pr.getJsonObject("closedLoop").getLong("accepted") > 0, pub::encodePrettily);
    assertEquals(20, pr.getJsonObject("openLoop").getLong("accepted"), pub::encodePrettily);
    assertTrue(pr.getBoolean("ok"), pub::encodePrettily);
  }
}
