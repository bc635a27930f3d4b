package io.quicksilver.demo.alerts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where price alerts live: in memory for a standalone hub, in one Redis hash (field = alert id) when the
 * hub has Redis, so alerts survive restarts and every node sees them. {@link #remove} is the one-shot
 * guard: only the caller that removed an alert may fire it. The alerts that fired are kept too, the
 * newest {@link #FIRED_KEPT} per user (a Redis list per user), so a page opened later can show them.
 */
public interface AlertStore {

  /** How many fired alerts are kept per user. */
  int FIRED_KEPT = 20;

  Future<List<Alert>> all();

  Future<Void> add(Alert alert);

  /** Removes an alert; true when this call removed it. */
  Future<Boolean> remove(String alertId);

  /** Keeps a fired alert (the data of its update) in the user's list, dropping the oldest past {@link #FIRED_KEPT}. */
  Future<Void> recordFired(String userId, JsonObject fired);

  /** The user's fired alerts, newest first. */
  Future<List<JsonObject>> fired(String userId);

  /** The alerts of one user. */
  default Future<List<Alert>> of(String userId) {
    return all().map(list -> list.stream().filter(a -> a.userId().equals(userId)).toList());
  }

  /** A store in memory. */
  static AlertStore inMemory() {
    Map<String, Alert> alerts = new ConcurrentHashMap<>();
    Map<String, Deque<JsonObject>> fired = new ConcurrentHashMap<>();
    return new AlertStore() {
      @Override
      public Future<Void> recordFired(String userId, JsonObject alert) {
        Deque<JsonObject> list = fired.computeIfAbsent(userId, u -> new ArrayDeque<>());
        synchronized (list) {
          list.addFirst(alert.copy());
          while (list.size() > FIRED_KEPT) {
            list.removeLast();
          }
        }
        return Future.succeededFuture();
      }

      @Override
      public Future<List<JsonObject>> fired(String userId) {
        Deque<JsonObject> list = fired.get(userId);
        if (list == null) {
          return Future.succeededFuture(List.of());
        }
        synchronized (list) {
          return Future.succeededFuture(list.stream().map(JsonObject::copy).toList());
        }
      }

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
      public Future<Void> recordFired(String userId, JsonObject alert) {
        String list = key + ":fired:" + userId;
        return redis.batch(List.of(Request.cmd(Command.LPUSH).arg(list).arg(alert.encode()),
            Request.cmd(Command.LTRIM).arg(list).arg(0).arg(FIRED_KEPT - 1))).mapEmpty();
      }

      @Override
      public Future<List<JsonObject>> fired(String userId) {
        return redis.send(Request.cmd(Command.LRANGE).arg(key + ":fired:" + userId).arg(0).arg(FIRED_KEPT - 1)).map(r -> {
          List<JsonObject> out = new ArrayList<>();
          for (Response v : r) {
            out.add(new JsonObject(v.toString()));
          }
          return out;
        });
      }

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
