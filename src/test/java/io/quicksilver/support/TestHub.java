package io.quicksilver.support;

import io.quicksilver.config.ConfigLoader;
import io.quicksilver.config.HubConfig;
import io.quicksilver.server.Hub;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real hub started in-process on a free port, configured like production through the environment
 * names (no config file). Close it after use; {@link HubExtension} starts and stops one per test class.
 *
 * <p>Its event loops run with a low limit ({@value #MAX_EVENT_LOOP_MILLIS} ms): a task that holds one longer is
 * recorded ({@link #takeBlockedEvents()}) instead of only logged, and {@link HubExtension} fails the test during
 * which it happened. A task caught loading or linking classes (the first use of a library, slow on a busy machine)
 * is not counted: that happens once per run whatever the code does.
 */
public final class TestHub implements HubEndpoint, AutoCloseable {

  /** HS256 secret of publisher tokens in tests. */
  public static final String PUBLISHER_KEY = "test-publisher-secret-that-is-long-enough";
  /** HS256 secret of subscriber tokens in tests. */
  public static final String SUBSCRIBER_KEY = "test-subscriber-secret-that-is-long-enough";
  /** The longest an event-loop task may run in a test hub before it counts as blocking. */
  public static final long MAX_EVENT_LOOP_MILLIS = 500;

  private final Hub hub;
  private final List<String> blocked = new ArrayList<>();

  private TestHub(Hub hub) {
    this.hub = hub;
  }

  /** The environment every test hub starts from; {@code overrides} win. */
  public static Map<String, String> baseEnv(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("QS_HTTP_HOST", "127.0.0.1");
    env.put("QS_HTTP_PORT", "0");
    env.put("MERCURE_PUBLISHER_JWT_KEY", PUBLISHER_KEY);
    env.put("MERCURE_SUBSCRIBER_JWT_KEY", SUBSCRIBER_KEY);
    env.put("QS_ANONYMOUS", "true");
    env.put("QS_DEMO", "false");
    env.put("QS_WARM_UP", "0"); // processes start at once; WarmUpTest and DeployedProcessTest check the warm-up
    // the suite runs on the default transport (io_uring where the kernel allows it); -Dqs.test.transport=nio runs it on NIO
    env.put("QS_TRANSPORT", System.getProperty("qs.test.transport", "auto"));
    env.putAll(overrides);
    env.values().removeIf(v -> v == null);
    return env;
  }

  /** Starts a hub with the base environment. */
  public static TestHub start() {
    return start(Map.of());
  }

  /** Starts a hub with the base environment plus overrides (environment variable names). */
  public static TestHub start(Map<String, String> overrides) {
    return start(overrides, MAX_EVENT_LOOP_MILLIS);
  }

  /** Starts a hub whose event-loop tasks may run up to {@code maxEventLoopMillis} before they count as blocking. */
  public static TestHub start(Map<String, String> overrides, long maxEventLoopMillis) {
    HubConfig config = ConfigLoader.load(baseEnv(overrides), null);
    try {
      Hub hub = Hub.start(config, options -> strict(options, maxEventLoopMillis)).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      TestHub testHub = new TestHub(hub);
      ((VertxInternal) hub.vertx()).blockedThreadChecker().setThreadBlockedHandler(testHub::blocked);
      return testHub;
    } catch (Exception e) {
      throw new IllegalStateException("hub did not start", e);
    }
  }

  /** A low blocked-thread limit, checked often. */
  private static void strict(VertxOptions options, long maxEventLoopMillis) {
    options.setMaxEventLoopExecuteTime(maxEventLoopMillis).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
  }

  private void blocked(io.vertx.core.internal.threadchecker.BlockedThreadEvent event) {
    if (!event.thread().getName().startsWith("vert.x-eventloop")) {
      return; // worker threads may block: that is what they are for
    }
    StackTraceElement[] stack = event.thread().getStackTrace();
    if (Arrays.stream(stack).limit(16).anyMatch(TestHub::linking)) {
      return; // the JVM loading or linking a class on its first use: once per run, not the code under test blocking
    }
    String where = Arrays.stream(stack).limit(12).map(e -> "    at " + e).collect(Collectors.joining("\n"));
    synchronized (blocked) {
      blocked.add(event.thread().getName() + " blocked for " + event.duration() / 1_000_000 + " ms\n" + where);
    }
  }

  private static boolean linking(StackTraceElement frame) {
    String at = frame.getClassName() + "." + frame.getMethodName();
    return at.startsWith("java.lang.ClassLoader.") || at.startsWith("jdk.internal.loader.") || at.startsWith("java.lang.invoke.MethodHandleNatives.")
        || at.startsWith("java.lang.invoke.InnerClassLambdaMetafactory.") || at.equals("java.lang.Class.forName0");
  }

  /** The event-loop blockings recorded since the last call, and forgets them. */
  public List<String> takeBlockedEvents() {
    synchronized (blocked) {
      List<String> out = List.copyOf(blocked);
      blocked.clear();
      return out;
    }
  }

  @Override
  public int port() {
    return hub.port();
  }

  public Hub hub() {
    return hub;
  }

  @Override
  public void close() {
    try {
      hub.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("hub did not stop", e);
    }
  }
}
