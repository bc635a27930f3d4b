package io.quicksilver.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.HdrHistogram.Histogram;

/** Merges the answers of several subscriber processes into one. */
public final class Reports {

  private static final Set<String> MAX = Set.of("lastReceiptNanos", "rampSeconds");
  private static final Set<String> HISTOGRAMS = Set.of("latency", "catchUp");

  private Reports() {
  }

  public static JsonObject merge(List<JsonObject> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    JsonObject out = new JsonObject();
    for (JsonObject p : parts) {
      for (String k : p.fieldNames()) {
        Object v = p.getValue(k);
        Object cur = out.getValue(k);
        if (cur == null) {
          out.put(k, v instanceof JsonArray ? ((JsonArray) v).copy() : v);
        } else if (HISTOGRAMS.contains(k)) {
          Histogram h = Codec.histogram((String) cur);
          h.add(Codec.histogram((String) v));
          out.put(k, Codec.histogram(h));
        } else if (k.equals("trackFirst") || k.equals("trackLast") || k.equals("trackCount")) {
          long[] a = Codec.longs((String) cur);
          long[] b = Codec.longs((String) v);
          for (int i = 0; i < a.length && i < b.length; i++) {
            a[i] = k.equals("trackFirst") ? Math.min(a[i], b[i]) : k.equals("trackLast") ? Math.max(a[i], b[i]) : a[i] + b[i];
          }
          out.put(k, Codec.longs(a));
        } else if (v instanceof Boolean) {
          out.put(k, (Boolean) cur || (Boolean) v);
        } else if (v instanceof Number) {
          Number a = (Number) cur;
          Number b = (Number) v;
          boolean fp = a instanceof Double || b instanceof Double || a instanceof Float || b instanceof Float;
          if (MAX.contains(k)) {
            out.put(k, fp ? (Number) Math.max(a.doubleValue(), b.doubleValue()) : (Number) Math.max(a.longValue(), b.longValue()));
          } else {
            out.put(k, fp ? (Number) (a.doubleValue() + b.doubleValue()) : (Number) (a.longValue() + b.longValue()));
          }
        } else if (v instanceof JsonArray) {
          Set<Object> u = new LinkedHashSet<>(((JsonArray) cur).getList());
          u.addAll(((JsonArray) v).getList());
          out.put(k, new JsonArray(List.copyOf(u)));
        }
      }
    }
    return out;
  }
}
