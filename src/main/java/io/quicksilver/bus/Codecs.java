package io.quicksilver.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/** Registers the hub's message codecs, once per Vert.x instance, before any verticle is deployed. */
public final class Codecs {

  private Codecs() {
  }

  /** Registers the codecs; calling it again on the same Vert.x instance does nothing. */
  public static synchronized void register(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    try {
      bus.registerDefaultCodec(StoredUpdate.class, new StoredUpdateCodec());
      bus.registerDefaultCodec(PublishCommand.class, new LocalCodec<>(PublishCommand.class));
    } catch (IllegalStateException alreadyRegistered) {
      // registered by an earlier call on this instance
    }
  }
}
