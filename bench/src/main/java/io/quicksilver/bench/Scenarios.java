package io.quicksilver.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;

/**
 * The scenarios. Each returns one JSON object: {@code scenario}, {@code params}, {@code results},
 * {@code hub}, {@code generator}, {@code verdict}. Runs on the calling thread, blocking.
 */
public final class Scenarios {

  /** What every process of a run derives from the options alone (so children agree with the parent). */
  static final class Plan {
    Layout layout;
    int trackedTopic = -1;
    int trackedCapacity;
    long publishes;
  }

  private final Vertx vertx;
  private final Options o;
  private final HubProbe probe;
  private final List<String> notes = new ArrayList<>();
  private Fleet fleet;

  public Scenarios(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.o = resolve(options);
    this.probe = new HubProbe(o.has("hub-pid") ? Long.parseLong(o.str("hub-pid")) : -1, o.bool("hub-heap"));
  }

  /** Fills in per-scenario defaults and the run id, before any child process is forked. */
  static Options resolve(Options o) {
    if (!o.has("run-id")) {
      o.set("run-id", UUID.randomUUID().toString().substring(0, 8));
    }
    if (!o.str("run-id").matches("[A-Za-z0-9-]+")) {
      throw new IllegalArgumentException("--run-id: letters, digits and - only (it is part of topic URLs and channel ids)");
    }
    if (o.str("protocol").equals("nchan") && !o.given("hub")) {
      o.set("hub", "http://127.0.0.1:8081");
    }
    if (!List.of("mercure", "nchan").contains(o.str("protocol"))) {
      throw new IllegalArgumentException("unknown protocol " + o.str("protocol"));
    }
    String s = o.str("scenario");
    if (s.equals("publish") && !o.given("subscribers")) {
      o.set("subscribers", 0);
    }
    if (s.equals("reconnect") && !o.given("rate")) {
      o.set("rate", 20);
    }
    if (!List.of("idle", "broadcast", "sparse", "publish", "reconnect").contains(s)) {
      throw new IllegalArgumentException("unknown scenario " + s);
    }
    return o;
  }

  static Plan plan(Options o) {
    Plan p = new Plan();
    int s = o.integer("subscribers");
    String prefix = o.str("topic-prefix");
    String run = o.str("run-id");
    p.publishes = Math.round(o.dbl("rate") * o.dbl("duration"));
    switch (o.str("scenario")) {
      case "idle":
        p.layout = new Layout(Layout.Kind.UNIQUE, s, 1, prefix, run);
        break;
      case "sparse":
        p.layout = new Layout(Layout.Kind.SPARSE, s, o.integer("rooms"), prefix, run);
        break;
      case "broadcast":
        p.layout = new Layout(Layout.Kind.SHARED, s, o.integer("topics"), prefix, run);
        p.trackedTopic = 0;
        p.trackedCapacity = (int) Math.min(Integer.MAX_VALUE - 8, p.publishes + 1);
        break;
      default:
        p.layout = new Layout(Layout.Kind.SHARED, s, o.integer("topics"), prefix, run);
        break;
    }
    return p;
  }

  public JsonObject run() {
    Plan plan = plan(o);
    int procs = Math.max(1, o.integer("procs"));
    long wallStart = System.nanoTime();
    long ownCpuStart = Main.ownCpuNanos();
    if (procs > 1 && plan.layout.subscribers > 0) {
      fleet = new ChildFleet(o, procs);
    } else {
      fleet = new LocalFleet(new SubscriberFleet(vertx, o, plan.layout, Main.share(plan.layout.subscribers, 0, 1),
          Options.addresses(o.str("source-addresses")), plan.trackedTopic, plan.trackedCapacity, Main.eventLoops(o)));
    }
    JsonObject out = new JsonObject()
        .put("bench", "quicksilver-bench")
        .put("scenario", o.str("scenario"))
        .put("protocol", o.str("protocol"))
        .put("label", o.str("label"))
        .put("startedAt", Instant.now().toString())
        .put("params", params());
    try {
      JsonObject results;
      switch (o.str("scenario")) {
        case "idle":
          results = idle(plan);
          break;
        case "broadcast":
          results = broadcast(plan);
          break;
        case "sparse":
          results = sparse(plan);
          break;
        case "publish":
          results = publish(plan);
          break;
        default:
          results = reconnect(plan);
          break;
      }
      JsonObject window = results.getJsonObject("window");
      results.remove("window");
      out.put("results", results);
      out.put("hub", hubSection(results));
      out.put("generator", generatorSection(window, procs, wallStart, ownCpuStart));
      out.put("verdict", verdict(results, out.getJsonObject("generator")));
      return out;
    } finally {
      fleet.close();
    }
  }

