package io.quicksilver;

import io.quicksilver.bus.Codecs;
import io.quicksilver.config.HubConfig;
import io.quicksilver.history.EventStore;
import io.quicksilver.history.InMemoryEventStore;
import io.quicksilver.http.HubHttpVerticle;
import io.quicksilver.publish.PublisherVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A running hub: Vert.x, the event store and the verticles, started in order by {@link #start}.
 * Tests start hubs in-process with this class; {@link Main} starts one for the command line.
 */
public final class Hub {

  private final Vertx vertx;
  private final EventStore store;
  private final int port;

  private Hub(Vertx vertx, EventStore store, int port) {
    this.vertx = vertx;
    this.store = store;
    this.port = port;
  }

  /** Starts a standalone hub. */
  public static Future<Hub> start(HubConfig config) {
    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    return start(vertx, config, loops).onFailure(err -> vertx.close());
  }

  /** Deploys the hub on a Vert.x instance, with {@code instances} HTTP verticles. */
  public static Future<Hub> start(Vertx vertx, HubConfig config, int instances) {
    Codecs.register(vertx);
    EventStore store = new InMemoryEventStore(config.history().size());
    List<HubHttpVerticle> http = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(new PublisherVerticle(store), new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP))
        .compose(id -> vertx.deployVerticle(() -> {
          HubHttpVerticle v = new HubHttpVerticle(config, store);
          http.add(v);
          return v;
        }, new DeploymentOptions().setInstances(instances)))
        .map(id -> new Hub(vertx, store, http.get(0).actualPort()));
  }

  /** The port the hub listens on. */
  public int port() {
    return port;
  }

  /** The Vert.x instance the hub runs on. */
  public Vertx vertx() {
    return vertx;
  }

  /** Stops the hub and its Vert.x instance. */
  public Future<Void> close() {
    return vertx.close().compose(v -> store.close());
  }
}
