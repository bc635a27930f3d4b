package io.quicksilver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison table: figures by scenario, both targets, both phases, ratios, and the per-run checks. */
class CompareReportTest {

  private static JsonObject broadcast(String label, double cpu, boolean ok) {
    return new JsonObject().put("scenario", "broadcast").put("label", label)
        .put("params", new JsonObject().put("topics", 1))
        .put("results", new JsonObject().put("hubCpuMicrosPerDelivery", cpu).put("deliveriesPerSecond", 50_000.0)
            .put("tLast", new JsonObject().put("p99Ms", 250.0)).put("deliveryLatency", new JsonObject().put("p99Ms", 120.0))
            .put("lost", ok ? 0 : 3).put("duplicates", 0)
            .put("subscribers", new JsonObject().put("open", 10_000)))
        .put("generator", new JsonObject().put("utilisation", 0.5).put("hubCpuSeconds", 15.0))
        .put("verdict", new JsonObject().put("ok", ok).put("limitedByLoadGenerator", false)
            .put("notes", ok ? List.of() : List.of("some deliveries still missing")));
  }

  private static JsonObject idle(String label, long pss, Long heap) {
    JsonObject r = new JsonObject().put("hubCpuMicrosPerConnection", 40.0).put("hubPssPerSubscriberBytes", pss)
        .put("hubRssPerSubscriberBytes", pss).put("connected", 19_000);
    if (heap != null) {
      r.put("hubHeapPerSubscriberBytes", heap);
    }
    return new JsonObject().put("scenario", "idle").put("label", label).put("params", new JsonObject()).put("results", r)
        .put("generator", new JsonObject()).put("verdict", new JsonObject().put("ok", true));
  }

  @Test
  void putsBothTargetsAndPhasesSideBySideWithTheirRatio() {
    String md = CompareReport.markdown(List.of(
        broadcast("b/quicksilver/cold", 30, true), broadcast("b/nchan/cold", 10, true),
        broadcast("b/quicksilver/warmup1", 99, true), // unrecorded: not in the table
        broadcast("b/quicksilver/warm", 15, true), broadcast("b/nchan/warm", 10, false)));
    String row = md.lines().filter(l -> l.startsWith("| b | hub CPU per delivery")).findFirst().orElseThrow();
    assertEquals("| b | hub CPU per delivery, µs | 30 | 10 | 3.00× | 15 | 10 ✗ | 1.50× |", row);
    assertFalse(md.contains("warmup1"), md);
    assertTrue(md.contains("| b/nchan/warm | NOT OK | 10000 | 3 | 0 | 15 | 50 % | some deliveries still missing |"), md);
  }

  @Test
  void memoryPerConnectionAddsTheJvmHeapToTheProportionalSetSize() {
    String md = CompareReport.markdown(List.of(idle("i/quicksilver/cold", 2048, 10_240L), idle("i/nchan/cold", 4096, null),
        idle("i/quicksilver/warm", 0, 0L), idle("i/nchan/warm", 0, null)));
    String row = md.lines().filter(l -> l.startsWith("| i | memory per connection")).findFirst().orElseThrow();
    assertEquals("| i | memory per connection, KB (PSS Δ + heap Δ after GC) | 12 | 4 | 3.00× | (cold only) | | |", row);
    String cpu = md.lines().filter(l -> l.startsWith("| i | hub CPU per new connection")).findFirst().orElseThrow();
    assertEquals("| i | hub CPU per new connection, µs | 40 | 40 | 1.00× | 40 | 40 | 1.00× |", cpu);
  }

  @Test
  void readsNumbersAtDottedPaths() {
    JsonObject o = new JsonObject().put("a", new JsonObject().put("b", 2)).put("s", "x");
    assertEquals(2.0, CompareReport.num(o, "a.b"));
    assertEquals(null, CompareReport.num(o, "a.c"));
    assertEquals(null, CompareReport.num(o, "s"));
    assertEquals(null, CompareReport.num(o, "s.t"));
    assertEquals("1234", CompareReport.fmt(1234.4)); // no digit dropped left of the point
    assertEquals("100", CompareReport.fmt(99.99999));
    assertEquals("12.3", CompareReport.fmt(12.34));
    assertEquals("1.23", CompareReport.fmt(1.234));
  }
}