  private JsonObject params() {
    JsonObject p = new JsonObject();
    o.all().forEach((k, v) -> {
      if (k.equals("token") || k.endsWith("-key") || k.equals("subscriber-token")) {
        p.put(k, "(set)");
      } else if (!k.startsWith("child-i") && !k.equals("child-count") && !k.equals("quiet") && !k.equals("out")) {
        p.put(k, typed(v));
      }
    });
    return p;
  }

  // ---------------------------------------------------------------- scenarios

  private JsonObject idle(Plan plan) {
    JsonObject before = probe.snapshot(true);
    double rampCpuStart = probe.cpuSeconds();
    JsonObject connected = connect();
    double rampCpu = probe.cpuSeconds() - rampCpuStart;
    sleep(o.dbl("settle"));
    Window w = begin();
    long minOpen = connected.getLong("open");
    long end = System.nanoTime() + (long) (o.dbl("duration") * 1e9);
    while (System.nanoTime() < end) {
      sleep(Math.min(1.0, (end - System.nanoTime()) / 1e9));
      minOpen = Math.min(minOpen, fleet.call(status()).getLong("open"));
    }
    JsonObject window = end(w);
    JsonObject after = probe.snapshot(true);
    JsonObject st = fleet.call(status());
    long open = st.getLong("open");
    JsonObject r = new JsonObject()
        .put("subscribers", plan.layout.subscribers)
        .put("connected", open)
        .put("minConnectedDuringHold", minOpen)
        .put("connectErrors", st.getLong("connectErrors"))
        .put("disconnects", st.getLong("disconnects"))
        .put("errorSamples", st.getJsonArray("errorSamples"))
        .put("rampSeconds", connected.getDouble("rampSeconds"))
        .put("holdSeconds", window.getDouble("wallSeconds"));
    if (probe.enabled()) {
      // Opening the subscriptions: the hub's CPU from the first connection attempt until every one was answered.
      long opened = connected.getLong("everConnected");
      r.put("rampHubCpuSeconds", rampCpu).put("hubCpuMicrosPerConnection", opened > 0 ? rampCpu * 1e6 / opened : null);
      long rssDelta = after.getLong("rssBytes") - before.getLong("rssBytes");
      r.put("hubRssBeforeBytes", before.getLong("rssBytes")).put("hubRssAfterBytes", after.getLong("rssBytes"))
          .put("hubRssPerSubscriberBytes", open > 0 ? rssDelta / open : null);
      long pb = before.getLong("pssBytes");
      long pa = after.getLong("pssBytes");
      if (pb > 0 && pa > 0) {
        r.put("hubPssBeforeBytes", pb).put("hubPssAfterBytes", pa).put("hubPssPerSubscriberBytes", open > 0 ? (pa - pb) / open : null);
      }
      long hb = before.getLong("heapAfterGcBytes");
      long ha = after.getLong("heapAfterGcBytes");
      if (hb > 0 && ha > 0) {
        r.put("hubHeapBeforeBytes", hb).put("hubHeapAfterBytes", ha).put("hubHeapPerSubscriberBytes", open > 0 ? (ha - hb) / open : null);
      }
      r.put("hubOpenFiles", after.getLong("openFiles")).put("hubThreads", after.getLong("threads"))
          .put("hubProcesses", after.getInteger("processes"));
      double idleCpu = window.getDouble("hubCpuSeconds");
      r.put("hubIdleCpuSeconds", idleCpu)
          .put("hubIdleCpuCores", idleCpu / window.getDouble("wallSeconds"));
    }
    r.put("ok", open == plan.layout.subscribers && st.getLong("connectErrors") == 0 && st.getLong("disconnects") == 0);
    return r.put("window", window);
  }

