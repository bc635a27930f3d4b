package io.quicksilver.simulator;

import io.quicksilver.cluster.SingletonLease;
import io.quicksilver.config.HubConfig;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.RedisEventStore;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.mercure.Update;
import io.quicksilver.publish.LocalPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's stock prices: a seeded random walk per symbol, published through the normal publish path as
 * public updates on {@code <publicUrl>/stocks/<SYMBOL>} with {@code event: stock_update}.
 *
 * <p>Deployed on every node, active on one: it runs while it holds the cluster-wide lease
 * ({@link SingletonLease}). A node that takes over (or a restarted hub with Redis) continues every symbol
 * from its last tick in the history, so the series goes on without a repeated or skipped tick number. The
 * ticks of one round are published one after the other, so the history holds each symbol's ticks in order;
 * a round that would start while the previous one is still being stored is skipped.
 */
public final class PriceSimulatorVerticle extends VerticleBase {

  /** The SSE event type of price updates. */
  public static final String EVENT_TYPE = "stock_update";

  private static final Logger LOG = LoggerFactory.getLogger(PriceSimulatorVerticle.class);

  /** How far back in the history a take-over looks for each symbol's last tick. */
  private static final int RESUME_WINDOW = 1000;

  private final HubConfig.Demo demo;
  private final EventStore store;
  private final Redis redis;
  private final String leaseKey;
  private PriceModel model;
  private SingletonLease lease;
  private long timer = -1;
  private boolean publishing;

  /**
   * @param store  the event store (the last ticks are read back from it on take-over)
   * @param redis  the hub's Redis for the lease, or null (standalone: always active)
   * @param prefix the Redis key prefix
   */
  public PriceSimulatorVerticle(HubConfig.Demo demo, EventStore store, Redis redis, String prefix) {
    this.demo = demo;
    this.store = store;
    this.redis = redis;
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

  /** Continues each symbol from its newest tick in the history (later ticks win). */
  private Future<Void> restoreState() {
    return store.latest(RESUME_WINDOW).<Void>map(updates -> {
      for (Update u : updates) {
        JsonObject tick = EVENT_TYPE.equals(u.type()) ? parseTick(u.data()) : null;
        if (tick != null && u.canonicalTopic().equals(topic(demo, tick.getString("symbol")))) {
          Number open = tick.getValue("open") instanceof Number n ? n : 0;
          model.resume(tick.getString("symbol"), tick.getDouble("price"), tick.getLong("sequence"), open.doubleValue());
        }
      }
      return null;
    }).otherwiseEmpty();
  }

  /**
   * One round: every symbol's next tick, published in turn. A symbol whose tick fails keeps its number.
   * Each tick is stamped when it is made, just before it is published, so that pages can show how long
   * its delivery took.
   */
  private void tick() {
    if (publishing) {
      return;
    }
    publishing = true;
    Future<Void> round = Future.succeededFuture();
    for (String symbol : model.symbols()) {
      round = round.compose(v -> {
        double previous = model.price(symbol);
        return publishTick(model.next(symbol, System.currentTimeMillis()), previous);
      });
    }
    round.onComplete(ar -> publishing = false);
  }

  private Future<Void> publishTick(PriceModel.Tick t, double previous) {
    JsonObject json = new JsonObject()
        .put("symbol", t.symbol()).put("price", t.price()).put("open", t.open()).put("change", t.change())
        .put("changePercent", t.changePercent()).put("timestamp", t.timestamp()).put("sequence", t.sequence());
    PublishRequest request = new PublishRequest(List.of(topic(demo, t.symbol())), null, json.encode(), false, EVENT_TYPE, null);
    return LocalPublisher.publish(vertx, request)
        .<Void>mapEmpty()
        .recover(err -> {
          LOG.debug("price tick not published: {}", err.getMessage());
          model.resume(t.symbol(), previous, t.sequence() - 1, t.open()); // the next round retries this number
          return Future.succeededFuture();
        });
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
