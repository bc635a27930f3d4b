package io.quicksilver.publish;

import io.quicksilver.support.TestHub;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A hub shared by a test class, with a {@link Watcher} that proves what was (not) dispatched. Subclasses
 * call {@link #open} from their {@code @BeforeAll}.
 */
abstract class WatchedHubTest {

  protected static TestHub hub;
  protected static Watcher watcher;

  /** Starts the class's hub with these environment overrides, and its watcher. */
  protected static void open(Map<String, String> env) {
    hub = TestHub.start(env);
    watcher = Watcher.open(hub);
  }

  @AfterAll
  static void stop() {
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
    if (hub != null) {
      hub.close();
      hub = null;
    }
  }

  @BeforeEach
  void sync() {
    watcher.sync();
  }
}