  private JsonObject broadcast(Plan plan) {
    JsonObject connected = connect();
    sleep(o.dbl("settle"));
    int topics = plan.layout.topicCount();
    Publisher pub = new Publisher(vertx, o, plan.layout, o.integer("publishers"), plan.trackedTopic, plan.trackedCapacity);
    pub.warmup(o.integer("publishers"), 5);
    try {
      long firstScheduled = Clock.nowNanos();
      Window w = begin();
      AtomicLong rr = new AtomicLong();
      awaitOpenLoop(pub.openLoop(o.dbl("rate"), plan.publishes, () -> (int) (rr.getAndIncrement() % topics)),
          o.dbl("rate"), plan.publishes);
      Map<Integer, BitSet> accepted = pub.accepted();
      JsonObject waited = awaitDelivered(accepted);
      JsonObject window = end(w);
      JsonObject rep = fleet.call(new JsonObject().put("cmd", "report").put("accepted", Codec.bitsMap(accepted)));
      JsonObject r = deliveryResults(connected, rep, pub, firstScheduled, window, waited);
      // T_first / T_last per publish of the tracked topic.
      long[] first = Codec.longs(rep.getString("trackFirst"));
      long[] last = Codec.longs(rep.getString("trackLast"));
      long[] count = Codec.longs(rep.getString("trackCount"));
      long receivers = topics == 1 ? connected.getLong("open") : plan.layout.subscribersOf(0);
      Histogram tFirst = Codec.newHistogram();
      Histogram tLast = Codec.newHistogram();
      long incomplete = 0;
      BitSet acc = accepted.getOrDefault(0, new BitSet());
      for (int s = acc.nextSetBit(0); s >= 0 && s < first.length; s = acc.nextSetBit(s + 1)) {
        long sched = pub.scheduledOf(s);
        if (count[s] > 0) {
          tFirst.recordValue(clampMicros(first[s] - sched));
        }
        if (count[s] >= receivers) {
          tLast.recordValue(clampMicros(last[s] - sched));
        } else {
          incomplete++;
        }
      }
      r.put("tFirst", pct(tFirst)).put("tLast", pct(tLast)).put("publishesNotReachingAll", incomplete)
          .put("receiversPerPublish", receivers);
      return r.put("window", window);
    } finally {
      Main.await(pub.close(), Main.CLOSE_BOUND_SECONDS, "closing the publisher");
    }
  }

  private JsonObject sparse(Plan plan) {
    JsonObject connected = connect();
    sleep(o.dbl("settle"));
    int n = plan.layout.subscribers;
    int rooms = plan.layout.groups;
    double roomShare = o.dbl("room-share");
    SplittableRandom rnd = new SplittableRandom(42);
    IntSupplier chooser = () -> {
      synchronized (rnd) {
        return rnd.nextDouble() < roomShare ? n + rnd.nextInt(rooms) : rnd.nextInt(Math.max(1, n));
      }
    };
    Publisher pub = new Publisher(vertx, o, plan.layout, o.integer("publishers"), -1, 0);
    pub.warmup(o.integer("publishers"), 5);
    try {
      long firstScheduled = Clock.nowNanos();
      Window w = begin();
      awaitOpenLoop(pub.openLoop(o.dbl("rate"), plan.publishes, chooser), o.dbl("rate"), plan.publishes);
      Map<Integer, BitSet> accepted = pub.accepted();
      JsonObject waited = awaitDelivered(accepted);
      JsonObject window = end(w);
      JsonObject rep = fleet.call(new JsonObject().put("cmd", "report").put("accepted", Codec.bitsMap(accepted)));
      return deliveryResults(connected, rep, pub, firstScheduled, window, waited).put("window", window);
    } finally {
      Main.await(pub.close(), Main.CLOSE_BOUND_SECONDS, "closing the publisher");
    }
  }

