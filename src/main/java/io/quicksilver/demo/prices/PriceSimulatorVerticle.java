package io.quicksilver.demo.prices;

import io.quicksilver.api.HubApi;
import io.quicksilver.config.HubConfig;
import io.quicksilver.demo.lease.SingletonLease;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.mercure.Update;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
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

  private static final Logger LOG = LoggerFactory.getLogger(PriceSimulatorVerticle.class);

  /** How far back in the history a take-over looks for each symbol's last tick. */
  private static final int RESUME_WINDOW = 1000;

  private final HubApi hub;
  private final HubConfig.Demo demo;
  private PriceModel model;
  private SingletonLease lease;
  private long timer = -1;
  private boolean publishing;

  /**
   * @param hub the hub: its publisher, its history (the last ticks are read back from it on take-over) and its
   *            Redis for the lease (without Redis, always active)
   */
  public PriceSimulatorVerticle(HubApi hub, HubConfig.Demo demo) {
    this.hub = hub;
    this.demo = demo;
  }

  @Override
  public Future<?> start() {
    model = new PriceModel(demo.symbols(), demo.volatility(), demo.seed());
    lease = new SingletonLease(vertx, hub.redis(), hub.redisKey("lease:simulator"), 3000, this::leading);
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
    return hub.latest(RESUME_WINDOW).<Void>map(updates -> {
      for (Update u : updates) {
        JsonObject tick = PriceTicks.read(demo, u);
        if (tick != null) {
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
    PublishRequest request = new PublishRequest(List.of(PriceTicks.topic(demo, t.symbol())), null, PriceTicks.toJson(t).encode(),
        false, PriceTicks.EVENT_TYPE, null);
    return hub.publish(request)
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
}
