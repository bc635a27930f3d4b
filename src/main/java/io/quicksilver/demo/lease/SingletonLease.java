package io.quicksilver.demo.lease;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide leadership for singletons (the price simulator, the alerts watcher): a lease in Redis, taken with
 * {@code SET key owner NX PX ttl} and renewed every {@code ttl/3} only by its owner. When the owner dies
 * the lease expires and another node takes it within about {@code ttl}. Without Redis (a standalone hub)
 * this node always leads.
 *
 * <p>A node that cannot renew in time steps down before the lease could expire, so two leaders never
 * overlap by more than one renewal period.
 */
public final class SingletonLease {

  private static final Logger LOG = LoggerFactory.getLogger(SingletonLease.class);
  private static final String RENEW = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 0
      """;
  private static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """;

  private final Vertx vertx;
  private final Redis redis;
  private final String key;
  private final long ttlMs;
  private final String owner = UUID.randomUUID().toString();
  private final Consumer<Boolean> onChange;
  private boolean leading;
  private long lastRenewed;
  private long timer = -1;

  /**
   * @param redis    the hub's Redis, or null for a standalone hub (always the leader)
   * @param key      the lease key
   * @param onChange told true when this node becomes leader, false when it stops (on the caller's context)
   */
  public SingletonLease(Vertx vertx, Redis redis, String key, long ttlMs, Consumer<Boolean> onChange) {
    this.vertx = vertx;
    this.redis = redis;
    this.key = key;
    this.ttlMs = ttlMs;
    this.onChange = onChange;
  }

  /** Starts competing for the lease. */
  public void start() {
    if (redis == null) {
      set(true);
      return;
    }
    attempt();
    timer = vertx.setPeriodic(Math.max(100, ttlMs / 3), id -> attempt());
  }

  /** Stops, releasing the lease if held. */
  public void stop() {
    vertx.cancelTimer(timer);
    if (redis != null && leading) {
      redis.send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(key).arg(owner));
    }
    set(false);
  }

  private void attempt() {
    long now = System.currentTimeMillis();
    if (leading && now - lastRenewed > ttlMs * 2 / 3) {
      LOG.warn("could not renew the {} lease in time; stepping down", key);
      set(false);
    }
    Request request = leading
        ? Request.cmd(Command.EVAL).arg(RENEW).arg(1).arg(key).arg(owner).arg(ttlMs)
        : Request.cmd(Command.SET).arg(key).arg(owner).arg("NX").arg("PX").arg(ttlMs);
    redis.send(request).onComplete(ar -> {
      if (ar.failed()) {
        return;
      }
      boolean held = leading ? ar.result() != null && ar.result().toLong() == 1 : ar.result() != null;
      if (held) {
        lastRenewed = now;
      }
      set(held);
    });
  }

  private void set(boolean lead) {
    if (lead != leading) {
      leading = lead;
      LOG.info("{} the {} lease", lead ? "took" : "left", key);
      onChange.accept(lead);
    }
  }
}
