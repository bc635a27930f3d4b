package io.quicksilver.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options: {@code --name value} pairs (a bare {@code --flag} means {@code true}). */
public final class Options {

  /** Every option the harness knows, with its default (null: none) and a one-line help. */
  static final String[][] KNOWN = {
      {"scenario", "broadcast", "idle | broadcast | sparse | publish | reconnect"},
      {"protocol", "mercure", "mercure | nchan (nginx + nchan: --hub is its base URL, default http://127.0.0.1:8081)"},
      {"hub", "http://127.0.0.1:8080/.well-known/mercure", "hub URL (http only)"},
      {"publish-hub", "", "publish to this hub URL instead (cluster: subscribers on --hub, publishes to another node)"},
      {"subscribers", "100", "subscribers (S or N)"},
      {"topics", "1", "broadcast/reconnect/publish: topics the subscribers and publishes are spread over"},
      {"rooms", "100", "sparse: shared room topics (each subscriber is on one room and its personal topic)"},
      {"room-share", "0.5", "sparse: fraction of publishes that go to a room (the rest to personal topics)"},
      {"rate", "100", "open-loop publishes per second (publish: 0 = half the closed-loop throughput)"},
      {"duration", "10", "seconds of publishing (idle: seconds the subscribers are held)"},
      {"ramp-rate", "2000", "subscriber connections opened per second (0: as fast as allowed)"},
      {"max-connecting", "256", "most subscriber connections being opened at once per process"},
      {"publishers", "8", "publisher keep-alive connections (publish: closed-loop concurrency)"},
      {"payload-size", "0", "minimum data size in bytes (padding)"},
      {"behind", "10", "reconnect: updates published per topic while the subscribers are away"},
      {"catchup-timeout", "60", "reconnect: seconds to wait for every subscriber to catch up"},
      {"drain", "15", "seconds to wait for outstanding deliveries after the last publish"},
      {"settle", "0.5", "seconds to wait after the subscribers connected before publishing"},
      {"token", null, "publisher JWT"},
      {"publisher-key", null, "HS256 secret to mint the publisher JWT with (mercure.publish [\"*\"])"},
      {"subscriber-token", null, "subscriber JWT (default: anonymous)"},
      {"subscriber-key", null, "HS256 secret to mint a subscriber JWT with (mercure.subscribe [\"*\"])"},
      {"hub-pid", null, "hub process id: CPU, RSS and PSS of it and all its descendants (nginx: master + workers) from /proc"},
      {"hub-heap", "false", "also run `jcmd <pid> GC.run` + `GC.heap_info` for heap after GC (JVM hubs)"},
      {"procs", "1", "subscriber processes: forks this many child JVMs and merges their results"},
      {"child-jvm-opts", "-Xss512k -XX:+UseParallelGC", "JVM options of the child processes"},
      {"source-addresses", "", "client source addresses, round-robin, e.g. 127.0.0.2-127.0.0.9 or a,b,c"},
      {"event-loops", "0", "event loops per process (0: cores)"},
      {"gen-cores", "0", "cores the load generator may use, for the saturation label (0: all of the machine)"},
      {"topic-prefix", "https://bench.quicksilver.test/", "prefix of the topic URLs"},
      {"run-id", null, "distinguishes this run's topics (default: random; letters, digits and - only)"},
      {"label", "", "free text copied into the JSON"},
      {"out", null, "also append the JSON line to this file"},
      {"quiet", "false", "no human summary"},
      {"child-index", null, "(internal) index of this child process"},
      {"child-count", null, "(internal) number of child processes"},
  };

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Set<String> given = new java.util.HashSet<>();

  public Options() {
    for (String[] k : KNOWN) {
      if (k[1] != null) {
        values.put(k[0], k[1]);
      }
    }
  }

  public static Options parse(String... args) {
    Options o = new Options();
    Set<String> names = new java.util.HashSet<>();
    for (String[] k : KNOWN) {
      names.add(k[0]);
    }
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        value = "true";
      }
      if (!names.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
      }
      o.values.put(name, value);
      o.given.add(name);
    }
    return o;
  }

  /** Whether the option was given on the command line or with {@link #set}. */
  public boolean given(String name) {
    return given.contains(name);
  }

  public Options set(String name, Object value) {
    given.add(name);
    values.put(name, String.valueOf(value));
    return this;
  }

  public String str(String name) {
    return values.get(name);
  }

  public boolean has(String name) {
    String v = values.get(name);
    return v != null && !v.isEmpty();
  }

  public int integer(String name) {
    return Integer.parseInt(values.get(name).trim());
  }

  public double dbl(String name) {
    return Double.parseDouble(values.get(name).trim());
  }

  public boolean bool(String name) {
    return Boolean.parseBoolean(values.get(name).trim());
  }

  public Map<String, String> all() {
    return values;
  }

  /** The options as arguments again (for child processes). */
  public List<String> toArgs() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      out.add("--" + e.getKey() + "=" + e.getValue());
    }
    return out;
  }

  static String help() {
    StringBuilder sb = new StringBuilder("usage: java -jar quicksilver-bench.jar [--option value]...\n");
    for (String[] k : KNOWN) {
      if (k[0].startsWith("child-i") || k[0].equals("child-count")) {
        continue;
      }
      sb.append(String.format("  --%-18s %s%s%n", k[0], k[2], k[1] == null ? "" : " [" + k[1] + "]"));
    }
    return sb.toString();
  }

  /** Expands {@code 127.0.0.2-127.0.0.9} (last octet range) or a comma list. */
  public static List<String> addresses(String spec) {
    List<String> out = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String part : spec.split(",")) {
      part = part.trim();
      int dash = part.indexOf('-');
      if (dash < 0) {
        out.add(part);
        continue;
      }
      String from = part.substring(0, dash);
      String to = part.substring(dash + 1);
      int fromDot = from.lastIndexOf('.');
      String prefix = from.substring(0, fromDot + 1);
      int a = Integer.parseInt(from.substring(fromDot + 1));
      int b = to.contains(".") ? Integer.parseInt(to.substring(to.lastIndexOf('.') + 1)) : Integer.parseInt(to);
      if (to.contains(".") && !to.startsWith(prefix)) {
        throw new IllegalArgumentException("address range must differ in the last octet only: " + part);
      }
      for (int i = a; i <= b; i++) {
        out.add(prefix + i);
      }
    }
    return out;
  }
}