  private JsonObject publish(Plan plan) {
    JsonObject connected = plan.layout.subscribers > 0 ? connect() : null;
    if (connected != null) {
      sleep(o.dbl("settle"));
    }
    int topics = plan.layout.topicCount();
    int c = o.integer("publishers");
    double seconds = o.dbl("duration");
    Publisher pub = new Publisher(vertx, o, plan.layout, c, -1, 0);
    pub.warmup(c, 5);
    try {
      AtomicLong rr = new AtomicLong();
      IntSupplier chooser = () -> (int) (rr.getAndIncrement() % topics);
      Window w = begin();
      long t0 = System.nanoTime();
      Main.await(pub.closedLoop(c, seconds, chooser), Publisher.boundSeconds(seconds),
          "closed loop of " + c + " publishers for " + seconds + " s");
      double closedWall = (System.nanoTime() - t0) / 1e9;
      JsonObject closed = new JsonObject()
          .put("concurrency", c)
          .put("seconds", closedWall)
          .put("accepted", pub.ok())
          .put("refused", pub.refused())
          .put("failed", pub.failed())
          .put("publishesPerSecond", pub.ok() / closedWall)
          .put("latency", pct(pub.latency()));
      double rate = o.dbl("rate");
      if (!o.given("rate") || rate <= 0) {
        rate = Math.max(1, Math.floor(pub.ok() / closedWall / 2));
      }
      pub.resetStats();
      long count = Math.round(rate * seconds);
      t0 = System.nanoTime();
      awaitOpenLoop(pub.openLoop(rate, count, chooser), rate, count);
      double openWall = (System.nanoTime() - t0) / 1e9;
      JsonObject open = new JsonObject()
          .put("targetRate", rate)
          .put("seconds", openWall)
          .put("accepted", pub.ok())
          .put("refused", pub.refused())
          .put("failed", pub.failed())
          .put("publishesPerSecond", pub.ok() / openWall)
          .put("latency", pct(pub.latency()))
          .put("sendLag", pct(pub.sendLag()));
      JsonObject r = new JsonObject().put("closedLoop", closed).put("openLoop", open)
          .put("publishErrorSamples", new JsonArray(new ArrayList<>(pub.errorSamples())));
      JsonObject window;
      if (connected != null) {
        Map<Integer, BitSet> accepted = pub.accepted();
        awaitDelivered(accepted);
        window = end(w);
        JsonObject rep = fleet.call(new JsonObject().put("cmd", "report").put("accepted", Codec.bitsMap(accepted)));
        r.put("subscribers", subscriberCounts(rep));
        r.put("ok", closed.getLong("refused") + closed.getLong("failed") + open.getLong("refused") + open.getLong("failed") == 0
            && rep.getLong("lost") == 0 && rep.getLong("duplicates") == 0);
      } else {
        window = end(w);
        r.put("ok", closed.getLong("refused") + closed.getLong("failed") + open.getLong("refused") + open.getLong("failed") == 0);
      }
      long totalAccepted = closed.getLong("accepted") + open.getLong("accepted");
      if (window.getDouble("hubCpuSeconds", -1.0) >= 0 && totalAccepted > 0) {
        r.put("hubCpuMicrosPerPublish", window.getDouble("hubCpuSeconds") * 1e6 / totalAccepted);
      }
      r.put("sendLagP99Ms", open.getJsonObject("sendLag").getDouble("p99Ms"));
      return r.put("window", window);
    } finally {
      Main.await(pub.close(), Main.CLOSE_BOUND_SECONDS, "closing the publisher");
    }
  }

