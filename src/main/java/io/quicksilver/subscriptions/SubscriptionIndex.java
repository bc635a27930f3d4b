package io.quicksilver.subscriptions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The active subscriptions of one node, shared by its verticle instances. Thread-safe. */
public final class SubscriptionIndex {

  private final ConcurrentHashMap<String, Subscription> active = new ConcurrentHashMap<>();

  public void add(Subscription s) {
    active.put(s.id(), s);
  }

  public void remove(Subscription s) {
    active.remove(s.id());
  }

  /** This node's active subscriptions. */
  public Collection<Subscription> all() {
    return List.copyOf(active.values());
  }

  /** This node's subscriptions as JSON (what a node answers when asked by another). */
  public JsonArray toJson() {
    JsonArray out = new JsonArray();
    for (Subscription s : active.values()) {
      out.add(s.toJson());
    }
    return out;
  }

  /** Reads what another node answered. */
  public static List<Subscription> fromJson(JsonArray array) {
    List<Subscription> out = new ArrayList<>(array.size());
    for (Object o : array) {
      out.add(Subscription.fromJson((JsonObject) o));
    }
    return out;
  }
}
