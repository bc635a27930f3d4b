package io.quicksilver.bench;

import io.vertx.core.json.JsonObject;

/** The subscribers in this process. */
public final class LocalFleet implements Fleet {

  private final SubscriberFleet fleet;

  public LocalFleet(SubscriberFleet fleet) {
    this.fleet = fleet;
  }

  @Override
  public JsonObject call(JsonObject cmd) {
    return Main.await(fleet.handle(cmd), Fleet.boundSeconds(cmd, fleet.size()), "subscribers: " + cmd.getString("cmd"));
  }

  @Override
  public boolean inProcess() {
    return true;
  }

  @Override
  public void close() {
    Main.await(fleet.close(), Main.CLOSE_BOUND_SECONDS, "closing the subscribers");
  }
}
