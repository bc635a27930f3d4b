package io.quicksilver.demo;

import io.quicksilver.api.HubApi;
import io.quicksilver.api.StreamOpener;
import io.quicksilver.config.HubConfig;
import io.quicksilver.demo.alerts.AlertStore;
import io.quicksilver.demo.alerts.AlertsVerticle;
import io.quicksilver.demo.prices.PriceSimulatorVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;

/**
 * The demo of one node, deployed or not as one unit: {@link #deploy} starts the price simulator and the alerts
 * watcher, {@link #mount} adds the pages and the API to a router. It sees the hub through {@link HubApi} only. What
 * the routes of every HTTP instance share lives here: the alerts (in the hub's Redis when it has one, so every node
 * sees them), the login sessions and the login throttle. Thread-safe.
 */
public final class Demo {

  /** How long a login session lasts. */
  private static final Duration SESSION_LIFETIME = Duration.ofHours(12);

  private final Vertx vertx;
  private final HubApi hub;
  private final HubConfig.Demo config;
  private final AlertStore alerts;
  private final Sessions sessions;
  private final LoginThrottle logins;

  /**
   * @param config the demo's configuration (enabled)
   */
  public Demo(Vertx vertx, HubApi hub, HubConfig.Demo config) {
    this.vertx = vertx;
    this.hub = hub;
    this.config = config;
    this.alerts = hub.redis() == null ? AlertStore.inMemory() : AlertStore.redis(hub.redis(), hub.redisKey("alerts"));
    this.sessions = new Sessions(vertx, config.sessionSecret(), SESSION_LIFETIME);
    this.logins = new LoginThrottle(Clock.systemUTC());
  }

  /** Deploys the price simulator, then the alerts watcher; both stop when Vert.x undeploys them. */
  public Future<Void> deploy() {
    return vertx.deployVerticle(new PriceSimulatorVerticle(hub, config))
        .compose(id -> vertx.deployVerticle(new AlertsVerticle(hub, config, alerts)))
        .mapEmpty();
  }

  /**
   * Adds the demo's routes and static pages; called by each HTTP instance on its own router.
   *
   * @param streams opens the stock streams on that instance
   */
  public void mount(Router router, StreamOpener streams) {
    new DemoRoutes(vertx, hub, config, alerts, sessions, logins, streams).mount(router);
  }
}