  private JsonObject reconnect(Plan plan) {
    JsonObject connected = connect();
    sleep(o.dbl("settle"));
    int topics = plan.layout.topicCount();
    Publisher pub = new Publisher(vertx, o, plan.layout, o.integer("publishers"), -1, 0);
    pub.warmup(o.integer("publishers"), 5);
    try {
      AtomicLong rr = new AtomicLong();
      IntSupplier chooser = () -> (int) (rr.getAndIncrement() % topics);
      long firstScheduled = Clock.nowNanos();
      Window w = begin();
      double rate = o.dbl("rate");
      Future<Void> background = pub.openLoop(rate, plan.publishes, chooser);
      // Let every subscriber see an update first, so that each has a Last-Event-ID to reconnect with: one
      // update on every topic (the open loop alone reaches only rate × warm-up topics), then a pause.
      List<Future<Integer>> seed = new ArrayList<>();
      for (int t = 0; t < topics; t++) {
        seed.add(pub.publish(t, Clock.nowNanos()));
      }
      Main.await(Future.join(seed), Publisher.boundSeconds(0), "one publish per topic before the drop");
      sleep(Math.max(1.0, Math.min(3.0, o.dbl("duration") / 4)));
      JsonObject dropped = fleet.call(new JsonObject().put("cmd", "drop"));
      int behind = o.integer("behind");
      List<Future<Integer>> burst = new ArrayList<>();
      for (int i = 0; i < behind; i++) {
        for (int t = 0; t < topics; t++) {
          burst.add(pub.publish(t, Clock.nowNanos()));
        }
      }
      Main.await(Future.join(burst), Publisher.boundSeconds(0), "the publishes while the subscribers are away");
      JsonObject head = new JsonObject();
      pub.head().forEach((t, s) -> head.put(Integer.toString(t), s));
      long t0 = System.nanoTime();
      JsonObject rec = fleet.call(new JsonObject().put("cmd", "reconnect").put("head", head)
          .put("rate", o.dbl("ramp-rate") / Math.max(1, o.integer("procs")))
          .put("maxConnecting", o.integer("max-connecting"))
          .put("timeoutMs", (long) (o.dbl("catchup-timeout") * 1000)));
      double storm = (System.nanoTime() - t0) / 1e9;
      awaitOpenLoop(background, rate, plan.publishes);
      Map<Integer, BitSet> accepted = pub.accepted();
      JsonObject waited = awaitDelivered(accepted);
      JsonObject window = end(w);
      JsonObject rep = fleet.call(new JsonObject().put("cmd", "report").put("accepted", Codec.bitsMap(accepted)));
      JsonObject r = deliveryResults(connected, rep, pub, firstScheduled, window, waited);
      r.put("openBeforeDrop", dropped.getLong("open"))
          .put("behindPerTopic", behind)
          .put("caughtUp", rec.getLong("caughtUp"))
          .put("stormSeconds", storm)
          .put("catchUp", pct(Codec.histogram(rep.getString("catchUp"))))
          .put("reconnectErrors", rec.getLong("reconnectErrors"))
          .put("cursorLost", rec.getLong("cursorLost"))
          .put("notCaughtUpSamples", rec.getJsonArray("notCaughtUpSamples", new JsonArray()));
      r.put("ok", r.getBoolean("ok") && rec.getLong("caughtUp") == plan.layout.subscribers);
      return r.put("window", window);
    } finally {
      Main.await(pub.close(), Main.CLOSE_BOUND_SECONDS, "closing the publisher");
    }
  }

  // ---------------------------------------------------------------- pieces

  private static JsonObject status() {
    return new JsonObject().put("cmd", "status");
  }

  private JsonObject connect() {
    int procs = fleet.inProcess() ? 1 : Math.max(1, o.integer("procs"));
    JsonObject st = fleet.call(new JsonObject().put("cmd", "connect")
        .put("rate", o.dbl("ramp-rate") / procs).put("maxConnecting", o.integer("max-connecting")));
    if (st.getLong("open") < st.getLong("subscribers")) {
      notes.add("only " + st.getLong("open") + " of " + st.getLong("subscribers") + " subscribers connected");
    }
    return st;
  }

  /** Waits for an open loop: its schedule, then its last answers. */
  private static void awaitOpenLoop(Future<Void> loop, double rate, long count) {
    Main.await(loop, Publisher.boundSeconds(count > 0 ? count / rate : 0),
        "open loop of " + count + " publishes at " + rate + "/s");
  }

  private JsonObject awaitDelivered(Map<Integer, BitSet> accepted) {
    return fleet.call(new JsonObject().put("cmd", "await").put("accepted", Codec.bitsMap(accepted))
        .put("timeoutMs", (long) (o.dbl("drain") * 1000)).put("quietMs", 3000L));
  }

