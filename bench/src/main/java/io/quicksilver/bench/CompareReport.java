package io.quicksilver.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The side-by-side table of {@code bench/scripts/compare.sh}: reads the JSON lines of its runs, each labelled
 * {@code <row>/<target>/<phase>} (target {@code quicksilver} or {@code nchan}, phase {@code cold} or
 * {@code warm}; other phases, such as the unrecorded warm-up runs, are ignored), and prints a markdown table
 * with, per row, the figures of that row's scenario for both targets in both phases and their ratio
 * (Quicksilver / nchan), then one line per run with its checks (loss, duplicates, verdict notes).
 *
 * <pre>java -cp quicksilver-bench.jar io.quicksilver.bench.CompareReport runs.jsonl &gt; table.md</pre>
 */
public final class CompareReport {

  static final String QS = "quicksilver";
  static final String NCHAN = "nchan";
  static final List<String> PHASES = List.of("cold", "warm");

  /**
   * One figure of a scenario: its name, how to read it from a run's JSON (null: not measured), and whether
   * it means something in a cold run only.
   */
  record Figure(String name, Function<JsonObject, Double> value, boolean coldOnly) {
    Figure(String name, Function<JsonObject, Double> value) {
      this(name, value, false);
    }
  }

  private CompareReport() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: CompareReport RUNS.jsonl");
      System.exit(2);
    }
    List<JsonObject> runs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        runs.add(new JsonObject(line));
      }
    }
    System.out.print(markdown(runs));
  }

  /** The figures compared for a run's scenario. */
  static List<Figure> figures(JsonObject run) {
    JsonObject p = run.getJsonObject("params", new JsonObject());
    List<Figure> f = new ArrayList<>();
    switch (run.getString("scenario", "")) {
      case "broadcast":
        if (p.getInteger("topics", 1) > 1) {
          f.add(new Figure("hub CPU per publish, µs", r -> num(r, "results.hubCpuMicrosPerPublish")));
        } else {
          f.add(new Figure("hub CPU per delivery, µs", r -> num(r, "results.hubCpuMicrosPerDelivery")));
          f.add(new Figure("deliveries/s", r -> num(r, "results.deliveriesPerSecond")));
          f.add(new Figure("T_last p99, ms", r -> num(r, "results.tLast.p99Ms")));
        }
        f.add(new Figure("delivery latency p99, ms", r -> num(r, "results.deliveryLatency.p99Ms")));
        break;
      case "sparse":
        f.add(new Figure("hub CPU per delivery, µs", r -> num(r, "results.hubCpuMicrosPerDelivery")));
        f.add(new Figure("hub CPU per publish, µs", r -> num(r, "results.hubCpuMicrosPerPublish")));
        f.add(new Figure("delivery latency p99, ms", r -> num(r, "results.deliveryLatency.p99Ms")));
        break;
      case "publish":
        f.add(new Figure("publishes/s, closed loop", r -> num(r, "results.closedLoop.publishesPerSecond")));
        f.add(new Figure("hub CPU per publish, µs", r -> num(r, "results.hubCpuMicrosPerPublish")));
        f.add(new Figure("publish latency p99 (closed loop), ms", r -> num(r, "results.closedLoop.latency.p99Ms")));
        break;
      case "idle":
        f.add(new Figure("hub CPU per new connection, µs", r -> num(r, "results.hubCpuMicrosPerConnection")));
        // Memory growth is a first-run figure: a later run reuses what the earlier ones left allocated.
        f.add(new Figure("memory per connection, KB (PSS Δ + heap Δ after GC)", CompareReport::memoryKb, true));
        f.add(new Figure("RSS Δ per connection, KB", r -> kb(num(r, "results.hubRssPerSubscriberBytes")), true));
        break;
      case "reconnect":
        f.add(new Figure("time until all caught up, s", r -> num(r, "results.stormSeconds")));
        f.add(new Figure("catch-up p99 per subscriber, ms", r -> num(r, "results.catchUp.p99Ms")));
        f.add(new Figure("caught up, % of subscribers", r -> {
          Double c = num(r, "results.caughtUp");
          Double s = num(r, "results.subscribers.subscribers");
          return c == null || s == null || s == 0 ? null : 100 * c / s;
        }));
        break;
      default:
        break;
    }
    return f;
  }

  /**
   * Memory per idle connection: the growth of the hub's proportional set size (all its processes) plus, for
   * a JVM measured with {@code --hub-heap}, the growth of the heap after a full GC. Meant for a JVM started
   * with a fixed, pre-touched heap ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}), whose PSS growth is
   * then native memory only; without that the heap would be counted twice.
   */
  static Double memoryKb(JsonObject run) {
    Double pss = num(run, "results.hubPssPerSubscriberBytes");
    if (pss == null) {
      return null;
    }
    Double heap = num(run, "results.hubHeapPerSubscriberBytes");
    return kb(pss + (heap == null ? 0 : heap));
  }

  static String markdown(List<JsonObject> runs) {
    // row -> target/phase -> run (the last one wins if a label repeats)
    Map<String, Map<String, JsonObject>> rows = new LinkedHashMap<>();
    for (JsonObject run : runs) {
      String[] l = run.getString("label", "").split("/");
      if (l.length == 3 && PHASES.contains(l[2])) {
        rows.computeIfAbsent(l[0], k -> new LinkedHashMap<>()).put(l[1] + "/" + l[2], run);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("| scenario | figure | Quicksilver cold | nchan cold | ratio cold | Quicksilver warm | nchan warm | ratio warm |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Map<String, JsonObject>> row : rows.entrySet()) {
      JsonObject any = row.getValue().values().iterator().next();
      for (Figure f : figures(any)) {
        sb.append("| ").append(row.getKey()).append(" | ").append(f.name());
        for (String phase : PHASES) {
          if (f.coldOnly() && !phase.equals("cold")) {
            sb.append(" | (cold only) | |");
            continue;
          }
          JsonObject q = row.getValue().get(QS + "/" + phase);
          JsonObject n = row.getValue().get(NCHAN + "/" + phase);
          Double qv = q == null ? null : f.value().apply(q);
          Double nv = n == null ? null : f.value().apply(n);
          sb.append(" | ").append(cell(qv, q)).append(" | ").append(cell(nv, n)).append(" | ").append(ratio(qv, nv));
        }
        sb.append(" |\n");
      }
    }
    sb.append("\nRatio = Quicksilver / nchan. ✗ = that run's verdict was not OK (loss, duplicates, errors, not all caught"
        + " up); (G) = limited by the load generator; (cold only) = memory growth, which a later run on the same"
        + " process does not show (it reuses what the earlier runs left allocated). Per run:\n\n");
    sb.append("| run | verdict | subscribers open | lost | duplicates | hub CPU, s | generator CPU | notes |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---|\n");
    for (Map.Entry<String, Map<String, JsonObject>> row : rows.entrySet()) {
      for (Map.Entry<String, JsonObject> e : row.getValue().entrySet()) {
        JsonObject run = e.getValue();
        JsonObject v = run.getJsonObject("verdict", new JsonObject());
        Double open = num(run, "results.subscribers.open");
        if (open == null) {
          open = num(run, "results.connected");
        }
        Double util = num(run, "generator.utilisation");
        sb.append("| ").append(row.getKey()).append('/').append(e.getKey())
            .append(" | ").append(v.getBoolean("ok", false) ? "OK" : "NOT OK")
            .append(" | ").append(fmt(open))
            .append(" | ").append(fmt(num(run, "results.lost")))
            .append(" | ").append(fmt(num(run, "results.duplicates")))
            .append(" | ").append(fmt(num(run, "generator.hubCpuSeconds")))
            .append(" | ").append(util == null ? "–" : Math.round(util * 100) + " %")
            .append(" | ").append(String.join("; ", strings(v.getJsonArray("notes", new JsonArray()))).replace("|", "/"))
            .append(" |\n");
      }
    }
    return sb.toString();
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(x -> out.add(String.valueOf(x)));
    return out;
  }

  private static String cell(Double value, JsonObject run) {
    if (value == null) {
      return "–";
    }
    JsonObject v = run.getJsonObject("verdict", new JsonObject());
    return fmt(value) + (v.getBoolean("ok", false) ? "" : " ✗") + (v.getBoolean("limitedByLoadGenerator", false) ? " (G)" : "");
  }

  static String ratio(Double q, Double n) {
    if (q == null || n == null || n == 0) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f×", q / n);
  }

  /** Whole numbers from 100 on; below, three significant digits without the decimals rounding left at zero. */
  static String fmt(Double d) {
    if (d == null) {
      return "–";
    }
    if (!Double.isFinite(d) || Math.abs(d) >= 99.95) {
      return Double.isFinite(d) ? String.format(Locale.ROOT, "%.0f", d) : String.valueOf(d);
    }
    if (d == 0) {
      return "0";
    }
    double r = new BigDecimal(d).round(new MathContext(3)).doubleValue();
    double a = Math.abs(r);
    if (a >= 100 || r == Math.rint(r)) {
      return String.format(Locale.ROOT, "%.0f", r);
    }
    return String.format(Locale.ROOT, a >= 10 ? "%.1f" : "%.2f", r);
  }

  private static Double kb(Double bytes) {
    return bytes == null ? null : bytes / 1024;
  }

  /** A number at a dotted path of a run's JSON; null when absent or not a number. */
  static Double num(JsonObject o, String path) {
    Object cur = o;
    for (String k : path.split("\\.")) {
      if (!(cur instanceof JsonObject)) {
        return null;
      }
      cur = ((JsonObject) cur).getValue(k);
    }
    return cur instanceof Number ? ((Number) cur).doubleValue() : null;
  }
}
