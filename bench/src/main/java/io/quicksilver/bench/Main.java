package io.quicksilver.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Entry point: {@code java -jar quicksilver-bench.jar --scenario broadcast --hub URL ...}.
 *
 * <p>Prints ONE JSON line on stdout (scenario, parameters, results) and a human summary on stderr. With
 * {@code --procs N}, forks N child JVMs that hold the subscribers ({@link ChildFleet}); this process
 * publishes and coordinates.
 */
public final class Main {

  /** Bound on closing a client, a fleet or a Vert.x instance. */
  static final long CLOSE_BOUND_SECONDS = 60;

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        System.out.print(Options.help());
        return;
      }
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(Options.help());
      System.exit(2);
      return;
    }
    if (options.has("child-index")) {
      child(options);
      System.exit(0);
      return;
    }
    JsonObject result = run(options);
    String line = result.encode();
    System.out.println(line);
    System.out.flush();
    if (options.has("out")) {
      Files.writeString(Path.of(options.str("out")), line + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
    if (!options.bool("quiet")) {
      System.err.print(Summary.human(result));
    }
    System.exit(0);
  }

  /** Runs one scenario and returns its JSON result (the harness API used by the tests). */
  public static JsonObject run(Options options) {
    Vertx vertx = vertx(options);
    try {
      return new Scenarios(vertx, options).run();
    } finally {
      await(vertx.close(), CLOSE_BOUND_SECONDS, "closing Vert.x");
    }
  }

  static Vertx vertx(Options options) {
    int loops = eventLoops(options);
    return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(false)
        .setBlockedThreadCheckInterval(10_000));
  }

  static int eventLoops(Options options) {
    int n = options.integer("event-loops");
    return n > 0 ? n : Runtime.getRuntime().availableProcessors();
  }

  /** The global subscriber numbers process {@code k} of {@code n} holds. */
  static int[] share(int subscribers, int k, int n) {
    int count = subscribers / n + (k < subscribers % n ? 1 : 0);
    int[] out = new int[count];
    for (int i = 0, s = k; s < subscribers; s += n, i++) {
      out[i] = s;
    }
    return out;
  }

  /** The source addresses process {@code k} of {@code n} uses. */
  static List<String> addressShare(List<String> all, int k, int n) {
    List<String> out = new ArrayList<>();
    if (all.isEmpty()) {
      return out;
    }
    if (all.size() < n) {
      out.add(all.get(k % all.size()));
      return out;
    }
    for (int i = k; i < all.size(); i += n) {
      out.add(all.get(i));
    }
    return out;
  }

  /** Child mode: builds its share of the subscribers, then serves commands from stdin. */
  private static void child(Options options) throws IOException {
    int k = options.integer("child-index");
    int n = options.integer("child-count");
    PrintStream out = System.out;
    System.setOut(System.err); // only protocol lines on stdout
    Vertx vertx = vertx(options);
    Scenarios.Plan plan = Scenarios.plan(options);
    SubscriberFleet fleet = new SubscriberFleet(vertx, options, plan.layout, share(plan.layout.subscribers, k, n),
        addressShare(Options.addresses(options.str("source-addresses")), k, n), plan.trackedTopic,
        plan.trackedCapacity, eventLoops(options));
    out.println("@@" + new JsonObject().put("ready", true).put("subscribers", fleet.size()).encode());
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      JsonObject cmd = new JsonObject(line);
      if ("exit".equals(cmd.getString("cmd"))) {
        break;
      }
      if (cmd.containsKey("acceptedFile")) {
        cmd.put("accepted", new JsonObject(Files.readString(Path.of(cmd.getString("acceptedFile")))));
      }
      JsonObject answer;
      try {
        answer = await(fleet.handle(cmd), Fleet.boundSeconds(cmd, fleet.size()), "child " + k + ": " + cmd.getString("cmd"));
      } catch (RuntimeException e) {
        answer = new JsonObject().put("error", "child " + k + ": " + e);
      }
      out.println("@@" + answer.encode());
      out.flush();
    }
    try {
      await(fleet.close(), CLOSE_BOUND_SECONDS, "child " + k + ": closing its subscribers");
    } finally {
      await(vertx.close(), CLOSE_BOUND_SECONDS, "child " + k + ": closing Vert.x");
    }
  }

  /**
   * Blocks until the future completes, at most {@code seconds} (never call on an event loop). Every wait of
   * the harness goes through here with a bound past which the run is stuck rather than slow: it then fails
   * with {@code what} in its message instead of hanging.
   */
  public static <T> T await(Future<T> f, long seconds, String what) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + ": not done within " + seconds + " s (the harness is stuck)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + ": interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** CPU time of this JVM in nanoseconds. */
  public static long ownCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    return -1;
  }

  static String publisherToken(Options o) {
    if (o.has("token")) {
      return o.str("token");
    }
    if (o.has("publisher-key")) {
      return Jwt.hs256(o.str("publisher-key"), "publish");
    }
    return null;
  }

  static String subscriberToken(Options o) {
    if (o.has("subscriber-token")) {
      return o.str("subscriber-token");
    }
    if (o.has("subscriber-key")) {
      return Jwt.hs256(o.str("subscriber-key"), "subscribe");
    }
    return null;
  }
}
