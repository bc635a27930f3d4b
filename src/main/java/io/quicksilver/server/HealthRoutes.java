package io.quicksilver.server;

import io.quicksilver.http.FailureHandler;
import io.quicksilver.metrics.HubMetrics;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (the cluster is joined, every JWK Set was read, the node
 * is not draining; the store's state reported) and {@code /metrics} (Prometheus text, optionally behind a bearer token).
 */
public final class HealthRoutes {

  private HealthRoutes() {
  }

  /**
   * Mounts the probes. Readiness says what this node can serve: it fails while the node drains or (clustered)
   * has not joined the cluster; an unreachable store (Redis) leaves it ready, reported as degraded (publishing
   * and history replay fail, open and new live streams work), unless {@code requireStore} makes it fail too.
   */
  public static void mountProbes(Router router, HubServices services, boolean clustered, boolean requireStore) {
    router.get("/healthz").handler(ctx -> json(ctx.response(), 200, new JsonObject().put("status", "UP")));
    router.get("/readyz").handler(ctx -> {
      boolean store = services.store().ready();
      boolean cluster = !clustered || services.clusterSize().getAsInt() > 0;
      boolean draining = services.draining().get();
      boolean keys = services.keys().ready();
      boolean ready = (store || !requireStore) && cluster && keys && !draining;
      JsonObject body = new JsonObject()
          .put("status", !ready ? "DOWN" : store ? "UP" : "DEGRADED")
          .put("checks", new JsonObject()
              .put("store", store ? "UP" : "DOWN")
              .put("cluster", cluster ? "UP" : "DOWN")
              .put("keys", keys ? "UP" : "DOWN")
              .put("draining", draining));
      if (ready && !store) {
        body.put("degraded", new JsonArray()
            .add("publish: the history store is unreachable; publishes answer 503")
            .add("replay: reconnections with a Last-Event-ID cannot be answered from history"));
      }
      json(ctx.response(), ready ? 200 : 503, body);
    });
  }

  /** Mounts {@code /metrics}; with a non-empty token, requests must carry it as a bearer token. */
  public static void mountMetrics(Router router, HubMetrics metrics, String token) {
    router.get("/metrics").handler(ctx -> metrics(ctx, metrics, token));
  }

  private static void metrics(RoutingContext ctx, HubMetrics metrics, String token) {
    if (!token.isEmpty()) {
      String header = ctx.request().getHeader("Authorization");
      byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
      if (!MessageDigest.isEqual(given, ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        FailureHandler.respond(ctx.response(), 401, "metrics need the configured bearer token");
        return;
      }
    }
    ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(metrics.scrape());
  }

  static void json(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
