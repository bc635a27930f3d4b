package io.quicksilver.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;



/** The test hub extension: one hub for the class, given to parameters, and a test that blocks an event loop fails. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class HubExtensionTest {

  @RegisterExtension
  static final HubExtension hub = HubExtension.withEnv(Map.of("QS_ANONYMOUS", "false"));

  /** Verifies that the hub runs with the class's environment and is given to parameters of each type. */
  @Test
  void hubGivenToParameters(TestHub testHub, HubEndpoint endpoint, HubExtension extension) {
    assertEquals(hub.port(), testHub.port());
    assertEquals(hub.port(), endpoint.port());
    assertEquals(hub, extension);
    assertEquals(401, Http.get(hub.hub("?topic=x"), Map.of()).statusCode(), "QS_ANONYMOUS=false applies");
  }

  /**
   * Verifies that a task holding one of the hub's event loops longer than the limit is recorded with its stack, and
   * that the check the extension runs after each test fails on it (the record is consumed here, so this test passes).
   */
  @Test
  void blockingAnEventLoopFailsTheCheck(VertxTestContext test) {
    Vertx vertx = hub.running().vertx();
    Checkpoint blocked = test.checkpoint();
    vertx.runOnContext(v -> {
      try {
        Thread.sleep(TestHub.MAX_EVENT_LOOP_MILLIS + 400);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      blocked.flag();
    });
    Await.until(() -> test.completed(), done -> done, Duration.ofSeconds(10), done -> "the blocking task did not end");
    AssertionError failure = assertThrows(AssertionError.class, () -> hub.failIfBlocked("this test"));
    assertTrue(failure.getMessage().contains("Thread.sleep"), failure.getMessage());
    hub.failIfBlocked("after the check"); // consumed: nothing left for the extension's own check
  }
}
