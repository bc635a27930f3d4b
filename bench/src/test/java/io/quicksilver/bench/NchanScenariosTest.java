package io.quicksilver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Runs the harness with {@code --protocol nchan} against a real nginx + nchan (skipped when they are not
 * installed: {@code apt-get install -y nginx libnginx-mod-nchan}). Checks correctness only: counts, the
 * resumption with nchan's own event ids, and that the hub's figures cover the master and its workers.
 */
@EnabledIf(value = "io.quicksilver.bench.NchanProcess#installed", disabledReason = "nginx with the nchan module is not installed")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NchanScenariosTest {

  private static NchanProcess nchan;

  @BeforeAll
  static void startNchan() throws Exception {
    nchan = new NchanProcess();
  }

  @AfterAll
  static void stopNchan() {
    if (nchan != null) {
      nchan.close();
    }
  }

  @Test
  void broadcastReachesEverySubscriberOnceAndCountsEveryNginxProcess() {
    JsonObject r = Main.run(nchan.options("broadcast")
        .set("subscribers", 100).set("rate", 100).set("duration", 2).set("publishers", 4).set("drain", 60));
    JsonObject res = r.getJsonObject("results");
    assertEquals(200, res.getJsonObject("publishes").getLong("accepted"), r::encodePrettily);
    assertEquals(100, res.getJsonObject("subscribers").getLong("open"), r::encodePrettily);
    assertEquals(20_000, res.getLong("deliveries"), r::encodePrettily);
    assertEquals(0, res.getLong("lost"), r::encodePrettily);
    assertEquals(0, res.getLong("duplicates"), r::encodePrettily);
    assertEquals(0, res.getJsonObject("subscribers").getLong("foreignEvents"), r::encodePrettily);
    assertEquals(0, res.getLong("publishesNotReachingAll"), r::encodePrettily);
    assertTrue(r.getJsonObject("verdict").getBoolean("ok"), r::encodePrettily);
    assertEquals("nchan", r.getString("protocol"));
    // the master and its workers; their CPU is read (the workers did the fan-out)
    assertEquals(1 + NchanProcess.WORKERS, r.getJsonObject("hub").getInteger("processes"), r::encodePrettily);
    assertTrue(r.getJsonObject("generator").getDouble("hubCpuSeconds") >= 0, r::encodePrettily);
    assertTrue(r.getJsonObject("hub").getDouble("cpuSecondsTotal") > 0, r::encodePrettily);
  }

  @Test
  void reconnectWithNchanEventIdsCatchesUpWithoutLoss() {
    JsonObject r = Main.run(nchan.options("reconnect")
        .set("subscribers", 50).set("topics", 5).set("rate", 20).set("duration", 4).set("behind", 10).set("drain", 60));
    JsonObject res = r.getJsonObject("results");
    assertEquals(50, res.getLong("caughtUp"), r::encodePrettily);
    assertEquals(0, res.getLong("reconnectErrors"), r::encodePrettily);
    assertEquals(0, res.getLong("lost"), r::encodePrettily);
    assertEquals(0, res.getLong("duplicates"), r::encodePrettily);
    long accepted = res.getJsonObject("publishes").getLong("accepted");
    assertEquals(80 + 10 * 5 + 5, accepted, r::encodePrettily); // open loop, the "behind" burst, one seed per topic
    assertEquals(accepted * 10, res.getLong("deliveries"), r::encodePrettily); // 10 subscribers per topic
  }

  @Test
  void sparseSubscribersOnTwoChannelsGetBothThroughOneMultiplexedStream() {
    JsonObject r = Main.run(nchan.options("sparse").set("subscribers", 40).set("rooms", 4).set("rate", 50)
        .set("duration", 1).set("drain", 60));
    JsonObject res = r.getJsonObject("results");
    assertEquals(0, res.getLong("lost"), r::encodePrettily);
    assertEquals(0, res.getLong("duplicates"), r::encodePrettily);
    assertEquals(res.getJsonObject("subscribers").getLong("expectedDeliveries"), res.getLong("deliveries"), r::encodePrettily);
    assertTrue(res.getLong("deliveries") >= 50, r::encodePrettily);
  }

  @Test
  void idleAndPublishScenariosReportTheWholeProcessTree() {
    JsonObject idle = Main.run(nchan.options("idle").set("subscribers", 50).set("duration", 1));
    JsonObject ir = idle.getJsonObject("results");
    assertEquals(50, ir.getLong("connected"), idle::encodePrettily);
    assertEquals(1 + NchanProcess.WORKERS, ir.getInteger("hubProcesses"), idle::encodePrettily);
    assertTrue(ir.getLong("hubPssAfterBytes") > 0, idle::encodePrettily);
    assertTrue(ir.getDouble("rampHubCpuSeconds") >= 0, idle::encodePrettily);

    JsonObject pub = Main.run(nchan.options("publish").set("publishers", 2).set("duration", 1).set("rate", 20));
    JsonObject pr = pub.getJsonObject("results");
    assertTrue(pr.getJsonObject("closedLoop").getLong("accepted") > 0, pub::encodePrettily);
    assertEquals(20, pr.getJsonObject("openLoop").getLong("accepted"), pub::encodePrettily);
    assertTrue(pr.getBoolean("ok"), pub::encodePrettily);
  }
}
