package io.quicksilver.demo.alerts;

import io.quicksilver.api.HubApi;
import io.quicksilver.config.HubConfig;
import io.quicksilver.demo.lease.SingletonLease;
import io.quicksilver.demo.prices.PriceTicks;
import io.quicksilver.mercure.PublishRequest;
import io.quicksilver.mercure.Update;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches prices and fires the users' price alerts: a private update with {@code event: price_alert} on the
 * owner's alerts topic, {@code <publicUrl>/users/<id>/alerts}. An alert fires once; removing it from the
 * {@link AlertStore} first guarantees that, even with several nodes. Prices are followed
 * ({@link HubApi#follow}) like subscriber streams read updates: every tick once, in order, a lost bus message filled
 * from the history (a tick the history no longer holds is skipped, and logged).
 *
 * <p>Like the simulator, deployed on every node and active on the one holding its lease.
 */
public final class AlertsVerticle extends VerticleBase {

  /** The SSE event type of a fired alert. */
  public static final String EVENT_TYPE = "price_alert";

  private static final Logger LOG = LoggerFactory.getLogger(AlertsVerticle.class);

  private final HubApi hub;
  private final HubConfig.Demo demo;
  private final AlertStore alerts;
  private SingletonLease lease;
  private HubApi.Following prices;

  /**
   * @param hub the hub: its updates, its publisher and its Redis for the lease (without Redis, always active)
   */
  public AlertsVerticle(HubApi hub, HubConfig.Demo demo, AlertStore alerts) {
    this.hub = hub;
    this.demo = demo;
    this.alerts = alerts;
  }

  /** A user's alerts topic. */
  public static String topic(HubConfig.Demo demo, String userId) {
    return demo.publicUrl() + "/users/" + userId + "/alerts";
  }

  @Override
  public Future<?> start() {
    lease = new SingletonLease(vertx, hub.redis(), hub.redisKey("lease:alerts"), 3000, this::leading);
    lease.start();
    return Future.succeededFuture();
  }

  private void leading(boolean lead) {
    if (lead && prices == null) {
      prices = hub.follow(this::onUpdate,
          cause -> LOG.warn("price ticks may have been missed ({}): alerts are checked again from the next tick", cause));
    } else if (!lead && prices != null) {
      prices.stop();
      prices = null;
    }
  }

  private void onUpdate(Update update) {
    JsonObject tick = PriceTicks.read(demo, update);
    if (tick == null) {
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
    hub.publish(request)
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
