package io.quicksilver.server;

import io.quicksilver.config.HubConfig;
import io.quicksilver.http.ConnectionGuard;
import io.quicksilver.metrics.HubMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;

/** Serves {@code /metrics} on its own port ({@code metrics.port}), away from the public one. */
public final class MetricsVerticle extends VerticleBase {

  private final HubConfig config;
  private final HubMetrics metrics;

  public MetricsVerticle(HubConfig config, HubMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    HealthRoutes.mountMetrics(router, metrics, config.ops().metricsToken());
    return vertx.createHttpServer().requestHandler(request -> {
      ConnectionGuard.secure(request.response());
      router.handle(request);
    }).listen(config.ops().metricsPort(), config.http().host());
  }
}
