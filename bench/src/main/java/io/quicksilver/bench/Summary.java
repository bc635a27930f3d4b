package io.quicksilver.bench;

import io.vertx.core.json.JsonObject;

/** The human-readable summary of a result (the JSON line is the authoritative record). */
public final class Summary {

  private Summary() {
  }

  public static String human(JsonObject j) {
    StringBuilder sb = new StringBuilder();
    JsonObject r = j.getJsonObject("results", new JsonObject());
    JsonObject g = j.getJsonObject("generator", new JsonObject());
    JsonObject v = j.getJsonObject("verdict", new JsonObject());
    JsonObject p = j.getJsonObject("params", new JsonObject());
    sb.append("== quicksilver-bench: ").append(j.getString("scenario")).append(" against ").append(p.getString("hub"))
        .append(" (").append(j.getString("protocol", "mercure")).append(')')
        .append('\n');
    switch (j.getString("scenario")) {
      case "idle":
        line(sb, "connected", r.getValue("connected") + " / " + r.getValue("subscribers") + " (min during hold "
            + r.getValue("minConnectedDuringHold") + "), connect errors " + r.getValue("connectErrors")
            + ", disconnects " + r.getValue("disconnects"));
        line(sb, "ramp", fmt(r.getDouble("rampSeconds")) + " s, hold " + fmt(r.getDouble("holdSeconds")) + " s");
        if (r.containsKey("hubCpuMicrosPerConnection")) {
          line(sb, "hub CPU per new connection", fmt(r.getDouble("hubCpuMicrosPerConnection")) + " us (ramp: "
              + fmt(r.getDouble("rampHubCpuSeconds")) + " s of hub CPU)");
        }
        if (r.containsKey("hubRssPerSubscriberBytes")) {
          line(sb, "hub RSS per subscriber", kb(r.getLong("hubRssPerSubscriberBytes")) + " (RSS "
              + mb(r.getLong("hubRssBeforeBytes")) + " -> " + mb(r.getLong("hubRssAfterBytes")) + ")");
        }
        if (r.containsKey("hubPssPerSubscriberBytes")) {
          line(sb, "hub PSS per subscriber", kb(r.getLong("hubPssPerSubscriberBytes")) + " (PSS "
              + mb(r.getLong("hubPssBeforeBytes")) + " -> " + mb(r.getLong("hubPssAfterBytes")) + ", "
              + r.getValue("hubProcesses") + " process(es))");
        }
        if (r.containsKey("hubHeapPerSubscriberBytes")) {
          line(sb, "hub heap per subscriber", kb(r.getLong("hubHeapPerSubscriberBytes")) + " (heap after GC "
              + mb(r.getLong("hubHeapBeforeBytes")) + " -> " + mb(r.getLong("hubHeapAfterBytes")) + ")");
        }
        if (r.containsKey("hubIdleCpuCores")) {
          line(sb, "hub idle CPU", fmt(r.getDouble("hubIdleCpuCores") * 100) + " % of a core");
        }
        break;
      case "publish":
        JsonObject c = r.getJsonObject("closedLoop");
        JsonObject o = r.getJsonObject("openLoop");
        line(sb, "closed loop", c.getInteger("concurrency") + " publishers: " + fmt(c.getDouble("publishesPerSecond"))
            + " publishes/s, " + lat(c.getJsonObject("latency")) + ", refused " + c.getValue("refused") + ", failed "
            + c.getValue("failed"));
        line(sb, "open loop", "at " + fmt(o.getDouble("targetRate")) + "/s: " + fmt(o.getDouble("publishesPerSecond"))
            + " publishes/s, " + lat(o.getJsonObject("latency")) + ", refused " + o.getValue("refused") + ", failed "
            + o.getValue("failed"));
        if (r.containsKey("hubCpuMicrosPerPublish")) {
          line(sb, "hub CPU per publish", fmt(r.getDouble("hubCpuMicrosPerPublish")) + " us");
        }
        break;
      default:
        JsonObject s = r.getJsonObject("subscribers", new JsonObject());
        line(sb, "subscribers", s.getValue("open") + " open / " + s.getValue("subscribers") + ", connect errors "
            + s.getValue("connectErrors") + ", disconnects " + s.getValue("disconnects"));
        JsonObject pb = r.getJsonObject("publishes", new JsonObject());
        line(sb, "publishes", pb.getValue("accepted") + " accepted of " + pb.getValue("sent") + " (refused "
            + pb.getValue("refused") + ", failed " + pb.getValue("failed") + "), " + lat(pb.getJsonObject("latency")));
        line(sb, "deliveries", r.getValue("deliveries") + " of " + s.getValue("expectedDeliveries") + " expected, "
            + fmt(r.getDouble("deliveriesPerSecond")) + "/s over " + fmt(r.getDouble("deliverySeconds")) + " s");
        line(sb, "delivery latency", lat(r.getJsonObject("deliveryLatency")));
        if (r.containsKey("tFirst")) {
          line(sb, "T_first", lat(r.getJsonObject("tFirst")));
          line(sb, "T_last", lat(r.getJsonObject("tLast")) + " (" + r.getValue("publishesNotReachingAll")
              + " publishes did not reach all " + r.getValue("receiversPerPublish") + ")");
        }
        if (r.containsKey("stormSeconds")) {
          line(sb, "reconnect storm", r.getValue("caughtUp") + " caught up in " + fmt(r.getDouble("stormSeconds"))
              + " s; per subscriber " + lat(r.getJsonObject("catchUp")) + "; errors " + r.getValue("reconnectErrors")
              + ", cursor lost " + r.getValue("cursorLost"));
        }
        line(sb, "loss / duplicates / out of order", r.getValue("lost") + " / " + r.getValue("duplicates") + " / "
            + r.getValue("outOfOrder"));
        if (r.containsKey("hubCpuMicrosPerDelivery")) {
          line(sb, "hub CPU per delivery / per publish", fmt(r.getDouble("hubCpuMicrosPerDelivery")) + " us / "
              + fmt(r.getDouble("hubCpuMicrosPerPublish")) + " us");
        }
        break;
    }
    line(sb, "load generator", g.getValue("procs") + " proc(s), CPU " + fmt(g.getDouble("cpuSeconds")) + " s = "
        + fmt(g.getDouble("utilisation", 0.0) * 100) + " % of " + g.getValue("genCores") + " cores"
        + (g.containsKey("hubCpuSeconds") ? "; hub CPU " + fmt(g.getDouble("hubCpuSeconds")) + " s" : ""));
    line(sb, "verdict", (v.getBoolean("ok", false) ? "OK" : "NOT OK") + (v.getString("label", "").isEmpty() ? ""
        : " — " + v.getString("label")));
    for (Object n : v.getJsonArray("notes", new io.vertx.core.json.JsonArray())) {
      line(sb, "note", String.valueOf(n));
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String k, String v) {
    sb.append(String.format("  %-34s %s%n", k, v));
  }

  private static String lat(JsonObject h) {
    if (h == null || h.getLong("count", 0L) == 0) {
      return "no samples";
    }
    return "p50 " + fmt(h.getDouble("p50Ms")) + " ms, p99 " + fmt(h.getDouble("p99Ms")) + " ms, max "
        + fmt(h.getDouble("maxMs")) + " ms (n=" + h.getLong("count") + ")";
  }

  private static String fmt(Double d) {
    return d == null ? "-" : d >= 100 ? String.format("%.0f", d) : String.format("%.2f", d);
  }

  private static String kb(Long b) {
    return b == null ? "-" : String.format("%.1f KB", b / 1024.0);
  }

  private static String mb(Long b) {
    return b == null ? "-" : String.format("%.1f MB", b / 1048576.0);
  }
}
