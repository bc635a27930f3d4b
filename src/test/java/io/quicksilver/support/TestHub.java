package io.quicksilver.support;

import io.quicksilver.Hub;
import io.quicksilver.config.ConfigLoader;
import io.quicksilver.config.HubConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real hub started in-process on a free port, configured like production through the environment
 * names (no config file). Close it after use.
 */
public final class TestHub implements AutoCloseable {

  /** HS256 secret of publisher tokens in tests. */
  public static final String PUBLISHER_KEY = "test-publisher-secret-that-is-long-enough";
  /** HS256 secret of subscriber tokens in tests. */
  public static final String SUBSCRIBER_KEY = "test-subscriber-secret-that-is-long-enough";

  private final Hub hub;

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
    env.putAll(overrides);
    return env;
  }

  /** Starts a hub with the base environment. */
  public static TestHub start() {
    return start(Map.of());
  }

  /** Starts a hub with the base environment plus overrides (environment variable names). */
  public static TestHub start(Map<String, String> overrides) {
    HubConfig config = ConfigLoader.load(baseEnv(overrides), null);
    try {
      return new TestHub(Hub.start(config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("hub did not start", e);
    }
  }

  public int port() {
    return hub.port();
  }

  /** {@code http://127.0.0.1:<port><pathAndQuery>}. */
  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  /** The hub URL {@code /.well-known/mercure} followed by {@code query} (which starts with {@code ?} or is empty). */
  public URI hub(String query) {
    return uri("/.well-known/mercure" + query);
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
