package io.quicksilver.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/** A Redis server of the test's own, a Vert.x instance and a client of that server on it, closed in reverse order. */
public final class RedisFixture implements AutoCloseable {

  private final RedisServer server;
  private final Vertx vertx;
  private final Redis redis;

  private RedisFixture(RedisServer server, Vertx vertx, Redis redis) {
    this.server = server;
    this.vertx = vertx;
    this.redis = redis;
  }

  /** Starts a server and a client made by {@code client} (from the Vert.x instance and the server's URL). */
  public static RedisFixture start(BiFunction<Vertx, String, Redis> client) {
    RedisServer server = RedisServer.start();
    Vertx vertx = Vertx.vertx();
    return new RedisFixture(server, vertx, client.apply(vertx, server.url()));
  }

  public Redis client() {
    return redis;
  }

  /** The result of a client call, waited for at most 10 s. */
  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      redis.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      server.close();
    }
  }
}