  private static JsonObject subscriberCounts(JsonObject rep) {
    JsonObject s = new JsonObject();
    for (String k : List.of("subscribers", "open", "everConnected", "connectErrors", "disconnects", "events",
        "foreignEvents", "expectedDeliveries", "deliveries", "lost", "lossySubscribers", "duplicates", "outOfOrder",
        "unexpected", "cursorLost")) {
      s.put(k, rep.getValue(k));
    }
    return s.put("errorSamples", rep.getJsonArray("errorSamples"))
        .put("duplicateSamples", rep.getJsonArray("duplicateSamples", new JsonArray()));
  }

  private JsonObject deliveryResults(JsonObject connected, JsonObject rep, Publisher pub, long firstScheduled,
      JsonObject window, JsonObject waited) {
    long deliveries = rep.getLong("deliveries");
    long lastReceipt = rep.getLong("lastReceiptNanos");
    double span = lastReceipt > firstScheduled ? (lastReceipt - firstScheduled) / 1e9 : window.getDouble("wallSeconds");
    JsonObject r = new JsonObject()
        .put("subscribers", subscriberCounts(rep))
        .put("rampSeconds", connected.getDouble("rampSeconds"))
        .put("publishes", new JsonObject()
            .put("sent", pub.sent()).put("accepted", pub.ok()).put("refused", pub.refused()).put("failed", pub.failed())
            .put("latency", pct(pub.latency())).put("sendLag", pct(pub.sendLag()))
            .put("errorSamples", new JsonArray(new ArrayList<>(pub.errorSamples()))))
        .put("deliveries", deliveries)
        .put("deliverySeconds", span)
        .put("deliveriesPerSecond", deliveries / span)
        .put("deliveryLatency", pct(Codec.histogram(rep.getString("latency"))))
        .put("lost", rep.getLong("lost"))
        .put("duplicates", rep.getLong("duplicates"))
        .put("outOfOrder", rep.getLong("outOfOrder"))
        .put("drainTimedOut", waited.getBoolean("timedOut"));
    double hubCpu = window.getDouble("hubCpuSeconds", -1.0);
    if (hubCpu >= 0 && deliveries > 0) {
      r.put("hubCpuMicrosPerDelivery", hubCpu * 1e6 / deliveries);
    }
    if (hubCpu >= 0 && pub.ok() > 0) {
      r.put("hubCpuMicrosPerPublish", hubCpu * 1e6 / pub.ok());
    }
    r.put("sendLagP99Ms", r.getJsonObject("publishes").getJsonObject("sendLag").getDouble("p99Ms"));
    // outOfOrder is informational: with several publisher connections the hub may accept publishes in
    // another order than they were scheduled, and it delivers them in its own order.
    r.put("ok", rep.getLong("lost") == 0 && rep.getLong("duplicates") == 0
        && rep.getLong("connectErrors") == 0 && rep.getLong("disconnects") == 0 && pub.refused() + pub.failed() == 0);
    return r;
  }

  /** A measured window: wall time, hub CPU, load-generator CPU. */
  private static final class Window {
    long wall;
    double hubCpu;
    long genCpu;
  }

  private Window begin() {
    Window w = new Window();
    w.hubCpu = probe.cpuSeconds();
    w.genCpu = genCpuNanos();
    w.wall = System.nanoTime();
    return w;
  }

  private JsonObject end(Window w) {
    double wall = (System.nanoTime() - w.wall) / 1e9;
    double hub = probe.cpuSeconds();
    long gen = genCpuNanos();
    JsonObject j = new JsonObject().put("wallSeconds", wall).put("genCpuSeconds", (gen - w.genCpu) / 1e9);
    if (hub >= 0 && w.hubCpu >= 0) {
      j.put("hubCpuSeconds", hub - w.hubCpu);
    }
    return j;
  }

  private long genCpuNanos() {
    long own = Main.ownCpuNanos();
    if (fleet.inProcess()) {
      return own;
    }
    return own + fleet.call(status()).getLong("cpuNanos");
  }

  private JsonObject hubSection(JsonObject results) {
    JsonObject h = new JsonObject().put("pid", o.has("hub-pid") ? Long.parseLong(o.str("hub-pid")) : null);
    if (probe.enabled()) {
      JsonObject now = probe.snapshot(false);
      h.put("rssBytes", now.getLong("rssBytes")).put("pssBytes", now.getLong("pssBytes"))
          .put("openFiles", now.getLong("openFiles")).put("threads", now.getLong("threads"))
          .put("processes", now.getInteger("processes")).put("cpuSecondsTotal", now.getDouble("cpuSeconds"));
    }
    return h;
  }

