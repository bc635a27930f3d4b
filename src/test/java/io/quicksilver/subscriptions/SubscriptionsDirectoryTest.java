package io.quicksilver.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quicksilver.bus.Addresses;
import io.quicksilver.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The directory's lifecycle: it is a verticle, and undeploying it (as closing a hub does) stops all it runs. */
@Timeout(60)
class SubscriptionsDirectoryTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Future<JsonArray> ask(String node) {
    return vertx.eventBus().<JsonArray>request(Addresses.SUBSCRIPTIONS + "." + node, null).map(m -> m.body());
  }

  /**
   * Verifies that an undeployed directory no longer answers for its node and no longer checks the membership, while
   * another directory on the same Vert.x instance goes on: its membership checks, counted after the undeployment,
   * are the control that the undeployed one's timer would have fired by then.
   */
  @Test
  void undeployingStopsTheConsumersAndTheMembershipTimer() throws Exception {
    AtomicInteger checksA = new AtomicInteger();
    AtomicInteger checksB = new AtomicInteger();
    String a = await(vertx.deployVerticle(new SubscriptionsDirectory("a", () -> {
      checksA.incrementAndGet();
      return List.of("a");
    })));
    await(vertx.deployVerticle(new SubscriptionsDirectory("b", () -> {
      checksB.incrementAndGet();
      return List.of("b");
    })));
    assertEquals(new JsonArray(), await(ask("a")), "a deployed directory answers for its node");
    Await.until(checksA::get, n -> n > 0, Duration.ofSeconds(5), n -> "the membership was never checked");

    await(vertx.undeploy(a));
    int checksAfterUndeploy = checksA.get();
    int controlAfterUndeploy = checksB.get();
    Await.until(checksB::get, n -> n >= controlAfterUndeploy + 2, Duration.ofSeconds(10),
        n -> "the control directory stopped checking the membership");

    assertEquals(checksAfterUndeploy, checksA.get(), "the undeployed directory still checks the membership");
    ExecutionException refused = assertThrows(ExecutionException.class, () -> await(ask("a")));
    ReplyException reply = assertInstanceOf(ReplyException.class, refused.getCause());
    assertEquals(ReplyFailure.NO_HANDLERS, reply.failureType(), "the undeployed directory still answers");
    assertEquals(new JsonArray(), await(ask("b")), "the control directory answers");
  }
}
