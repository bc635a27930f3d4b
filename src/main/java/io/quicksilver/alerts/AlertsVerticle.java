package io.quicksilver.alerts;

import io.quicksilver.cluster.SingletonLease;
import io.quicksilver.config.HubConfig;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.RedisEventStore;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.mercure.Update;
import io.quicksilver.publish.LocalPublisher;
import io.quicksilver.simulator.PriceSimulatorVerticle;
import io.quicksilver.stream.UpdateFeed;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches prices and fires the users' price alerts: a private update with {@code event: price_alert} on the
 * owner's alerts topic, {@code <publicUrl>/users/<id>/alerts}. An alert fires once; removing it from the
 * {@link AlertStore} first guarantees that, even with several nodes. Prices are read through an
 * {@link UpdateFeed}, like subscriber streams: every tick once, in order, a lost bus message filled from the
 * history (a tick the history no longer holds is skipped, and logged).
 *
 * <p>Like the simulator, deployed on every node and active on the one holding its lease.
 */
public final class AlertsVerticle extends VerticleBase {

  /** The SSE event type of a fired alert. */
  public static final String EVENT_TYPE = "price_alert";

  private static final Logger LOG = LoggerFactory.getLogger(AlertsVerticle.class);

  private final HubConfig.Demo demo;
  private final AlertStore alerts;
  private final EventStore store;
  private final Redis redis;
  private final String leaseKey;
  private SingletonLease lease;
  private UpdateFeed prices;

  public AlertsVerticle(HubConfig.Demo demo, AlertStore alerts, EventStore store, Redis redis, String prefix) {
    this.demo = demo;
    this.alerts = alerts;
    this.store = store;
    this.redis = redis;
    this.leaseKey = RedisEventStore.key(prefix, "lease:alerts");
  }

  /** A user's alerts topic. */
  public static String topic(HubConfig.Demo demo, String userId) {
    return demo.publicUrl() + "/users/" + userId + "/alerts";
  }

  @Override
  public Future<?> start() {
    lease = new SingletonLease(vertx, redis, leaseKey, 3000, this::leading);
    lease.start();
    return Future.succeededFuture();
  }

  private void leading(boolean lead) {
    if (lead && prices == null) {
      prices = UpdateFeed.start(vertx, store, this::onUpdate,
          loss -> LOG.warn("price ticks may have been missed ({}): alerts are checked again from the next tick", loss.cause()));
    } else if (!lead && prices != null) {
      prices.stop();
      prices = null;
    }
  }

  private void onUpdate(Update update) {
    if (!PriceSimulatorVerticle.EVENT_TYPE.equals(update.type())) {
      return;
    }
    JsonObject tick = PriceSimulatorVerticle.parseTick(update.data());
    if (tick == null || !update.canonicalTopic().equals(PriceSimulatorVerticle.topic(demo, tick.getString("symbol")))) {
      return;
    }
    String symbol = tick.getString("symbol");
    double price = tick.getDouble("price");
    alerts.all().onSuccess(all -> {
      for (Alert alert : all) {
        if (alert.symbol().equals(symbol) && alert.firedBy(price)) {
          alerts.remove(alert.id()).onSuccess(removed -> {
            if (removed) {
              fire(alert, price, tick.getLong("timestamp"));
            }
          });
        }
      }
    });
  }

  private void fire(Alert alert, double price, long timestamp) {
    JsonObject data = new JsonObject()
        .put("alertId", alert.id()).put("symbol", alert.symbol())
        .put("direction", alert.above() ? "above" : "below").put("threshold", alert.threshold())
        .put("price", price).put("timestamp", timestamp);
    PublishRequest request = new PublishRequest(List.of(topic(demo, alert.userId())), null, data.encode(), true, EVENT_TYPE, null);
    LocalPublisher.publish(vertx, request)
        .onSuccess(id -> LOG.debug("alert {} fired", alert.id()))
        .onSuccess(id -> alerts.recordFired(alert.userId(), data.copy().put("id", id))
            .onFailure(err -> LOG.warn("alert {} fired but is not kept for later pages ({})", alert.id(), err.getMessage())))
        .onFailure(err -> {
          LOG.warn("alert {} fired but could not be published ({}); it is restored", alert.id(), err.getMessage());
          alerts.add(alert);
        });
  }

  @Override
  public Future<?> stop() {
    lease.stop();
    return prices == null ? Future.succeededFuture() : prices.stop();
  }
}
