package io.quicksilver.publish;

import io.quicksilver.support.HubEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test class's hub with a {@link Watcher} that proves what was (not) dispatched. Subclasses register the hub
 * ({@code @RegisterExtension static final HubExtension HUB = HubExtension.withEnv(...)}); the watcher opens on it.
 */
abstract class WatchedHubTest {

  protected static HubEndpoint hub;
  protected static Watcher watcher;

  @BeforeAll
  static void watch(HubEndpoint registered) {
    hub = registered;
    watcher = Watcher.open(hub);
  }

  @AfterAll
  static void stop() {
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
    hub = null;
  }

  @BeforeEach
  void sync() {
    watcher.sync();
  }
}
