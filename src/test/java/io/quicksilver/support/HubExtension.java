package io.quicksilver.support;

import io.quicksilver.server.Hub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One test hub per test class: started before the class's first test, stopped after its last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HubExtension hub = HubExtension.withEnv(Map.of("QS_ANONYMOUS", "false"));
 * }</pre>
 *
 * <p>It is the hub's {@link HubEndpoint} ({@code hub.hub("?topic=…")}, {@code hub.uri("/healthz")}), and it is given to
 * {@code @BeforeAll} and test methods that declare a {@link HubEndpoint}, {@link HubExtension} or {@link TestHub}
 * parameter (a base class can open its clients on the hub its subclass registered). A test during
 * which one of the hub's event loops was blocked longer than {@link TestHub#MAX_EVENT_LOOP_MILLIS} fails, with the
 * blocked thread's stack, even when its assertions passed.
 */
public final class HubExtension implements HubEndpoint, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
    ParameterResolver {

  private final Map<String, String> env;
  private final long maxEventLoopMillis;
  private TestHub hub;

  private HubExtension(Map<String, String> env, long maxEventLoopMillis) {
    this.env = Map.copyOf(env);
    this.maxEventLoopMillis = maxEventLoopMillis;
  }

  /** A hub with the base environment ({@link TestHub#baseEnv}). */
  public static HubExtension standard() {
    return new HubExtension(Map.of(), TestHub.MAX_EVENT_LOOP_MILLIS);
  }

  /** A hub with the base environment plus these variables. */
  public static HubExtension withEnv(Map<String, String> env) {
    return new HubExtension(env, TestHub.MAX_EVENT_LOOP_MILLIS);
  }

  /**
   * The same hub, whose event-loop tasks may run this long before they count as blocking: for a class that
   * exercises work known to hold an event loop longer (say why where it is used), never to hide a blocking call.
   */
  public HubExtension tolerating(Duration longestTask) {
    return new HubExtension(env, longestTask.toMillis());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    hub = TestHub.start(env, maxEventLoopMillis);
    failIfBlocked("starting the hub");
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    failIfBlocked("before " + context.getDisplayName());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    failIfBlocked(context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (hub != null) {
      hub.close();
      hub = null;
    }
  }

  /** Fails when an event loop of the hub was blocked since the last check. */
  void failIfBlocked(String during) {
    List<String> events = hub.takeBlockedEvents();
    if (!events.isEmpty()) {
      throw new AssertionError("an event loop was blocked during " + during + ":\n" + String.join("\n", events));
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == HubEndpoint.class || type == HubExtension.class || type == TestHub.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestHub.class ? testHub() : this;
  }

  /** The running test hub. */
  public TestHub testHub() {
    if (hub == null) {
      throw new IllegalStateException("the hub runs only while the test class does");
    }
    return hub;
  }

  /** The hub itself (its Vert.x instance, its store). */
  public Hub running() {
    return testHub().hub();
  }

  @Override
  public int port() {
    return testHub().port();
  }
}
