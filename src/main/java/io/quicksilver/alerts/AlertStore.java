package io.quicksilver.alerts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where price alerts live: in memory for a standalone hub, in one Redis hash (field = alert id) when the
 * hub has Redis, so alerts survive restarts and every node sees them. {@link #remove} is the one-shot
 * guard: only the caller that removed an alert may fire it.
 */
public interface AlertStore {

  Future<List<Alert>> all();

  Future<Void> add(Alert alert);

  /** Removes an alert; true when this call removed it. */
  Future<Boolean> remove(String alertId);

  /** The alerts of one user. */
  default Future<List<Alert>> of(String userId) {
    return all().map(list -> list.stream().filter(a -> a.userId().equals(userId)).toList());
  }

  /** A store in memory. */
  static AlertStore inMemory() {
    Map<String, Alert> alerts = new ConcurrentHashMap<>();
    return new AlertStore() {
      @Override
      public Future<List<Alert>> all() {
        return Future.succeededFuture(List.copyOf(alerts.values()));
      }

      @Override
      public Future<Void> add(Alert alert) {
        alerts.put(alert.id(), alert);
        return Future.succeededFuture();
      }

      @Override
      public Future<Boolean> remove(String alertId) {
        return Future.succeededFuture(alerts.remove(alertId) != null);
      }
    };
  }

  /** A store in the Redis hash {@code key}. */
  static AlertStore redis(Redis redis, String key) {
    return new AlertStore() {
      @Override
      public Future<List<Alert>> all() {
        return redis.send(Request.cmd(Command.HVALS).arg(key)).map(r -> {
          List<Alert> out = new ArrayList<>();
          for (Response v : r) {
            out.add(Alert.fromStored(new JsonObject(v.toString())));
          }
          return out;
        });
      }

      @Override
      public Future<Void> add(Alert alert) {
        return redis.send(Request.cmd(Command.HSET).arg(key).arg(alert.id()).arg(alert.toStored().encode())).mapEmpty();
      }

      @Override
      public Future<Boolean> remove(String alertId) {
        return redis.send(Request.cmd(Command.HDEL).arg(key).arg(alertId)).map(r -> r.toLong() == 1);
      }
    };
  }
}
