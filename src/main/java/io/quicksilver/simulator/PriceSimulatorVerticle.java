package io.quicksilver.simulator;

import io.quicksilver.cluster.SingletonLease;
import io.quicksilver.config.HubConfig;
import io.quicksilver.history.RedisEventStore;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.publish.LocalPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's stock prices: a seeded random walk per symbol, published through the normal publish path as
 * public updates on {@code <publicUrl>/stocks/<SYMBOL>} with {@code event: stock_update}.
 *
 * <p>Deployed on every node, active on one: it runs while it holds the cluster-wide lease
 * ({@link SingletonLease}). With Redis, the last price and tick number of every symbol are kept there, so
 * a node that takes over continues the series instead of starting a new one.
 */
public final class PriceSimulatorVerticle extends VerticleBase {

  /** The SSE event type of price updates. */
  public static final String EVENT_TYPE = "stock_update";

  private static final Logger LOG = LoggerFactory.getLogger(PriceSimulatorVerticle.class);

  private final HubConfig.Demo demo;
  private final Redis redis;
  private final String stateKey;
  private final String leaseKey;
  private PriceModel model;
  private SingletonLease lease;
  private long timer = -1;

  /**
   * @param redis  the hub's Redis, or null (standalone: always active, state in memory)
   * @param prefix the Redis key prefix
   */
  public PriceSimulatorVerticle(HubConfig.Demo demo, Redis redis, String prefix) {
    this.demo = demo;
    this.redis = redis;
    this.stateKey = RedisEventStore.key(prefix, "prices");
    this.leaseKey = RedisEventStore.key(prefix, "lease:simulator");
  }

  /** The topic of a symbol. */
  public static String topic(HubConfig.Demo demo, String symbol) {
    return demo.publicUrl() + "/stocks/" + symbol;
  }

  @Override
  public Future<?> start() {
    model = new PriceModel(demo.symbols(), demo.volatility(), demo.seed());
    lease = new SingletonLease(vertx, redis, leaseKey, 3000, this::leading);
    lease.start();
    return Future.succeededFuture();
  }

  private void leading(boolean lead) {
    vertx.cancelTimer(timer);
    timer = -1;
    if (!lead) {
      return;
    }
    restoreState().onComplete(ar -> {
      LOG.info("price simulator active: {} every {}", demo.symbols(), demo.interval());
      timer = vertx.setPeriodic(demo.interval().toMillis(), id -> tick());
    });
  }

  private Future<Void> restoreState() {
    if (redis == null) {
      return Future.succeededFuture();
    }
    return redis.send(Request.cmd(Command.HGETALL).arg(stateKey)).<Void>map(r -> {
      for (String symbol : r.getKeys()) {
        JsonObject last = new JsonObject(r.get(symbol).toString());
        model.resume(symbol, last.getDouble("price"), last.getLong("sequence"));
      }
      return null;
    }).otherwiseEmpty();
  }

  private void tick() {
    long now = System.currentTimeMillis();
    for (String symbol : model.symbols()) {
      PriceModel.Tick t = model.next(symbol, now);
      JsonObject json = new JsonObject()
          .put("symbol", t.symbol()).put("price", t.price()).put("change", t.change())
          .put("changePercent", t.changePercent()).put("timestamp", t.timestamp()).put("sequence", t.sequence());
      PublishRequest request = new PublishRequest(List.of(topic(demo, symbol)), null, json.encode(), false, EVENT_TYPE, null);
      LocalPublisher.publish(vertx, request)
          .onSuccess(id -> saveState(symbol, json))
          .onFailure(err -> LOG.debug("price tick not published: {}", err.getMessage()));
    }
  }

  private void saveState(String symbol, JsonObject tick) {
    if (redis != null) {
      redis.send(Request.cmd(Command.HSET).arg(stateKey).arg(symbol).arg(tick.encode()));
    }
  }

  @Override
  public Future<?> stop() {
    lease.stop();
    return Future.succeededFuture();
  }

  /** Parses a price update's data, or null when it is not one. */
  public static JsonObject parseTick(String data) {
    try {
      JsonObject json = new JsonObject(data);
      return json.containsKey("symbol") && json.getValue("price") instanceof Number ? json : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