  private JsonObject generatorSection(JsonObject window, int procs, long wallStart, long ownCpuStart) {
    int machineCores = Runtime.getRuntime().availableProcessors();
    int genCores = o.integer("gen-cores") > 0 ? o.integer("gen-cores") : machineCores;
    double wall = window.getDouble("wallSeconds");
    double genCpu = window.getDouble("genCpuSeconds");
    JsonObject g = new JsonObject()
        .put("procs", procs)
        .put("eventLoopsPerProc", Main.eventLoops(o))
        .put("machineCores", machineCores)
        .put("genCores", genCores)
        .put("windowSeconds", wall)
        .put("cpuSeconds", genCpu)
        .put("utilisation", genCpu / (wall * genCores))
        .put("runSeconds", (System.nanoTime() - wallStart) / 1e9);
    Double hubCpu = window.getDouble("hubCpuSeconds");
    if (hubCpu != null) {
      g.put("hubCpuSeconds", hubCpu).put("hubUtilisation", hubCpu / (wall * machineCores))
          .put("machineUtilisation", (hubCpu + genCpu) / (wall * machineCores));
    }
    return g;
  }

  private JsonObject verdict(JsonObject results, JsonObject gen) {
    boolean limited = gen.getDouble("utilisation") >= 0.8;
    Double lag = results.getDouble("sendLagP99Ms");
    if (limited) {
      notes.add("limited by the load generator: it used " + Math.round(gen.getDouble("utilisation") * 100)
          + " % of its cores");
    }
    if (lag != null && lag > 100) {
      notes.add("publishes left late (send lag p99 " + Math.round(lag) + " ms): the publisher's connections"
          + " waited for the hub's answers, or the generator was busy; latencies include the wait"
          + " (coordinated-omission-safe)");
    }
    Double machine = gen.getDouble("machineUtilisation");
    boolean saturated = machine != null && machine >= 0.9;
    if (saturated) {
      notes.add("machine saturated: hub + generator used " + Math.round(machine * 100) + " % of all cores");
    }
    if (Boolean.TRUE.equals(results.getBoolean("drainTimedOut"))) {
      notes.add("some deliveries still missing when the drain wait ended");
    }
    return new JsonObject()
        .put("ok", results.getBoolean("ok", false))
        .put("limitedByLoadGenerator", limited)
        .put("machineSaturated", saturated)
        .put("label", limited ? "limited by the load generator" : saturated ? "machine saturated" : "")
        .put("notes", new JsonArray(new ArrayList<>(notes)));
  }

  // ---------------------------------------------------------------- utilities

  /** Numbers and booleans as JSON numbers and booleans, the rest as strings. */
  static Object typed(String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.valueOf(v);
    }
    try {
      return Long.valueOf(v);
    } catch (NumberFormatException e) {
      // not an integer
    }
    try {
      double d = Double.parseDouble(v);
      return Double.isFinite(d) && !v.endsWith("d") && !v.endsWith("f") ? d : v;
    } catch (NumberFormatException e) {
      return v;
    }
  }

  static long clampMicros(long nanos) {
    return Math.max(1, Math.min(3_600_000_000L, nanos / 1000));
  }

  /** Percentiles of a microsecond histogram, in milliseconds. */
  static JsonObject pct(Histogram h) {
    JsonObject j = new JsonObject().put("count", h.getTotalCount());
    if (h.getTotalCount() == 0) {
      return j;
    }
    return j.put("p50Ms", h.getValueAtPercentile(50) / 1000.0)
        .put("p90Ms", h.getValueAtPercentile(90) / 1000.0)
        .put("p99Ms", h.getValueAtPercentile(99) / 1000.0)
        .put("p999Ms", h.getValueAtPercentile(99.9) / 1000.0)
        .put("maxMs", h.getMaxValue() / 1000.0)
        .put("meanMs", Math.round(h.getMean()) / 1000.0);
  }

  static void sleep(double seconds) {
    if (seconds <= 0) {
      return;
    }
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
